import { type Interval, intervalToMs, type SessionConfig } from '@strat/core';
import { downsampleBars, formatBucket } from '@strat/runtime';
import { ServiceError } from '../../errors/service-error';
import type { ServiceDatabase } from '../../store/service-database';
import { type SessionRegistry, unknownSession } from '../session-registry';
import { type BarsTask, replayInWorker } from './replay-in-worker';
import { lowerBound, type SeriesColumns } from './series-columns';

/** What `GET /sessions/:id/bars` asks for. Times are epoch ms here. */
export interface BarsQuery {
  symbol: string;
  interval: string;
  /** Bars starting at or after (epoch ms). */
  from?: number;
  /** Bars starting at or before (epoch ms). */
  to?: number;
  /** At most this many bars: more are aggregated into coarser buckets. */
  maxPoints: number;
}

/** One bar as a chart takes it: `time` is the bar's start in epoch seconds (UTC). */
export interface BarPoint {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** The answer of `GET /sessions/:id/bars`. */
export interface BarsAnswer {
  symbol: string;
  interval: string;
  /**
   * `store`: a running live session's store (its last `streaming.window` bars); `source`: a
   * backtest's source read again (up to the session's clock while it runs).
   */
  source: 'store' | 'source';
  /** False while the session runs (more bars will come). */
  complete: boolean;
  /** Bars in the range before aggregation. */
  count: number;
  /** The interval the bars were aggregated to (`15m`, `1d`, ...), or null when they are as published. */
  bucket: string | null;
  bars: BarPoint[];
}

/** What {@link SessionBars} reads from. */
export interface SessionBarsOptions {
  db: ServiceDatabase;
  sessions: SessionRegistry;
  /** Where configs' relative paths resolve: the project's `session_configs/`. */
  configDir: string;
  /** Bars kept in memory across series read again from sources (default 2,000,000: about 96 MB). */
  maxCachedBars?: number;
  /** Reads a series again (default: {@link replayInWorker}, on a thread of its own). */
  replay?: (task: BarsTask) => Promise<SeriesColumns>;
}

/** The default of {@link SessionBarsOptions.maxCachedBars}. */
export const DEFAULT_CACHED_BARS = 2_000_000;

/**
 * The bars of a session's series for charts.
 *
 * - A backtest's bars are read again from its source through the session's own data path
 *   (`replaySeriesBars`, on a thread of its own): the same bars its strategies saw, the whole range at once whether
 *   it runs or ended; while it runs only the bars closed by the session's clock are answered, so
 *   a chart grows with the session. Series read are kept (least recently used first out) up to
 *   `maxCachedBars`.
 * - A live session's bars come from its store while it runs: its last `streaming.window` bars
 *   (a chart that polls with `from` keeps the earlier ones). A live feed cannot be read again:
 *   once the session ended, there are none (404).
 */
export class SessionBars {
  readonly #o: SessionBarsOptions;
  readonly #maxCached: number;
  readonly #cache = new Map<string, { bars: Promise<SeriesColumns>; count: number }>();
  #cached = 0;

  constructor(options: SessionBarsOptions) {
    this.#o = options;
    this.#maxCached = options.maxCachedBars ?? DEFAULT_CACHED_BARS;
  }

  /**
   * The bars of one series of a session.
   * @throws ServiceError 404 `SESSION_NOT_FOUND`; 400 `REQUEST_INVALID` for a symbol or interval the
   *   session does not stream (naming those it does); 404 `NOT_FOUND` for an ended live session, or a
   *   source that cannot be read again
   */
  async get(id: string, query: BarsQuery): Promise<BarsAnswer> {
    const stored = this.#o.db.getSession(id);
    const view = this.#o.sessions.view(id);
    if (stored === undefined || view === undefined) throw unknownSession(id);
    const config = JSON.parse(stored.config) as SessionConfig;
    checkSeries(query, view.symbols, config.session_data_config.streams);
    const running = this.#o.sessions.isRunning(id);
    const base = { symbol: query.symbol, interval: query.interval };
    if (config.mode === 'live') {
      const bars = running ? await this.#o.sessions.storedBars(id, query.symbol, query.interval) : undefined;
      if (bars === undefined) {
        throw new ServiceError(
          404,
          'NOT_FOUND',
          `Session ${id} followed a live feed and has ended: its bars are kept only while it runs`,
        );
      }
      return { ...base, source: 'store', complete: false, ...shape(bars ?? emptyColumns(), query) };
    }
    const all = await this.#replayed(id, config, query);
    // While it runs (or when it stopped early), only what the session's clock had closed.
    const clock = running || view.state !== 'completed' ? view.progress?.time : undefined;
    const closedBy = clock === undefined ? undefined : clock - intervalToMs(query.interval);
    const to = closedBy === undefined ? query.to : Math.min(query.to ?? closedBy, closedBy);
    return { ...base, source: 'source', complete: !running, ...shape(all, { ...query, to }) };
  }

