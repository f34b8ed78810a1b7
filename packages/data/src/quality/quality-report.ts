import type { Interval } from '@strat/core';

/**
 * Bar quality of one series over one session (or the part of it seen so far). Two units:
 * `expected`, `received` and `filled` count bars of `baseInterval` (the unit `percent` is measured
 * in, as `readQuality` gives it to strategies); `expectedBars`, `receivedBars` and `partialBars`
 * count bars of the series' own `interval` (a 5m series over a 390-minute session expects 78).
 */
export interface SeriesQualityRecord {
  /** The instrument. */
  readonly symbol: string;
  /** The bar interval of the series. */
  readonly interval: Interval;
  /** Bars (base) or base slots (derived) expected so far, in bars of `baseInterval`. */
  readonly expected: number;
  /** Real bars (base) or real base bars inside closed buckets (derived) received so far, in bars of `baseInterval`. */
  readonly received: number;
  /** Bars made up by the gap filler (base series only; derived series are never filled). */
  readonly filled: number;
  /** `received / expected` as a percent (0-100); 100 while nothing is expected. */
  readonly percent: number;
  /** The base (shortest) interval of the symbol: the unit of `expected`, `received` and `filled`. */
  readonly baseInterval: Interval;
  /** Bars of `interval` expected so far: base slots elapsed (base), buckets that are over (derived). */
  readonly expectedBars: number;
  /** Bars of `interval` received: real bars (base), bars published from at least one real base bar (derived). */
  readonly receivedBars: number;
  /** Derived bars published from fewer real base bars than their bucket has slots (0 for the base series). */
  readonly partialBars: number;
}

/** Bar quality of every series of one or more symbols over one session. */
export interface SessionQualityReport {
  /** Session open, epoch ms UTC. */
  readonly sessionOpen: number;
  /** Session close, epoch ms UTC. */
  readonly sessionClose: number;
  /** False while the session is still running (numbers so far). */
  readonly complete: boolean;
  /** One record per series: per symbol the base series first, then derived ones from the shortest up. */
  readonly series: readonly SeriesQualityRecord[];
}

/**
 * Merges per-symbol quality reports into one report per session, sessions in time order, series
 * in the order given. Sessions are matched by their open time.
 */
export function mergeQualityReports(
  reports: Iterable<readonly SessionQualityReport[]>,
): SessionQualityReport[] {
  const bySessionOpen = new Map<
    number,
    { sessionOpen: number; sessionClose: number; complete: boolean; series: SeriesQualityRecord[] }
  >();
  for (const sessions of reports) {
    for (const session of sessions) {
      const merged = bySessionOpen.get(session.sessionOpen);
      if (merged) {
        merged.series.push(...session.series);
        merged.complete &&= session.complete;
        merged.sessionClose = Math.max(merged.sessionClose, session.sessionClose);
      } else {
        bySessionOpen.set(session.sessionOpen, { ...session, series: [...session.series] });
      }
    }
  }
  return [...bySessionOpen.values()].sort((a, b) => a.sessionOpen - b.sessionOpen);
}

type QualityTotals = {
  -readonly [K in Exclude<keyof SeriesQualityRecord, 'percent'>]: SeriesQualityRecord[K];
};

/** Sums per-session quality into one record per series (expected, received and filled over every session). */
export function summarizeQuality(sessions: readonly SessionQualityReport[]): SeriesQualityRecord[] {
  const totals = new Map<string, QualityTotals>();
  for (const session of sessions) {
    for (const r of session.series) {
      const key = `${r.symbol} ${r.interval}`;
      const t = totals.get(key) ?? {
        symbol: r.symbol,
        interval: r.interval,
        expected: 0,
        received: 0,
        filled: 0,
        baseInterval: r.baseInterval,
        expectedBars: 0,
        receivedBars: 0,
        partialBars: 0,
      };
      t.expected += r.expected;
      t.received += r.received;
      t.filled += r.filled;
      t.expectedBars += r.expectedBars;
      t.receivedBars += r.receivedBars;
      t.partialBars += r.partialBars;
      totals.set(key, t);
    }
  }
  return [...totals.values()].map((t) => ({
    symbol: t.symbol,
    interval: t.interval,
    expected: t.expected,
    received: t.received,
    filled: t.filled,
    percent: t.expected === 0 ? 100 : Math.min(100, (t.received / t.expected) * 100),
    baseInterval: t.baseInterval,
    expectedBars: t.expectedBars,
    receivedBars: t.receivedBars,
    partialBars: t.partialBars,
  }));
}
