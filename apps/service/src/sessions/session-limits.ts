import type { ConfigIssue, SessionConfig } from '@strat/core';
import { ServiceError } from '../errors/service-error';

/**
 * The most work one session may ask the service for. A request past a limit is valid but too
 * large: it is answered 422 naming the limit, its setting and the JSON path.
 */
export interface SessionLimits {
  /** Symbols a session streams: its own, those its scanners watch (`config.universe`) and those added later. */
  maxSymbols: number;
  /** Entries of `session_data_config.streams`. */
  maxStreams: number;
  /** `session_data_config.streaming.window`: bars kept per series. */
  maxWindow: number;
  /** Bars the store keeps in all: symbols x streams x window (each bar 50 to 100 bytes of ring). */
  maxBarsHeld: number;
  /** Calendar days from `backtest_config.start_date` to `end_date`, both included. */
  maxBacktestDays: number;
  /** Enabled entries of `session_data_config.strategies`. */
  maxStrategies: number;
}

/**
 * The defaults: far above every config in `session_configs/` and the examples, and low enough that
 * one session cannot take the machine. 500 symbols of one stream at the default window (4096) hold
 * 2 million bars (about 200 MB of rings); the bars-held cap (20 million, about 1 to 2 GB) is what
 * bounds memory when symbols, streams and window are all large. Five years of minute bars are
 * about 500,000 per symbol: longer replays belong to the CLI.
 */
export const DEFAULT_SESSION_LIMITS: Readonly<SessionLimits> = Object.freeze({
  maxSymbols: 500,
  maxStreams: 8,
  maxWindow: 100_000,
  maxBarsHeld: 20_000_000,
  maxBacktestDays: 1830,
  maxStrategies: 50,
});

/** How each limit is set: the command-line flag and the environment variable. */
export const SESSION_LIMIT_SETTINGS: Readonly<Record<keyof SessionLimits, { flag: string; env: string }>> = {
  maxSymbols: { flag: '--max-symbols', env: 'STRAT_MAX_SYMBOLS' },
  maxStreams: { flag: '--max-streams', env: 'STRAT_MAX_STREAMS' },
  maxWindow: { flag: '--max-window', env: 'STRAT_MAX_WINDOW' },
  maxBarsHeld: { flag: '--max-bars-held', env: 'STRAT_MAX_BARS_HELD' },
  maxBacktestDays: { flag: '--max-backtest-days', env: 'STRAT_MAX_BACKTEST_DAYS' },
  maxStrategies: { flag: '--max-strategies', env: 'STRAT_MAX_STRATEGIES' },
};

const DAY_MS = 86_400_000;

function limitText(limit: keyof SessionLimits, value: number): string {
  const setting = SESSION_LIMIT_SETTINGS[limit];
  return `the service's limit is ${value.toLocaleString('en-US')} (${setting.flag}, ${setting.env})`;
}

function universeOf(config: unknown): string[] {
  if (typeof config !== 'object' || config === null) return [];
  const universe = (config as { universe?: unknown }).universe;
  return Array.isArray(universe) ? universe.filter((s): s is string => typeof s === 'string') : [];
}

/** The symbols a session streams from its start, and the JSON path that pushed the count past `max`. */
function countSymbols(config: SessionConfig, max: number): { count: number; path: string } {
  const sdc = config.session_data_config;
  const symbols = new Set(sdc.symbols);
  let path = 'session_data_config.symbols';
  sdc.scanners.forEach((scanner, i) => {
    if (!scanner.enabled) return;
    const before = symbols.size;
    for (const symbol of universeOf(scanner.config)) symbols.add(symbol);
    if (before <= max && symbols.size > max) path = `session_data_config.scanners[${i}].config.universe`;
  });
  return { count: symbols.size, path };
}

/** Calendar days of a backtest's range, both ends included (0 when it has none). */
function backtestDays(config: SessionConfig): number {
  const bt = config.backtest_config;
  if (config.mode !== 'backtest' || bt === undefined) return 0;
  const start = Date.parse(`${bt.start_date}T00:00:00Z`);
  const end = Date.parse(`${bt.end_date}T00:00:00Z`);
  return Number.isFinite(start) && Number.isFinite(end) ? Math.round((end - start) / DAY_MS) + 1 : 0;
}

/** Every limit a validated config is past, each with the JSON path of what to make smaller. */
export function sessionLimitIssues(config: SessionConfig, limits: SessionLimits): ConfigIssue[] {
  const sdc = config.session_data_config;
  const issues: ConfigIssue[] = [];
  const symbols = countSymbols(config, limits.maxSymbols);
  if (symbols.count > limits.maxSymbols) {
    issues.push({
      path: symbols.path,
      message: `${symbols.count.toLocaleString('en-US')} symbols (with the scanners' universes): ${limitText('maxSymbols', limits.maxSymbols)}`,
    });
  }
  if (sdc.streams.length > limits.maxStreams) {
    issues.push({
      path: 'session_data_config.streams',
      message: `${sdc.streams.length} streams: ${limitText('maxStreams', limits.maxStreams)}`,
    });
  }
  const window = sdc.streaming.window;
  if (window > limits.maxWindow) {
    issues.push({
      path: 'session_data_config.streaming.window',
      message: `a window of ${window.toLocaleString('en-US')} bars: ${limitText('maxWindow', limits.maxWindow)}`,
    });
  }
  // Past any of the three factors' own limits, the product says nothing more.
  const held = symbols.count * sdc.streams.length * window;
  if (held > limits.maxBarsHeld && issues.length === 0) {
    issues.push({
      path: 'session_data_config.streaming.window',
      message:
        `${symbols.count} symbols x ${sdc.streams.length} streams x a window of ${window} keep ` +
        `${held.toLocaleString('en-US')} bars: ${limitText('maxBarsHeld', limits.maxBarsHeld)}; ` +
        'use fewer symbols or streams, or a smaller window',
    });
  }
  const days = backtestDays(config);
  if (days > limits.maxBacktestDays) {
    issues.push({
      path: 'backtest_config.end_date',
      message: `${days.toLocaleString('en-US')} days from start_date to end_date: ${limitText('maxBacktestDays', limits.maxBacktestDays)}`,
    });
  }
  const strategies = sdc.strategies.filter((s) => s.enabled).length;
  if (strategies > limits.maxStrategies) {
    issues.push({
      path: 'session_data_config.strategies',
      message: `${strategies} enabled strategies: ${limitText('maxStrategies', limits.maxStrategies)}`,
    });
  }
  return issues;
}

/** The 422 answer for a request past the service's limits. */
export function tooLarge(issues: ConfigIssue[]): ServiceError {
  return new ServiceError(
    422,
    // The code union has no code of its own for this yet: CONFIG_INVALID with 422 says "valid, but too large".
    'CONFIG_INVALID',
    `The session asks for more than this service allows:\n${issues
      .map((i) => `  - ${i.path}: ${i.message}`)
      .join('\n')}`,
    { issues },
  );
}

/**
 * Refuses a config past the service's limits.
 * @throws ServiceError 422 listing every limit passed with its JSON path
 */
export function assertSessionLimits(config: SessionConfig, limits: SessionLimits): void {
  const issues = sessionLimitIssues(config, limits);
  if (issues.length > 0) throw tooLarge(issues);
}
