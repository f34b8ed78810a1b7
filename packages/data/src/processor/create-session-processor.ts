import { ConfigError, intervalToMs, type SessionConfig } from '@strat/core';
import type { TradingCalendar } from '../calendar/trading-calendar';
import { createLiveClock, type LiveClock } from '../clock/live-clock';
import { SimulatedClock } from '../clock/simulated-clock';
import type { BarSource } from '../sources/bar-source';
import { createBarSource } from '../sources/create-bar-source';
import type { BarFeed } from '../sources/feeds/bar-feed';
import { createBarFeed } from '../sources/feeds/create-bar-feed';
import { resolveLiveFeedSettings } from '../sources/feeds/feed-settings';
import type { SessionData } from '../store/session-data';
import type { BarConsumer } from './bar-consumer';
import { DataProcessor } from './data-processor';
import type { DataProcessorBaseOptions } from './data-processor-options';

/** What {@link createSessionProcessor} needs besides the config. */
export interface SessionProcessorOptions
  extends Pick<DataProcessorBaseOptions, 'onProgress' | 'progressEvery' | 'progressEveryMs'> {
  store: SessionData;
  calendar: TradingCalendar;
  consumer: BarConsumer;
  /** The streamed symbols, in order (config symbols first). */
  symbols: readonly string[];
  /** Folder relative CSV paths resolve against: the config file's folder. */
  baseDir?: string;
  /** Live: where `STRAT_FEED_URL`, `STRAT_FEED_KEY` and `STRAT_FEED_SECRET` are read (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Live: a bar the feed sent that could not be used. */
  onProblem?: (message: string) => void;
  /** Backtests: puts something in front of the historical source (a sweep's worker, a {@link BarCache}). */
  wrapSource?: (source: BarSource) => BarSource;
  /** Backtests: replay this source instead of the one `data_config` names (a test's own bars). */
  source?: BarSource;
}

/** The processor of a session, with what it reads from. */
export interface SessionProcessor {
  processor: DataProcessor;
  /** Backtests: the historical source replayed. */
  source: BarSource | undefined;
  /** Live: the feed followed (listen to its `state`, `gap`, `stale` and `problem` events) and the session clock. */
  live: { feed: BarFeed; clock: LiveClock } | undefined;
  /** The session's speed multiple: the backtest's (0 = data-driven); live 1, or the feed clock's configured speed. */
  speedMultiplier: number;
}

/**
 * The data processor a session config describes: a backtest replays `data_config` (the generator
 * or CSV files) over `backtest_config`'s dates at its speed; a live session follows the feed of
 * `live_config` (URL, key and secret from the config or the environment) on the wall or feed
 * clock. This is the only place the mode decides where bars come from.
 * @throws ConfigError for a live session without a feed URL, key or secret, or streams that do not start at the data's interval
 */
export function createSessionProcessor(
  config: SessionConfig,
  options: SessionProcessorOptions,
): SessionProcessor {
  const sdc = config.session_data_config;
  const common = {
    store: options.store,
    calendar: options.calendar,
    symbols: options.symbols,
    streams: sdc.streams,
    gapFill: { enabled: sdc.gap_filler.enabled, maxGapBars: sdc.gap_filler.max_gap_bars },
    consumer: options.consumer,
    onProgress: options.onProgress,
    progressEvery: options.progressEvery,
    progressEveryMs: options.progressEveryMs,
  };
  if (config.mode === 'live') {
    const settings = resolveLiveFeedSettings(config.live_config, options.env ?? process.env);
    const clock = createLiveClock(settings);
    const feed = createBarFeed(settings, { calendar: options.calendar, clock });
    const processor = new DataProcessor({
      ...common,
      feed,
      clock,
      endDate: settings.endDate,
      stepGraceMs: settings.stepGraceMs,
      useAnnouncedSpeed: settings.speed === undefined,
      onProblem: options.onProblem,
    });
    const speedMultiplier = settings.clock === 'feed' ? (settings.speed ?? 1) : 1;
    return { processor, source: undefined, live: { feed, clock }, speedMultiplier };
  }
  const bt = config.backtest_config;
  if (bt === undefined) {
    throw new ConfigError([
      { path: 'backtest_config', message: 'a backtest needs backtest_config (start_date, end_date)' },
    ]);
  }
  const start = bt.start_date;
  const baseInterval = [...sdc.streams].sort((a, b) => intervalToMs(a) - intervalToMs(b))[0];
  const made =
    options.source ??
    createBarSource(config.data_config, {
      calendar: options.calendar,
      baseDir: options.baseDir,
      baseInterval,
    });
  const source = options.wrapSource === undefined ? made : options.wrapSource(made);
  const speedMultiplier = bt.speed_multiplier;
  const processor = new DataProcessor({
    ...common,
    source,
    startDate: start,
    endDate: bt.end_date,
    speedMultiplier,
    // The clock reads the first session's open from the start: scanners and strategies load before any bar.
    clock: new SimulatedClock(options.calendar.sessions(start, bt.end_date)[0]?.open ?? 0),
    warmupBars: sdc.historical.enabled ? sdc.historical.warmup_bars : 0,
  });
  return { processor, source, live: undefined, speedMultiplier };
}
