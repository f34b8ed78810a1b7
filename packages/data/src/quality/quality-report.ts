import type { Interval } from '@strat/core';

/** Bar quality of one series over one session (or the part of it seen so far). */
export interface SeriesQualityRecord {
  /** The instrument. */
  readonly symbol: string;
  /** The bar interval of the series. */
  readonly interval: Interval;
  /** Bars (base) or base slots (derived) expected so far. */
  readonly expected: number;
  /** Real bars (base) or real base bars inside closed buckets (derived) received so far. */
  readonly received: number;
  /** Bars made up by the gap filler (base series only; derived series are never filled). */
  readonly filled: number;
  /** `received / expected` as a percent (0-100); 100 while nothing is expected. */
  readonly percent: number;
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

/** Sums per-session quality into one record per series (expected, received and filled over every session). */
export function summarizeQuality(sessions: readonly SessionQualityReport[]): SeriesQualityRecord[] {
  const totals = new Map<
    string,
    { symbol: string; interval: Interval; expected: number; received: number; filled: number }
  >();
  for (const session of sessions) {
    for (const r of session.series) {
      const key = `${r.symbol} ${r.interval}`;
      const t = totals.get(key) ?? {
        symbol: r.symbol,
        interval: r.interval,
        expected: 0,
        received: 0,
        filled: 0,
      };
      t.expected += r.expected;
      t.received += r.received;
      t.filled += r.filled;
      totals.set(key, t);
    }
  }
  return [...totals.values()].map((t) => ({
    ...t,
    percent: t.expected === 0 ? 100 : Math.min(100, (t.received / t.expected) * 100),
  }));
}
