const DAY_MS = 86_400_000;
/** 10000-01-01T00:00:00Z: from there on (and before 1970) `toISOString` is left to the engine. */
const YEAR_10000_MS = 253_402_300_800_000;
/** The `YYYY-MM-DDT` of the last day formatted (times come in order: one Date per day, not one per call). */
let isoDay = Number.NaN;
let isoDayText = '';

function pad2(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

/**
 * An epoch ms time as ISO 8601 UTC with milliseconds (`2024-01-02T14:30:00.000Z`): the characters of
 * `new Date(ms).toISOString()`, without a Date per call (the journal writes two a signal, results folders
 * one or two a row).
 */
export function isoTime(ms: number): string {
  if (!(ms >= 0 && ms < YEAR_10000_MS) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== isoDay) {
    isoDayText = new Date(day * DAY_MS).toISOString().slice(0, 11);
    isoDay = day;
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const milliText = millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : `${millis}`;
  return `${isoDayText}${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${milliText}Z`;
}
