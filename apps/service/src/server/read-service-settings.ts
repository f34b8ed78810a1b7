import { parseArgs } from 'node:util';
import { type LogLevel, StratError } from '@strat/core';
import {
  DEFAULT_SESSION_LIMITS,
  SESSION_LIMIT_SETTINGS,
  type SessionLimits,
} from '../sessions/session-limits';
import { DEFAULT_HOST, type ServiceOptions } from './build-server';

/** Where and how the service runs, read from flags and the environment. */
export interface ServiceSettings {
  host: string;
  port: number;
  /** Print stack traces of start-up errors. */
  verbose: boolean;
  /** Level of the service's JSON log lines on stdout. */
  logLevel: string;
  options: ServiceOptions;
}

/** The default port. */
export const DEFAULT_PORT = 8787;

/** What `--help` prints. */
export const USAGE = `Usage: node dist/main.js [options]

Options (flags win over the environment):
  --host <address>          HOST                 address to listen on (default ${DEFAULT_HOST})
  --port <number>           PORT                 port, 0 for any free one (default ${DEFAULT_PORT})
  --data-dir <path>         STRAT_DATA_DIR       SQLite data dir (default ./.strat-data)
  --project-root <path>     STRAT_PROJECT_ROOT   project with strategies/ and session_configs/
                                                 (default: found from the working directory)
  --max-sessions <number>   STRAT_MAX_SESSIONS   sessions running at once (default 4)
  --max-sweeps <number>     STRAT_MAX_SWEEPS     parameter sweeps running at once (default 1)
  --log-level <level>       STRAT_LOG_LEVEL      trace, debug, info, warn, error, silent (default info)
                            STRAT_API_TOKEN      bearer token; required when --host is not loopback
                            STRAT_FEED_URL       the service's own live feed; STRAT_FEED_KEY and
                                                 STRAT_FEED_SECRET are sent to it and nowhere else
  --verbose                                      print stack traces of start-up errors
  --help

Limits of one session (a request past one is answered 422):
  --max-symbols <n>         STRAT_MAX_SYMBOLS        symbols, with scanner universes (default ${DEFAULT_SESSION_LIMITS.maxSymbols})
  --max-streams <n>         STRAT_MAX_STREAMS        streams (default ${DEFAULT_SESSION_LIMITS.maxStreams})
  --max-window <n>          STRAT_MAX_WINDOW         streaming.window (default ${DEFAULT_SESSION_LIMITS.maxWindow})
  --max-bars-held <n>       STRAT_MAX_BARS_HELD      symbols x streams x window (default ${DEFAULT_SESSION_LIMITS.maxBarsHeld})
  --max-backtest-days <n>   STRAT_MAX_BACKTEST_DAYS  calendar days of a backtest (default ${DEFAULT_SESSION_LIMITS.maxBacktestDays})
  --max-strategies <n>      STRAT_MAX_STRATEGIES     enabled strategies (default ${DEFAULT_SESSION_LIMITS.maxStrategies})`;

/** The largest value a limit may be set to. */
const MAX_LIMIT = 1_000_000_000;

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new StratError(
      'OPTION_INVALID',
      `${name} must be a whole number from ${min} to ${max}, got "${text}"`,
    );
  }
  return value;
}

/**
 * Reads the service's settings from command-line flags and environment variables (flags win).
 * The token is read from the environment only, so that it never shows in a process list.
 * @returns undefined when `--help` was asked for
 * @throws StratError `OPTION_INVALID` naming the option
 */
export function readServiceSettings(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): ServiceSettings | undefined {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args: [...argv],
      options: {
        host: { type: 'string' },
        port: { type: 'string' },
        'data-dir': { type: 'string' },
        'project-root': { type: 'string' },
        'max-sessions': { type: 'string' },
        'max-sweeps': { type: 'string' },
        'log-level': { type: 'string' },
        ...Object.fromEntries(
          Object.values(SESSION_LIMIT_SETTINGS).map((setting) => [
            setting.flag.slice(2),
            { type: 'string' as const },
          ]),
        ),
        verbose: { type: 'boolean' },
        help: { type: 'boolean' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new StratError('OPTION_INVALID', `${(error as Error).message}\n\n${USAGE}`);
  }
  if (values.help === true) return undefined;
  const pick = (flag: string, variable: string): string | undefined => {
    const value = values[flag];
    return typeof value === 'string' ? value : env[variable] === '' ? undefined : env[variable];
  };
  const host = pick('host', 'HOST') ?? DEFAULT_HOST;
  const portText = pick('port', 'PORT');
  const maxText = pick('max-sessions', 'STRAT_MAX_SESSIONS');
  const maxSweepsText = pick('max-sweeps', 'STRAT_MAX_SWEEPS');
  const logLevel = pick('log-level', 'STRAT_LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new StratError(
      'OPTION_INVALID',
      `log level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`,
    );
  }
  const limits: Partial<SessionLimits> = {};
  for (const [limit, setting] of Object.entries(SESSION_LIMIT_SETTINGS) as [
    keyof SessionLimits,
    { flag: string; env: string },
  ][]) {
    const text = pick(setting.flag.slice(2), setting.env);
    if (text !== undefined) limits[limit] = integer(setting.flag.slice(2), text, 1, MAX_LIMIT);
  }
  const sessionLogLevel: LogLevel =
    logLevel === 'trace' ? 'debug' : logLevel === 'fatal' ? 'error' : (logLevel as LogLevel);
  return {
    host,
    port: portText === undefined ? DEFAULT_PORT : integer('port', portText, 0, 65535),
    verbose: values.verbose === true,
    logLevel,
    options: {
      host,
      dataDir: pick('data-dir', 'STRAT_DATA_DIR') ?? './.strat-data',
      projectRoot: pick('project-root', 'STRAT_PROJECT_ROOT'),
      apiToken: env.STRAT_API_TOKEN === '' ? undefined : env.STRAT_API_TOKEN,
      maxRunningSessions: maxText === undefined ? undefined : integer('max-sessions', maxText, 1, 256),
      sessionLogLevel: sessionLogLevel === 'info' ? 'warn' : sessionLogLevel,
      limits,
      ...(maxSweepsText === undefined
        ? {}
        : { sweepLimits: { maxRunningSweeps: integer('max-sweeps', maxSweepsText, 1, 64) } }),
    },
  };
}
