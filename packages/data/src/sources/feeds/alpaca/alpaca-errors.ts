import { FeedError, type FeedErrorCode } from '../feed-error';

interface ServerErrorKind {
  code: FeedErrorCode;
  fatal: boolean;
  explain: string;
}

/** What each of the Alpaca stream's error codes (400-409, 500) means, and whether retrying can help. */
const SERVER_ERRORS: Readonly<Record<number, ServerErrorKind>> = {
  400: { code: 'FEED_PROTOCOL', fatal: false, explain: 'the feed did not understand a message we sent' },
  401: { code: 'FEED_PROTOCOL', fatal: false, explain: 'a message was sent before authentication' },
  402: {
    code: 'FEED_AUTH_FAILED',
    fatal: true,
    explain:
      'the feed refused the credentials: check live_config.key and live_config.secret (or STRAT_FEED_KEY and STRAT_FEED_SECRET)',
  },
  403: { code: 'FEED_PROTOCOL', fatal: false, explain: 'the connection was already authenticated' },
  404: { code: 'FEED_AUTH_TIMEOUT', fatal: false, explain: 'authentication did not arrive within 10 s' },
  405: {
    code: 'FEED_SYMBOL_LIMIT',
    fatal: false,
    explain: 'the subscription asks for more symbols than the plan allows',
  },
  406: {
    code: 'FEED_CONNECTION_LIMIT',
    fatal: false,
    explain: 'another connection already uses these credentials (one connection per account)',
  },
  407: {
    code: 'FEED_SLOW_CLIENT',
    fatal: false,
    explain: 'the session read too slowly and the feed dropped the connection',
  },
  408: {
    code: 'FEED_NOT_ENABLED',
    fatal: true,
    explain: 'market data v2 is not enabled for this account',
  },
  409: {
    code: 'FEED_INSUFFICIENT_SUBSCRIPTION',
    fatal: true,
    explain: "the account's data subscription does not cover this feed (try the iex feed URL)",
  },
  500: { code: 'FEED_SERVER_ERROR', fatal: false, explain: 'the feed had an internal error' },
};

/** The {@link FeedError} for an error message from the server, `{"T":"error","code","msg"}`. */
export function feedErrorFromServer(serverCode: number, serverMessage: string): FeedError {
  const kind = SERVER_ERRORS[serverCode];
  const detail = `(${serverCode} ${serverMessage})`;
  if (kind === undefined) {
    return new FeedError('FEED_PROTOCOL', `the feed reported an unknown error ${detail}`, { serverCode });
  }
  return new FeedError(kind.code, `${kind.explain} ${detail}`, { serverCode, fatal: kind.fatal });
}
