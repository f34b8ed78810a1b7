import type { StratErrorCode } from './strat-error-code';

/** Options shared by every @strat error. */
export interface StratErrorOptions {
  /** The underlying error, when this one wraps another. */
  cause?: unknown;
}

// The brand: the kinds of an error's class and its ancestors, under a registry symbol, so that a
// second copy of this package (ESM next to CJS, or another version) reads the same key. Its shape,
// a frozen array of kind strings, is part of the public contract: change it only compatibly.
const KINDS: unique symbol = Symbol.for('@strat/core/error-kinds');

interface Branded {
  readonly [KINDS]: readonly string[];
}

function kindsOf(target: object): readonly string[] {
  const kinds: string[] = [];
  for (let c: object | null = target; c !== null && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    const kind = Object.hasOwn(c, 'kind') ? (c as { kind: unknown }).kind : undefined;
    if (typeof kind === 'string') kinds.push(kind);
  }
  return Object.freeze(kinds);
}

function brandOf(value: unknown): readonly string[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const kinds = (value as Partial<Branded>)[KINDS];
  return Array.isArray(kinds) ? kinds : undefined;
}

function isOfClass(value: unknown, errorClass: { readonly prototype: object }): boolean {
  const kinds = brandOf(value);
  if (kinds === undefined) return false;
  const kind = Object.hasOwn(errorClass, 'kind') ? (errorClass as { kind?: unknown }).kind : undefined;
  // A class without a kind of its own is recognised in its own copy only, as instanceof would.
  return typeof kind === 'string'
    ? kinds.includes(kind)
    : Object.prototype.isPrototypeOf.call(errorClass.prototype, value as object);
}

/**
 * Base class of every error @strat raises on purpose. `code` is stable and machine readable;
 * `message` is written for the user and never needs a stack trace to be understood.
 *
 * Recognise one with {@link StratError.isInstance} (`ConfigError.isInstance(e)`, ...), not
 * `instanceof`: two copies of `@strat/core` can be loaded in one process (its ESM and CommonJS
 * builds, or two versions), and an error made by one is not an `instanceof` the other's classes.
 *
 * A subclass declares a `static readonly kind` unique to it (by convention `'<package>/<Class>'`) to
 * be recognised across copies too; without one, its own `isInstance` falls back to `instanceof`.
 */
export class StratError extends Error {
  /**
   * This class's kind, the name its instances are recognised by across copies of the package.
   * Each subclass that wants its own {@link StratError.isInstance} declares its own.
   */
  static readonly kind: string = '@strat/core/StratError';

  /**
   * True when `value` is an error of this class or a subclass, made by any copy of the package:
   * `StratError.isInstance(e)` holds for every @strat error, `ConfigError.isInstance(e)` only for
   * config errors. Narrows `value` to the class it is called on; call it on the class
   * (`DataError.isInstance(e)`), not detached.
   * @example
   * if (ConfigError.isInstance(error)) for (const issue of error.issues) console.log(issue.path);
   */
  static isInstance<T extends StratError>(this: { readonly prototype: T }, value: unknown): value is T {
    // biome-ignore lint/complexity/noThisInStatic: it answers for the class it is called on (ConfigError.isInstance), not for StratError
    return isOfClass(value, this);
  }

  /** A stable, machine-readable error code such as `CONFIG_INVALID` (see {@link StratErrorCode}). */
  readonly code: StratErrorCode;

  /**
   * @param code - What kind of failure this is: one of {@link StratErrorCode}.
   * @param message - What went wrong, written for the user.
   * @param options - The `cause`, when this error wraps another.
   */
  constructor(code: StratErrorCode, message: string, options: StratErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    // Not enumerable: the brand stays out of equality checks, spreads and JSON.
    Object.defineProperty(this, KINDS, { value: kindsOf(new.target) });
  }
}
