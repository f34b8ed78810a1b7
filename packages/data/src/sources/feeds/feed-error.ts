import { StratError, type StratErrorCode, type StratErrorOptions } from '@strat/core';

/** What went wrong with a market-data feed: the `FEED_` codes of core's `StratErrorCode`. */
export type FeedErrorCode = Extract<StratErrorCode, `FEED_${string}`>;

/**
 * A feed problem, whatever the vendor: a refused connection, an error message from the server
 * (`serverCode`, the vendor's own code), a malformed message, reconnects given up. `fatal` says
 * that retrying cannot help (wrong credentials, a plan that does not cover the feed). Messages
 * never include credentials.
 */
export class FeedError extends StratError {
  /** The kind `FeedError.isInstance` recognises feed errors by, across copies of the package. */
  static override readonly kind: string = '@strat/data/FeedError';
  /** The server's own error code (Alpaca: `{"T":"error","code":402}`), when the server sent one. */
  readonly serverCode: number | undefined;
  /** True when reconnecting cannot help. */
  readonly fatal: boolean;

  /**
   * @param code what went wrong
   * @param message for the user; never holds credentials
   * @param options the cause, the server's own code, whether retrying cannot help (`fatal`)
   */
  constructor(
    code: FeedErrorCode,
    message: string,
    options: StratErrorOptions & { serverCode?: number; fatal?: boolean } = {},
  ) {
    super(code, message, options);
    this.serverCode = options.serverCode;
    this.fatal = options.fatal ?? false;
  }
}
