/** Options shared by every @strat error. */
export interface StratErrorOptions {
  /** The underlying error, when this one wraps another. */
  cause?: unknown;
}

/**
 * Base class of every error @strat raises on purpose. `code` is stable and machine readable;
 * `message` is written for the user and never needs a stack trace to be understood.
 */
export class StratError extends Error {
  /** A stable, machine-readable error code such as `CONFIG_INVALID`. */
  readonly code: string;

  constructor(code: string, message: string, options: StratErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
  }
}
