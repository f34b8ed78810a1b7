import { StratError, type StratErrorOptions } from '@strat/core';

/** What went wrong with a market-data feed. */
export type FeedErrorCode =
  | 'FEED_CONNECT_FAILED'
  | 'FEED_AUTH_FAILED'
  | 'FEED_AUTH_TIMEOUT'
  | 'FEED_PROTOCOL'
  | 'FEED_SYMBOL_LIMIT'
  | 'FEED_CONNECTION_LIMIT'
  | 'FEED_SLOW_CLIENT'
  | 'FEED_NOT_ENABLED'
  | 'FEED_INSUFFICIENT_SUBSCRIPTION'
  | 'FEED_SERVER_ERROR'
  | 'FEED_RECONNECT_FAILED'
  | 'FEED_CLOSED';

/**
 * A feed problem, whatever the vendor: a refused connection, an error message from the server
 * (`serverCode`, the vendor's own code), a malformed message, reconnects given up. `fatal` says
 * that retrying cannot help (wrong credentials, a plan that does not cover the feed). Messages
 * never include credentials.
 */
export class FeedError extends StratError {
  /** The server's own error code (Alpaca: `{"T":"error","code":402}`), when the server sent one. */
  readonly serverCode: number | undefined;
  /** True when reconnecting cannot help. */
  readonly fatal: boolean;

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
