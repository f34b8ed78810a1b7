import { ConfigError, type ConfigIssue, DataError, type Interval, parseInterval } from '@strat/core';
import { DAY_MS, parseCivilDate } from '../../calendar/civil-date';
import type { TradingCalendar, TradingSession } from '../../calendar/trading-calendar';
import { BarChunkBuilder } from '../bar-chunk-builder';
import type { BarChunk, BarSource, ReadOptions, SourceReport } from '../bar-source';
import { SourceReportRecorder } from '../source-report-recorder';
import { DailyPriceWalk } from './daily-price-walk';
import { hashCombine, hashString, SeededRandom } from './seeded-random';

/** Options of {@link GeneratorBarSource}: the generator `data_config` fields plus the calendar and interval. */
export interface GeneratorBarSourceOptions {
  /** Bars are made for this calendar's sessions only. */
  calendar: TradingCalendar;
  /** Bar interval, from `1s` up to `1d` (default `1m`). A `1d` bar spans one session, labelled at its open. */
  interval?: Interval;
  /** Integer seed (default 42). */
  seed?: number;
  /** Share of bars dropped at random, 0..0.5 (default 0). */
  missing_bar_rate?: number;
  /** The price level the walk reverts to (default 100). */
  start_price?: number;
  /** Annualised volatility of the log price (default 0.3). */
  volatility?: number;
  /** JSON path prefix used in error messages (default `data_config`). */
  configPath?: string;
}

/** Volume of a whole session, spread over its bars. */
const SESSION_VOLUME = 1_000_000;
/** Mean of the U-shaped intraday volume profile 1 + 2 (2x - 1)^2 over x in [0, 1]. */
const VOLUME_PROFILE_MEAN = 5 / 3;
const INTRADAY_STREAM = 0x1d4a7;

/**
 * Deterministic synthetic bars for any symbol, during the sessions of a trading calendar.
 *
 * The rule, so that a bar depends only on the seed, the symbol and its time (not on the other symbols
 * asked for, nor on where a read starts):
 * - each calendar day has a level from {@link DailyPriceWalk} (a mean-reverting walk around
 *   `start_price`, seeded by seed, symbol and day);
 * - a session on day D runs a Brownian bridge of log price from the level of D (its first open) to the
 *   level of D + 1 (its last close), one step per bar with per-bar volatility scaled from the annual one,
 *   drawn from a generator seeded by (seed, symbol, D); the gap to the next session's open is the walk
 *   over the days in between (weekends gap more);
 * - each bar's open is the previous close; high and low extend beyond open and close by a random wick;
 *   volume follows a U shape over the session with noise; prices are rounded to cents;
 * - a bar is dropped when a uniform draw falls below `missing_bar_rate`; the draws of dropped bars still
 *   happen, so dropping never changes the other bars.
 */
export class GeneratorBarSource implements BarSource {
  /** 'generator seed 42'. */
  readonly description: string;
  /** The interval of every bar. */
  readonly interval: Interval;
  /** Any symbol: the generator invents bars for whatever it is asked. */
  readonly symbols = undefined;
  private readonly calendar: TradingCalendar;
  private readonly intervalMs: number;
  private readonly seed: number;
  private readonly missingBarRate: number;
  private readonly startPrice: number;
  private readonly volatility: number;
  private readonly walks = new Map<string, DailyPriceWalk>();
  private readonly recorder = new SourceReportRecorder();

  /** @throws ConfigError for an interval longer than a day or out-of-range numbers. */
  constructor(options: GeneratorBarSourceOptions) {
    const path = options.configPath ?? 'data_config';
    const issues: ConfigIssue[] = [];
    const interval = options.interval ?? '1m';
    let intervalMs = 60_000;
    try {
      intervalMs = parseInterval(interval).ms;
      if (intervalMs > DAY_MS) {
        issues.push({ path: 'interval', message: `the generator makes bars up to 1d, not ${interval}` });
      }
    } catch (error) {
      issues.push({ path: 'interval', message: (error as Error).message });
    }
    const seed = options.seed ?? 42;
    const missingBarRate = options.missing_bar_rate ?? 0;
    const startPrice = options.start_price ?? 100;
    const volatility = options.volatility ?? 0.3;
    if (!Number.isSafeInteger(seed))
      issues.push({ path: `${path}.seed`, message: `expected an integer, got ${seed}` });
    if (!(missingBarRate >= 0 && missingBarRate <= 0.5)) {
      issues.push({
        path: `${path}.missing_bar_rate`,
        message: `expected a number from 0 to 0.5, got ${missingBarRate}`,
      });
    }
    if (!(startPrice > 0 && Number.isFinite(startPrice))) {
      issues.push({ path: `${path}.start_price`, message: `expected a positive number, got ${startPrice}` });
    }
    if (!(volatility > 0 && Number.isFinite(volatility))) {
      issues.push({ path: `${path}.volatility`, message: `expected a positive number, got ${volatility}` });
    }
    if (issues.length > 0) throw new ConfigError(issues, { summary: 'Invalid generator settings' });
    this.calendar = options.calendar;
    this.interval = interval;
    this.intervalMs = intervalMs;
    this.seed = seed;
    this.missingBarRate = missingBarRate;
    this.startPrice = startPrice;
    this.volatility = volatility;
    this.description = `generator seed ${seed}`;
  }

