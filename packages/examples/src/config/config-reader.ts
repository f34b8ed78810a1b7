import { type ConfigIssue, type Interval, isInterval } from '@strat/core';

const SYMBOL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._\-:/]*$/;
const MAX_SYMBOL_LENGTH = 32;

/** Bounds for {@link ConfigReader.number}. */
export interface NumberBounds {
  /** Smallest allowed value (inclusive). */
  min?: number;
  /** Values must be strictly greater than this. */
  above?: number;
  /** Largest allowed value (inclusive). */
  max?: number;
  /** Values must be strictly less than this. */
  below?: number;
}

/**
 * Reads the plain JSON config of a strategy or scanner, applying defaults and collecting every
 * problem (with the key it concerns) instead of stopping at the first one, so a user fixes the
 * config in one go. `PerSymbolStrategy` hands one to a strategy's `readSettings`; its `setup` turns the
 * problems into one log line.
 */
export class ConfigReader {
  /** Every problem found so far, in reading order. */
  readonly issues: ConfigIssue[] = [];
  readonly #config: Record<string, unknown>;
  readonly #read = new Set<string>();

  /** @param config the config object as given in the session config (missing means `{}`) */
  constructor(config: Record<string, unknown> | undefined) {
    this.#config = config ?? {};
  }

  /** True while no problem was found. */
  get ok(): boolean {
    return this.issues.length === 0;
  }

  /** Records a problem with `path`. */
  problem(path: string, message: string): void {
    this.issues.push({ path, message });
  }

  /** True when a problem with `key` (or one of its items) was recorded. */
  hasProblem(key: string): boolean {
    return this.issues.some((i) => i.path === key || i.path.startsWith(`${key}[`));
  }

  /** The problems as one line: `fast_period: must be ...; symbols: ...`. */
  describeIssues(): string {
    return this.issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  }

  /** Keys present in the config that no read asked for (likely typos). */
  unknownKeys(): string[] {
    return Object.keys(this.#config).filter((key) => !this.#read.has(key));
  }

  /** A list of distinct, well-formed symbols. Required unless `allowEmpty`; then missing means none. */
  symbols(key: string, options: { allowEmpty?: boolean } = {}): string[] {
    const value = this.#take(key);
    if (value === undefined && options.allowEmpty) return [];
    if (!Array.isArray(value) || (value.length === 0 && !options.allowEmpty)) {
      this.problem(key, `must be a non-empty list of symbols, got ${describe(value)}`);
      return [];
    }
    const seen = new Set<string>();
    value.forEach((symbol: unknown, i) => {
      if (typeof symbol !== 'string' || !SYMBOL_PATTERN.test(symbol) || symbol.length > MAX_SYMBOL_LENGTH) {
        this.problem(
          `${key}[${i}]`,
          `must be a symbol such as "AAPL" (letters, digits and . _ - : /, at most ${MAX_SYMBOL_LENGTH} characters), got ${describe(symbol)}`,
        );
      } else if (seen.has(symbol)) {
        this.problem(`${key}[${i}]`, `"${symbol}" is listed twice`);
      } else {
        seen.add(symbol);
      }
    });
    return [...seen];
  }

  /** A bar interval such as `5m`. */
  interval(key: string, fallback: Interval): Interval {
    const value = this.#take(key);
    if (value === undefined) return fallback;
    if (!isInterval(value)) {
      this.problem(key, `must be an interval such as "1m", "5m" or "1h", got ${describe(value)}`);
      return fallback;
    }
    return value;
  }

  /** A whole number >= 1. */
  positiveInteger(key: string, fallback: number): number {
    const value = this.#take(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
      this.problem(key, `must be a whole number of at least 1, got ${describe(value)}`);
      return fallback;
    }
    return value;
  }

  /** A finite number within `bounds`. */
  number(key: string, fallback: number, bounds: NumberBounds = {}): number {
    const value = this.#take(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.problem(key, `must be a number, got ${describe(value)}`);
      return fallback;
    }
    const failed =
      (bounds.min !== undefined && value < bounds.min) ||
      (bounds.above !== undefined && value <= bounds.above) ||
      (bounds.max !== undefined && value > bounds.max) ||
      (bounds.below !== undefined && value >= bounds.below);
    if (failed) {
      this.problem(key, `must be ${describeBounds(bounds)}, got ${value}`);
      return fallback;
    }
    return value;
  }

  /** `true` or `false`. */
  boolean(key: string, fallback: boolean): boolean {
    const value = this.#take(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.problem(key, `must be true or false, got ${describe(value)}`);
      return fallback;
    }
    return value;
  }

  /** An IANA time zone name that this runtime's `Intl` knows. */
  timeZone(key: string, fallback: string): string {
    const value = this.#take(key);
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !isKnownTimeZone(value)) {
      this.problem(key, `must be an IANA time zone such as "America/New_York", got ${describe(value)}`);
      return fallback;
    }
    return value;
  }

  /** A time of day `HH:MM` (00:00 to 23:59), as milliseconds after midnight. */
  clockTime(key: string, fallback: number): number {
    const value = this.#take(key);
    if (value === undefined) return fallback;
    const match = typeof value === 'string' ? /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(value) : null;
    if (match === null) {
      this.problem(key, `must be a time of day written HH:MM (00:00 to 23:59), got ${describe(value)}`);
      return fallback;
    }
    return (Number(match[1]) * 60 + Number(match[2])) * 60_000;
  }

  #take(key: string): unknown {
    this.#read.add(key);
    return this.#config[key];
  }
}

function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function describeBounds(bounds: NumberBounds): string {
  const parts: string[] = [];
  if (bounds.min !== undefined) parts.push(`at least ${bounds.min}`);
  if (bounds.above !== undefined) parts.push(`greater than ${bounds.above}`);
  if (bounds.max !== undefined) parts.push(`at most ${bounds.max}`);
  if (bounds.below !== undefined) parts.push(`less than ${bounds.below}`);
  return parts.join(' and ');
}
