import { DataError } from '@strat/core';
import { formatCivilDate } from '../../calendar/civil-date';
import { hashCombine, SeededRandom } from './seeded-random';

/** Day number of 1900-01-01, where every walk starts at log level 0. */
export const WALK_ORIGIN_DAY = -25_567;
const CHECKPOINT_DAYS = 1024;
/** Mean reversion per calendar day: a half-life of one year keeps prices near the start price. */
const REVERSION = Math.LN2 / 365;
const DAILY_STREAM = 0x0da11;

/**
 * The generator's day-to-day price level of one symbol: the log price (relative to the start price)
 * at local midnight of each calendar day, as a mean-reverting random walk (Ornstein-Uhlenbeck, half-life
 * one year) started at 0 on 1900-01-01:
 *
 *   level(d + 1) = level(d) * (1 - ln 2 / 365) + volatility / sqrt(365) * z(d)
 *
 * where z(d) is one normal draw seeded by (seed, symbol, d). The level of a day therefore depends only
 * on the seed, the symbol and the day, whichever days were asked before. Checkpoints every 1024 days
 * and a cursor make consecutive look-ups O(1).
 */
export class DailyPriceWalk {
  private readonly checkpoints: number[] = [0];
  private readonly random = new SeededRandom(0);
  private readonly dailyStdDev: number;
  /** The seed of the walk's daily draws, before the day is mixed in. */
  private readonly dailyHash: number;
  private cursorDay = WALK_ORIGIN_DAY;
  private cursorLevel = 0;

  constructor(seedHash: number, volatility: number) {
    this.dailyStdDev = volatility / Math.sqrt(365);
    this.dailyHash = hashCombine(seedHash, DAILY_STREAM);
  }

  /**
   * The log level at the start of `day` (days since 1970-01-01).
   * @throws DataError for days before 1900-01-01.
   */
  levelOn(day: number): number {
    if (day < WALK_ORIGIN_DAY) {
      throw new DataError(`the generator has no bars before 1900-01-01 (asked for ${formatCivilDate(day)})`);
    }
    const checkpoint = Math.floor((day - WALK_ORIGIN_DAY) / CHECKPOINT_DAYS);
    const checkpointDay = WALK_ORIGIN_DAY + checkpoint * CHECKPOINT_DAYS;
    if (!(this.cursorDay <= day && this.cursorDay >= checkpointDay)) {
      this.extendCheckpoints(checkpoint);
      this.cursorDay = checkpointDay;
      this.cursorLevel = this.checkpoints[checkpoint] as number;
    }
    while (this.cursorDay < day) {
      this.cursorLevel = this.step(this.cursorDay, this.cursorLevel);
      this.cursorDay++;
    }
    return this.cursorLevel;
  }

  private extendCheckpoints(upTo: number): void {
    for (let k = this.checkpoints.length; k <= upTo; k++) {
      let day = WALK_ORIGIN_DAY + (k - 1) * CHECKPOINT_DAYS;
      let level = this.checkpoints[k - 1] as number;
      for (let i = 0; i < CHECKPOINT_DAYS; i++, day++) level = this.step(day, level);
      this.checkpoints.push(level);
    }
  }

  private step(day: number, level: number): number {
    this.random.reseed(hashCombine(this.dailyHash, day));
    return level * (1 - REVERSION) + this.dailyStdDev * this.random.nextNormal();
  }
}