  async #replayed(id: string, config: SessionConfig, query: BarsQuery): Promise<SeriesColumns> {
    const key = `${id}\u0000${query.symbol}\u0000${query.interval}`;
    const hit = this.#cache.get(key);
    if (hit !== undefined) {
      // Most recently used last.
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      return hit.bars;
    }
    const replay = this.#o.replay ?? replayInWorker;
    const task = {
      config,
      configDir: this.#o.configDir,
      symbol: query.symbol,
      interval: query.interval as Interval,
    };
    const entry = { bars: replay(task), count: 0 };
    this.#cache.set(key, entry);
    let bars: SeriesColumns;
    try {
      bars = await entry.bars;
    } catch (error) {
      this.#cache.delete(key);
      throw new ServiceError(
        404,
        'NOT_FOUND',
        `The bars of session ${id} cannot be read again from its source: ${(error as Error).message}`,
      );
    }
    if (this.#cache.get(key) === entry) {
      entry.count = bars.time.length;
      this.#cached += entry.count;
      this.#evict(key);
    }
    return bars;
  }

  /** Drops the least recently used series until the cache fits (the one just read stays). */
  #evict(keep: string): void {
    for (const [key, entry] of this.#cache) {
      if (this.#cached <= this.#maxCached) return;
      if (key === keep) continue;
      this.#cache.delete(key);
      this.#cached -= entry.count;
    }
  }

  /** Bars held in memory (for tests and metrics). */
  get cachedBars(): number {
    return this.#cached;
  }
}

function checkSeries(query: BarsQuery, symbols: readonly string[], intervals: readonly string[]): void {
  const issues = [];
  if (!symbols.includes(query.symbol)) {
    issues.push({
      path: 'querystring.symbol',
      message: `the session does not stream ${JSON.stringify(query.symbol)} (it streams: ${symbols.join(', ')})`,
    });
  }
  if (!intervals.includes(query.interval)) {
    issues.push({
      path: 'querystring.interval',
      message: `the session does not stream ${JSON.stringify(query.interval)} bars (its streams: ${intervals.join(', ')})`,
    });
  }
  if (issues.length === 0) return;
  throw new ServiceError(
    400,
    'REQUEST_INVALID',
    `Invalid request querystring:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`,
    { issues },
  );
}

function emptyColumns(): SeriesColumns {
  const empty = new Float64Array(0);
  return { time: empty, open: empty, high: empty, low: empty, close: empty, volume: empty };
}

/** The bars in [from, to], aggregated to at most `maxPoints`, as chart points. */
function shape(
  bars: SeriesColumns,
  query: Pick<BarsQuery, 'from' | 'to' | 'maxPoints'>,
): Pick<BarsAnswer, 'count' | 'bucket' | 'bars'> {
  const start = query.from === undefined ? 0 : lowerBound(bars.time, query.from);
  const end = query.to === undefined ? bars.time.length : lowerBound(bars.time, query.to + 1);
  const slice = (column: Float64Array) => Array.from(column.subarray(start, Math.max(start, end)));
  const drawn = downsampleBars(
    {
      time: slice(bars.time),
      open: slice(bars.open),
      high: slice(bars.high),
      low: slice(bars.low),
      close: slice(bars.close),
      volume: slice(bars.volume),
    },
    query.maxPoints,
  );
  const points: BarPoint[] = [];
  const volume = drawn.volume ?? [];
  for (let i = 0; i < drawn.time.length; i++) {
    points.push({
      time: Math.floor((drawn.time[i] as number) / 1000),
      open: drawn.open[i] as number,
      high: drawn.high[i] as number,
      low: drawn.low[i] as number,
      close: drawn.close[i] as number,
      volume: volume[i] as number,
    });
  }
  return {
    count: drawn.bucketMs === undefined ? points.length : Math.max(0, end - start),
    bucket: drawn.bucketMs === undefined ? null : formatBucket(drawn.bucketMs),
    bars: points,
  };
}
