import { DAY_MS } from './civil-date';

// No @strat/core here: the CSV parsing thread converts wall-clock times with this module alone.

const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu']);

/**
 * The UTC offsets of one time zone, learnt from Intl.DateTimeFormat (which is slow, about 2 µs per
 * call) and cached per UTC day: a day either has one offset throughout, or one transition found by
 * bisection to the second. No real zone changes its offset twice within a day.
 */
export class ZoneOffsets {
  /** Formats an instant with its offset only ("GMT-04:56:02"); undefined for UTC itself. */
  private readonly formatter: Intl.DateTimeFormat | undefined;
  private readonly constantDays = new Map<number, number>();
  private readonly transitionDays = new Map<number, readonly [at: number, before: number, after: number]>();

  constructor(timezone: string) {
    // The offset alone (`longOffset`, seconds included when a zone has them, as local mean times
    // do) costs a fifth of formatting every field and reading the wall clock back.
    const formatter = new Intl.DateTimeFormat('en-US', { timeZone: timezone, timeZoneName: 'longOffset' });
    this.formatter = UTC_NAMES.has(formatter.resolvedOptions().timeZone) ? undefined : formatter;
  }

  offsetAt(time: number): number {
    if (this.formatter === undefined) return 0;
    const day = Math.floor(time / DAY_MS);
    const constant = this.constantDays.get(day);
    if (constant !== undefined) return constant;
    const transition = this.transitionDays.get(day);
    if (transition !== undefined) return time < transition[0] ? transition[1] : transition[2];
    this.learnDay(day);
    return this.offsetAt(time);
  }

  private learnDay(day: number): void {
    // Bounded caches: a long-running process asking about ever new days must not grow without limit.
    if (this.constantDays.size > 200_000) this.constantDays.clear();
    const start = day * DAY_MS;
    const last = start + DAY_MS - 1000;
    const before = this.rawOffset(start);
    const after = this.rawOffset(last);
    if (before === after) {
      this.constantDays.set(day, before);
      return;
    }
    let lo = start;
    let hi = last;
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (this.rawOffset(mid) === before) lo = mid;
      else hi = mid;
    }
    this.transitionDays.set(day, [hi, before, after]);
  }

  /** The offset at `time` from the formatted "GMT", "GMT+05:30" or "GMT-04:56:02". */
  private rawOffset(time: number): number {
    const text = (this.formatter as Intl.DateTimeFormat).format(time);
    const at = text.lastIndexOf('GMT') + 3;
    const sign = text.charCodeAt(at);
    if (sign !== PLUS && sign !== MINUS && sign !== MINUS_SIGN) return 0;
    const hours = Number(text.slice(at + 1, at + 3));
    const minutes = Number(text.slice(at + 4, at + 6));
    const seconds = text.charCodeAt(at + 6) === COLON ? Number(text.slice(at + 7, at + 9)) : 0;
    const offset = (hours * 3600 + minutes * 60 + seconds) * 1000;
    return sign === PLUS ? offset : -offset;
  }
}

const PLUS = 43;
const MINUS = 45;
const MINUS_SIGN = 0x2212;
const COLON = 58;

const zones = new Map<string, ZoneOffsets>();

/**
 * The offsets of `timezone`, made once per zone and process.
 * @throws RangeError (Intl's) for a zone this runtime does not know.
 */
export function offsetsOfZone(timezone: string): ZoneOffsets {
  let zone = zones.get(timezone);
  if (zone === undefined) {
    zone = new ZoneOffsets(timezone);
    zones.set(timezone, zone);
  }
  return zone;
}

/**
 * {@link zonedWallTimeToUtc} on a zone's offsets: the earlier instant of a repeated reading, a skipped
 * reading moved forward by the gap.
 */
export function wallTimeToUtcIn(zone: ZoneOffsets, wallTime: number): number {
  const offsetBefore = zone.offsetAt(wallTime - DAY_MS);
  const offsetAfter = zone.offsetAt(wallTime + DAY_MS);
  const earlier = wallTime - offsetBefore;
  if (zone.offsetAt(earlier) === offsetBefore) return earlier;
  const later = wallTime - offsetAfter;
  if (zone.offsetAt(later) === offsetAfter) return later;
  return earlier;
}
