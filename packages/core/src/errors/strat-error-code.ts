/**
 * Every code a {@link StratError} (or an error answer of `@strat/service`) can carry, each with when
 * it is raised. Codes are stable and machine readable: compare `error.code` with them, never with the
 * message. Use it as a value (`StratErrorCode.CONFIG_INVALID`) or write the string; both type-check
 * against the {@link StratErrorCode} type.
 */
export const StratErrorCode = {
  // Configs, strategy modules and command lines.

  /** A session, strategy or scanner config breaks its schema or a semantic check (`ConfigError`, every issue with its JSON path). */
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** A session config file cannot be read (no such file, a folder, no permission). */
  CONFIG_UNREADABLE: 'CONFIG_UNREADABLE',
  /** The service has no session config of the requested name in its `session_configs/` folder (HTTP 404). */
  CONFIG_NOT_FOUND: 'CONFIG_NOT_FOUND',
  /** An interval is not a positive whole count and a unit `s`, `m`, `h`, `d` or `w` (`IntervalError`). */
  INTERVAL_INVALID: 'INTERVAL_INVALID',
  /** A strategy or scanner module cannot be found or loaded, has no usable class, or refused to start (`StrategyLoadError`; the service answers 400 with it). */
  STRATEGY_LOAD_FAILED: 'STRATEGY_LOAD_FAILED',
  /** A strategy read `context` before the runtime set it (in its constructor, or outside a session). */
  STRATEGY_NOT_SET_UP: 'STRATEGY_NOT_SET_UP',
  /** A `strat` command line cannot be carried out as written: a bad name, a file that would be overwritten (`UsageError` of `@strat/cli`). */
  USAGE: 'USAGE',
  /** A command-line option or environment variable of `@strat/service` has a value out of range or unknown. */
  OPTION_INVALID: 'OPTION_INVALID',

  // Market data and the store.

  /** Market data is missing, unreadable or invalid: a bad CSV header or row, a file that cannot be opened (`DataError`'s default). */
  DATA_INVALID: 'DATA_INVALID',
  /** The data source gives bars of another interval than the session's shortest stream (`DataError`). */
  SOURCE_INTERVAL_MISMATCH: 'SOURCE_INTERVAL_MISMATCH',
  /** The trading calendar has no session between the start and end dates (`DataError`). */
  NO_SESSIONS: 'NO_SESSIONS',
  /** A data processor was given no stream intervals. */
  STREAMS_EMPTY: 'STREAMS_EMPTY',
  /** `run()` was called on a data processor that is already running. */
  PROCESSOR_RUNNING: 'PROCESSOR_RUNNING',
  /** A trading session given to the bar aggregator closes before it opens, or starts before the previous one closed. */
  SESSION_INVALID: 'SESSION_INVALID',
  /** A bar reached the bar aggregator before any trading session was started. */
  SESSION_NOT_STARTED: 'SESSION_NOT_STARTED',
  /** A bar reached the bar aggregator not after the previous one, or outside the current session. */
  BAR_OUT_OF_ORDER: 'BAR_OUT_OF_ORDER',
  /** A simulated clock was set to an earlier time than it shows. */
  CLOCK_BACKWARDS: 'CLOCK_BACKWARDS',
  /** A pacer was given a speed multiplier that is negative or not finite. */
  PACER_SPEED_INVALID: 'PACER_SPEED_INVALID',
  /** A bar series (symbol and interval) was asked for that the store, or the strategy's subscriptions, do not hold. */
  SERIES_UNKNOWN: 'SERIES_UNKNOWN',
  /** A series was attached to a store that already holds a different buffer for that symbol and interval. */
  SERIES_CONFLICT: 'SERIES_CONFLICT',
  /** A series that is not on shared memory was to be handed to worker threads. */
  SERIES_NOT_SHARED: 'SERIES_NOT_SHARED',

  // Live feeds (`FeedError` of `@strat/data`) and the market replay server.

  /** The feed's URL cannot be reached, the connection closed, or the feed went silent during session hours. */
  FEED_CONNECT_FAILED: 'FEED_CONNECT_FAILED',
  /** The feed refused the credentials (server code 402): fix the key and secret. */
  FEED_AUTH_FAILED: 'FEED_AUTH_FAILED',
  /** The feed did not connect and authenticate in time (or reported server code 404). */
  FEED_AUTH_TIMEOUT: 'FEED_AUTH_TIMEOUT',
  /** The feed sent an unreadable message or a malformed bar, or reported a protocol error (server codes 400, 401, 403, unknown ones). */
  FEED_PROTOCOL: 'FEED_PROTOCOL',
  /** The subscription asks for more symbols than the plan allows (server code 405). */
  FEED_SYMBOL_LIMIT: 'FEED_SYMBOL_LIMIT',
  /** Another connection already uses these credentials (server code 406). */
  FEED_CONNECTION_LIMIT: 'FEED_CONNECTION_LIMIT',
  /** The session read too slowly and the feed dropped the connection (server code 407). */
  FEED_SLOW_CLIENT: 'FEED_SLOW_CLIENT',
  /** Market data is not enabled for the account (server code 408). */
  FEED_NOT_ENABLED: 'FEED_NOT_ENABLED',
  /** The account's data subscription does not cover the feed (server code 409). */
  FEED_INSUFFICIENT_SUBSCRIPTION: 'FEED_INSUFFICIENT_SUBSCRIPTION',
  /** The feed had an internal error (server code 500). */
  FEED_SERVER_ERROR: 'FEED_SERVER_ERROR',
  /** Reconnecting to the feed was given up after the configured number of attempts. */
  FEED_RECONNECT_FAILED: 'FEED_RECONNECT_FAILED',
  /** The feed was closed, or started a second time. */
  FEED_CLOSED: 'FEED_CLOSED',
  /** The market replay server was given a speed that is not a finite number above 0. */
  REPLAY_SPEED_INVALID: 'REPLAY_SPEED_INVALID',
  /** The market replay server cannot listen on its host and port. */
  REPLAY_LISTEN_FAILED: 'REPLAY_LISTEN_FAILED',

  // The runtime's environment.

  /** The strategy worker script is missing from the build of `@strat/runtime`. */
  WORKER_SCRIPT_MISSING: 'WORKER_SCRIPT_MISSING',
  /** TypeScript (a strategy module, a worker script) was to be loaded and `tsx`, an optional peer dependency of @strat/runtime, is not installed. */
  TSX_MISSING: 'TSX_MISSING',

  // @strat/service: start-up refusals, then the `code` of its HTTP error answers.

  /** `STRAT_API_TOKEN` is shorter than the service accepts. */
  TOKEN_TOO_SHORT: 'TOKEN_TOO_SHORT',
  /** The service was asked to listen on a non-loopback host without an API token. */
  TOKEN_REQUIRED: 'TOKEN_REQUIRED',
  /** The service's data dir cannot be created. */
  DATA_DIR_UNUSABLE: 'DATA_DIR_UNUSABLE',
  /** The service's database is locked by another process using the same data dir. */
  DATA_DIR_IN_USE: 'DATA_DIR_IN_USE',
  /** The service's database cannot be opened. */
  DATABASE_UNUSABLE: 'DATABASE_UNUSABLE',
  /** A request has no valid bearer token (HTTP 401). */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** A request is addressed to a host name that is not loopback (HTTP 403). */
  HOST_FORBIDDEN: 'HOST_FORBIDDEN',
  /** A request comes from a web page of another host, or an opaque origin (HTTP 403). */
  ORIGIN_FORBIDDEN: 'ORIGIN_FORBIDDEN',
  /** A requested config names code or files a request may not choose (HTTP 403). */
  PATH_FORBIDDEN: 'PATH_FORBIDDEN',
  /** A request's body, query or headers break their schema (HTTP 400, with every issue's path). */
  REQUEST_INVALID: 'REQUEST_INVALID',
  /** A request's body is not valid JSON, or is empty with a JSON content type (HTTP 400). */
  INVALID_JSON: 'INVALID_JSON',
  /** A request's body is larger than the service accepts (HTTP 413). */
  BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  /** A request's body is not `application/json` (HTTP 415). */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** There is no route for the request's method and path (HTTP 404). */
  NOT_FOUND: 'NOT_FOUND',
  /** Another client error the web framework reported without a code of its own (HTTP 4xx). */
  BAD_REQUEST: 'BAD_REQUEST',
  /** There is no session with the requested id (HTTP 404). */
  SESSION_NOT_FOUND: 'SESSION_NOT_FOUND',
  /** Symbols were to be added to a session that is not running (HTTP 409). */
  SESSION_NOT_RUNNING: 'SESSION_NOT_RUNNING',
  /** The requested session has ended (HTTP 409). */
  SESSION_ENDED: 'SESSION_ENDED',
  /** A session's paper results were asked while it runs: they are stored when it ends (HTTP 409). */
  RESULTS_NOT_READY: 'RESULTS_NOT_READY',
  /** A session has no paper results: its config has no execution section, or it failed first (HTTP 404). */
  RESULTS_NONE: 'RESULTS_NONE',
  /** The service already runs as many sessions as it may (HTTP 429). */
  SESSION_LIMIT: 'SESSION_LIMIT',
  /** There is no parameter sweep with the requested id (HTTP 404). */
  SWEEP_NOT_FOUND: 'SWEEP_NOT_FOUND',
  /** The requested parameter sweep has ended (HTTP 409). */
  SWEEP_ENDED: 'SWEEP_ENDED',
  /** The service already runs as many parameter sweeps as it may (HTTP 429). */
  SWEEP_LIMIT: 'SWEEP_LIMIT',
  /** The service already serves as many event streams as it may (HTTP 429). */
  TOO_MANY_STREAMS: 'TOO_MANY_STREAMS',
  /** The service failed on a request; the details are in its log, never in the answer (HTTP 500). */
  INTERNAL: 'INTERNAL',
} as const;

/** One of the codes listed, with when each is raised, in {@link StratErrorCode} (the object). */
export type StratErrorCode = (typeof StratErrorCode)[keyof typeof StratErrorCode];