  /** Bars produced so far; the generator never skips rows. */
  report(): SourceReport {
    return this.recorder.snapshot();
  }

  /**
   * Bars of `symbol` starting in [from, to), in chunks of up to 4096; with `options.reuse`, written
   * into the memory of the chunks already read (two chunks' worth for the whole read).
   * @throws DataError for an infinite range or one reaching before 1900.
   */
  async *read(symbol: string, from: number, to: number, options?: ReadOptions): AsyncGenerator<BarChunk> {
    if (!Number.isFinite(from) || !Number.isFinite(to)) {
      throw new DataError(`${this.description} needs a finite time range to read ${symbol}`);
    }
    const walk = this.walkFor(symbol);
    const random = new SeededRandom(0);
    const builder = new BarChunkBuilder(symbol);
    const ready: BarChunk[] = [];
    for (const session of this.calendar.sessionsBetween(from, to)) {
      this.generateSession(session, from, to, walk, this.symbolHash(symbol), random, builder, ready);
      for (const chunk of ready) {
        this.recorder.rowsRead += chunk.length;
        yield chunk;
      }
      // Resumed: the reader asked for the next chunk, so it is done with every one of `ready`.
      if (options?.reuse === true) for (const chunk of ready) builder.recycle(chunk);
      ready.length = 0;
    }
    if (builder.length > 0) {
      this.recorder.rowsRead += builder.length;
      yield builder.take();
    }
  }

  /** Makes every bar of `session` (the draws of all of them, so the rule holds) and keeps those in [from, to). */
  private generateSession(
    session: TradingSession,
    from: number,
    to: number,
    walk: DailyPriceWalk,
    symbolHash: number,
    random: SeededRandom,
    builder: BarChunkBuilder,
    ready: BarChunk[],
  ): void {
    const barMs = this.intervalMs;
    const startPrice = this.startPrice;
    const missingBarRate = this.missingBarRate;
    const day = parseCivilDate(session.date) as number;
    const barCount = barMs >= DAY_MS ? 1 : Math.ceil((session.close - session.open) / barMs);
    const stepStdDev = this.volatility / Math.sqrt(365 * barCount);
    // Uniform wicks averaging 0.8 of a step's standard deviation: cheap, and ranges look plausible.
    const wickScale = 1.6 * stepStdDev;
    const volumePerBar = SESSION_VOLUME / barCount / VOLUME_PROFILE_MEAN;
    let level = walk.levelOn(day);
    const targetLevel = walk.levelOn(day + 1);
    let previousClose = roundToCents(startPrice * Math.exp(level));
    random.reseed(hashCombine(hashCombine(symbolHash, INTRADAY_STREAM), day));

    for (let k = 0; k < barCount; k++) {
      const remaining = barCount - k;
      const shock = stepStdDev * Math.sqrt((remaining - 1) / remaining) * random.nextNormal();
      level += (targetLevel - level) / remaining + shock;
      const open = previousClose;
      const close = roundToCents(startPrice * Math.exp(level));
      previousClose = close;
      const upper = Math.max(open, close);
      const lower = Math.min(open, close);
      const highWick = roundToCents(upper * (1 + wickScale * random.nextUniform()));
      const lowWick = roundToCents(lower * (1 - wickScale * random.nextUniform()));
      const position = (2 * k + 1) / barCount - 1;
      const volume = Math.round(volumePerBar * (1 + 2 * position * position) * (0.5 + random.nextUniform()));
      const dropped = random.nextUniform() < missingBarRate;
      const time = session.open + k * barMs;
      if (dropped || time < from) continue;
      if (time >= to) return;
      builder.push(time, open, Math.max(highWick, upper), Math.min(lowWick, lower), close, volume);
      if (builder.isFull) ready.push(builder.take());
    }
  }

  private symbolHash(symbol: string): number {
    return hashCombine(hashString(symbol), this.seed);
  }

  private walkFor(symbol: string): DailyPriceWalk {
    let walk = this.walks.get(symbol);
    if (walk === undefined) {
      walk = new DailyPriceWalk(this.symbolHash(symbol), this.volatility);
      this.walks.set(symbol, walk);
    }
    return walk;
  }
}

/** Rounds to whole cents, never below one cent. */
function roundToCents(price: number): number {
  const cents = Math.round(price * 100);
  return cents < 1 ? 0.01 : cents / 100;
}
