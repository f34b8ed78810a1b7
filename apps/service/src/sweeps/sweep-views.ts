import {
  type Combination,
  objectiveName,
  type PerformanceStats,
  rankRows,
  type SweepObjective,
  type SweepRow,
} from '@strat/runtime';
import type { StoredSweep, StoredSweepRow, StoredSweepState } from '../store/sweep-store';
import type { SweepSpec } from './sweep-request';

/** A finished combination as the API shows it. */
export interface SweepRowView {
  /** 1 for the best by the objective (within its walk-forward window and phase). */
  rank: number;
  /** Its index in the full grid. */
  index: number;
  combination: Combination;
  /** The session's total results (every metric; an Infinity is null), null when it failed. */
  stats: Record<string, number | null> | null;
  signals: number | null;
  error: string | null;
  /** Wall time of the session, ms. */
  ms: number | null;
  /** The walk-forward window (from 0) and phase, null in a plain sweep. */
  window: number | null;
  phase: 'train' | 'test' | null;
}

/** Where a sweep is: sessions done of all, failed ones, and the estimated seconds left. */
export interface SweepProgress {
  done: number;
  total: number;
  failed: number;
  /** Seconds left at the pace so far (null before the first row and once ended). */
  etaSeconds: number | null;
}

/** A sweep in lists. */
export interface SweepView {
  id: string;
  name: string | null;
  state: StoredSweepState;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  spec: SweepSpecView;
  progress: SweepProgress;
  /** The best combination so far (plain sweeps), or null. */
  best: SweepRowView | null;
}

/** A sweep with its ranked rows, its failed combinations, the walk-forward windows and its config. */
export interface SweepDetail extends SweepView {
  rows: SweepRowView[];
  errors: {
    index: number;
    combination: Combination;
    error: string;
    window: number | null;
    phase: 'train' | 'test' | null;
  }[];
  windows: unknown[] | null;
  config: unknown;
}

/** The spec as shown: the objective by its results.json name. */
export type SweepSpecView = Omit<SweepSpec, 'objective'> & { objective: string };

/** The stored spec with the objective as the runtime names it. */
export function parseSpec(stored: StoredSweep): SweepSpec {
  return JSON.parse(stored.spec) as SweepSpec;
}

function specView(spec: SweepSpec): SweepSpecView {
  return { ...spec, objective: objectiveName(spec.objective) };
}

/** A stored row as the runtime's row (null stats back to undefined; a null objective value as Infinity when it was one). */
function runtimeRow(row: StoredSweepRow): SweepRow {
  const stats = row.stats === null ? undefined : (JSON.parse(row.stats) as PerformanceStats);
  // JSON keeps an Infinity as null: the only metric that is Infinity is a profit factor without losses.
  if (stats !== undefined && (stats.profitFactor as number | null) === null)
    stats.profitFactor = Number.POSITIVE_INFINITY;
  return {
    index: row.index,
    combination: JSON.parse(row.combination) as Combination,
    ...(stats === undefined ? {} : { stats }),
    ...(row.error === null ? {} : { error: row.error }),
  };
}

/** Rows ranked by the objective within each walk-forward window and phase (one group in a plain sweep). */
export function rankStoredRows(
  rows: readonly StoredSweepRow[],
  objective: SweepObjective,
  minimize: boolean,
): SweepRowView[] {
  const groups = new Map<string, StoredSweepRow[]>();
  for (const row of rows) {
    const key = `${row.window ?? -1}:${row.phase === 'test' ? 1 : 0}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => {
    const [wa, pa] = a.split(':').map(Number) as [number, number];
    const [wb, pb] = b.split(':').map(Number) as [number, number];
    return wa - wb || pa - pb;
  });
  const out: SweepRowView[] = [];
  for (const [, group] of ordered) {
    const byIndex = new Map(group.map((row) => [row.index, row]));
    rankRows(group.map(runtimeRow), objective, minimize).forEach((ranked, i) => {
      const row = byIndex.get(ranked.index) as StoredSweepRow;
      out.push({
        rank: i + 1,
        index: row.index,
        combination: ranked.combination,
        stats: row.stats === null ? null : (JSON.parse(row.stats) as Record<string, number | null>),
        signals: row.signals,
        error: row.error,
        ms: row.ms,
        window: row.window,
        phase: row.phase,
      });
    });
  }
  return out;
}

/** What the API shows of a sweep; `live` gives the progress of a running one. */
export function sweepView(
  stored: StoredSweep,
  rows: readonly StoredSweepRow[],
  live: { state: StoredSweepState; startedAt: number | undefined } | undefined,
): { view: SweepView; ranked: SweepRowView[] } {
  const spec = parseSpec(stored);
  const ranked = rankStoredRows(rows, spec.objective, spec.minimize);
  const failed = rows.filter((r) => r.error !== null).length;
  const state = live?.state ?? stored.state;
  const startedAt = live?.startedAt ?? stored.startedAt ?? undefined;
  const running = live !== undefined && rows.length > 0 && startedAt !== undefined;
  const etaSeconds = running
    ? Math.round((((Date.now() - startedAt) / rows.length) * (stored.total - rows.length)) / 1000)
    : null;
  const best = spec.walkForward === null ? (ranked[0]?.stats === null ? null : (ranked[0] ?? null)) : null;
  return {
    view: {
      id: stored.id,
      name: stored.name,
      state,
      error: stored.error,
      createdAt: new Date(stored.createdAt).toISOString(),
      startedAt: startedAt === undefined ? null : new Date(startedAt).toISOString(),
      endedAt: stored.endedAt === null ? null : new Date(stored.endedAt).toISOString(),
      spec: specView(spec),
      progress: { done: rows.length, total: stored.total, failed, etaSeconds },
      best,
    },
    ranked,
  };
}

/** The detail of a sweep: its view with rows (the `top` best of each group when given), errors, windows and config. */
export function sweepDetail(
  stored: StoredSweep,
  rows: readonly StoredSweepRow[],
  live: { state: StoredSweepState; startedAt: number | undefined } | undefined,
  top: number | undefined,
): SweepDetail {
  const { view, ranked } = sweepView(stored, rows, live);
  const limit = top ?? view.spec.top ?? undefined;
  return {
    ...view,
    rows: limit === undefined ? ranked : ranked.filter((r) => r.rank <= limit),
    errors: ranked.flatMap((r) =>
      r.error === null
        ? []
        : [{ index: r.index, combination: r.combination, error: r.error, window: r.window, phase: r.phase }],
    ),
    windows: stored.steps === null ? null : (JSON.parse(stored.steps) as unknown[]),
    config: JSON.parse(stored.config),
  };
}
