import type {
  CalendarConfig,
  ExecutionConfigInput,
  Interval,
  LogLevel,
  LogRecord,
  SessionConfigInput,
  StrategyClass,
  StrategyConfigOf,
} from '@strat/core';
import { TradingCalendar } from '@strat/data/calendar';
import type { Fill, StrategyResult } from '../execution/execution-types';
import { Session } from '../session/session';
import type { SessionSummary } from '../session/session-types';
import type { StampedSignal } from '../thread/stamped-signal';
import type { StrategyExecutor } from '../thread/strategy-metrics';
import type { StrategyErrorEvent } from '../thread/strategy-thread-events';
import { BarListSource, type TestBar } from './bar-list-source';

/** A generated series (the seeded random walk of `data_config.source: "generator"`). */
export interface GeneratedBars {
  /** First trading day, `YYYY-MM-DD`. */
  start_date: string;
  /** Last trading day, `YYYY-MM-DD` (the calendar's days in between are replayed). */
  end_date: string;
  /** Default 42: the same seed gives the same bars. */
  seed?: number;
  /** First price of every symbol (default 100). */
  start_price?: number;
  /** Annualised volatility of the walk (default 0.3). */
  volatility?: number;
  /** Share of bars left out, 0 to 0.5 (default 0). */
  missing_bar_rate?: number;
}

/**
 * What {@link runStrategy} runs, over which bars. `S` is the strategy's class (or a module path),
 * which types `config`.
 */
export interface RunStrategyOptions<S extends StrategyClass | string = StrategyClass | string> {
  /** The strategy: its class, or a module path as a session config would name it (`strategies.production.my_strategy`). */
  strategy: S;
  /**
   * The strategy's config: typed by the class (what its `configSchema` takes, else its `BaseStrategy<C>`
   * config type), and validated against its `configSchema` when the run starts.
   */
  config?: S extends StrategyClass ? StrategyConfigOf<S> : Record<string, unknown>;
  /** The strategy's name in signals and fills (default: derived from the class or module). */
  name?: string;
  /**
   * The bars to replay: a list (for `symbol`) or lists per symbol. A bar is a number (its close;
   * open, high and low equal it) or an object; bars without `time` follow each other by
   * `interval`, the first at `start`. Give `bars` or `generate`.
   */
  bars?: readonly TestBar[] | Readonly<Record<string, readonly TestBar[]>>;
  /** The symbol of a plain `bars` list, and the symbol generated when `generate` names none (default `TEST`). */
  symbol?: string;
  /** Generate bars for `symbols` (default: `symbol`) instead of giving them. */
  generate?: GeneratedBars & { symbols?: readonly string[] };
  /** Interval of the given or generated bars (default `1m`). */
  interval?: Interval;
  /** The streams the session makes, shortest first (default: `interval` alone). */
  streams?: readonly Interval[];
  /** Time of the first bar without `time`, epoch ms or ISO text (default 2024-01-02T00:00:00Z). */
  start?: number | string;
  /** Trading calendar (default: `24x7` for given bars, so every time is in session; `us_equities` for generated ones). */
  calendar?: CalendarConfig;
  /** Paper execution (the session config's `execution`): fills and results come back too. */
  execution?: ExecutionConfigInput;
  /** `inline` (default: breakpoints work, no `moduleUrl` needed) or `worker`. */
  executor?: StrategyExecutor;
  /** Lowest level of the strategy's log records collected (default `info`). */
  logLevel?: LogLevel;
  /** Folder module paths resolve against (default: the current directory). */
  configDir?: string;
  /** Folders strategy files may lie in (default: `strategies/` of the project). */
  strategyRoots?: readonly string[];
}

/** What a strategy did over the bars of {@link runStrategy}. */
export interface StrategyRun {
  /** Its signals in journal order, stamped (strategy, bar time, sequence). */
  signals: StampedSignal[];
  /** With `execution`: its paper fills, in time order. */
  fills: Fill[];
  /** With `execution`: its paper results (trades, equity, stats). */
  result: StrategyResult | undefined;
  /** Errors its hooks threw (the run goes on after them). */
  errors: StrategyErrorEvent[];
  /** Its log records (and the session's), at `logLevel` and above. */
  logs: LogRecord[];
  /** The session's summary. */
  summary: SessionSummary;
}

const DEFAULT_START = Date.UTC(2024, 0, 2);

function barLists(options: RunStrategyOptions): Readonly<Record<string, readonly TestBar[]>> | undefined {
  const bars = options.bars;
  if (bars === undefined) return undefined;
  return Array.isArray(bars)
    ? { [options.symbol ?? 'TEST']: bars as readonly TestBar[] }
    : (bars as Record<string, readonly TestBar[]>);
}

/**
 * The session config and source {@link runStrategy} runs: the strategy alone, over the given bars
 * (replayed from memory, from the session date of the first bar to that of the last) or a
 * generated series.
 * @throws TypeError without bars or with both `bars` and `generate`
 */
export function strategyRunConfig(options: RunStrategyOptions): {
  config: SessionConfigInput;
  source?: BarListSource;
} {
  const lists = barLists(options);
  if ((lists === undefined) === (options.generate === undefined)) {
    throw new TypeError('runStrategy needs either bars or generate');
  }
  const interval = options.interval ?? '1m';
  const entry = {
    ...(typeof options.strategy === 'string' ? { module: options.strategy } : { strategy: options.strategy }),
    ...(options.name === undefined ? {} : { name: options.name }),
    config: options.config ?? {},
  };
  const common = {
    mode: 'backtest' as const,
    ...(options.execution === undefined ? {} : { execution: options.execution }),
  };
  const streams = [...(options.streams ?? [interval])];
  if (lists !== undefined) {
    const start =
      typeof options.start === 'string' ? Date.parse(options.start) : (options.start ?? DEFAULT_START);
    const source = new BarListSource(lists, interval, start);
    const calendar = options.calendar ?? { preset: '24x7' as const };
    // Session dates, not local dates: a bar from 18:00 on belongs to the next day's Globex session.
    const sessionDates = TradingCalendar.fromConfig(calendar);
    const range = source.timeRange() ?? { first: start, last: start };
    const config: SessionConfigInput = {
      ...common,
      backtest_config: {
        start_date: sessionDates.sessionDateOf(range.first),
        end_date: sessionDates.sessionDateOf(range.last),
        speed_multiplier: 0,
      },
      session_data_config: {
        symbols: [...source.symbols],
        streams,
        calendar,
        streaming: { executor: options.executor ?? 'inline' },
        strategies: [entry],
      },
    };
    return { config, source };
  }
  const { symbols, start_date, end_date, ...generator } = options.generate as GeneratedBars & {
    symbols?: readonly string[];
  };
  const config: SessionConfigInput = {
    ...common,
    backtest_config: { start_date, end_date, speed_multiplier: 0 },
    session_data_config: {
      symbols: [...(symbols ?? [options.symbol ?? 'TEST'])],
      streams,
      ...(options.calendar === undefined ? {} : { calendar: options.calendar }),
      streaming: { executor: options.executor ?? 'inline' },
      strategies: [entry],
    },
    data_config: { source: 'generator', ...generator },
  };
  return { config };
}

/**
 * Runs one strategy over given bars or a generated series, through a real session (the same
 * store, bounded context, sequencer and paper execution as `strat run`, data-driven), and returns
 * what it did: its signals, and its fills and results when `execution` is given.
 *
 * @example
 * ```ts
 * const run = await runStrategy({
 *   strategy: MeanReversionStrategy,
 *   config: { symbols: ['TEST'], lookback: 3 },
 *   bars: [10, 11, 10, 12, 13, 9],
 * });
 * expect(run.signals.map((s) => s.action)).toEqual(['BUY', 'SELL']);
 * ```
 * @throws ConfigError for an invalid config (the strategy's own included, with its JSON paths);
 *   StrategyLoadError when the strategy cannot be loaded or refuses to start
 */
export async function runStrategy<S extends StrategyClass | string>(
  options: RunStrategyOptions<S>,
): Promise<StrategyRun> {
  const { config, source } = strategyRunConfig(options);
  const logs: LogRecord[] = [];
  const session = Session.fromConfig(config, {
    configDir: options.configDir ?? process.cwd(),
    logLevel: options.logLevel ?? 'info',
    logSink: (record) => logs.push(record),
    ...(source === undefined ? {} : { source }),
    ...(options.strategyRoots === undefined ? {} : { strategyRoots: options.strategyRoots }),
  });
  const signals: StampedSignal[] = [];
  const fills: Fill[] = [];
  const errors: StrategyErrorEvent[] = [];
  session.on('signal', (batch) => signals.push(...batch));
  session.on('fill', (fill) => fills.push(fill));
  session.on('strategyError', (event) => errors.push(event));
  try {
    const summary = await session.start();
    return { signals, fills, result: session.results?.strategies[0], errors, logs, summary };
  } finally {
    await session.shutdown();
  }
}
