import { ConfigError } from '@strat/core';
import type { PerformanceStats } from '../execution/execution-types';
import type { Combination } from './sweep-grid';

/** A metric of the results a sweep can rank by: a key of {@link PerformanceStats}. */
export type SweepObjective = keyof PerformanceStats;

/** Every metric of {@link PerformanceStats}, in the order the sweep's CSV writes them. */
export const PERFORMANCE_METRICS: readonly (keyof PerformanceStats)[] = [
  'sharpe',
  'sortino',
  'totalReturn',
  'cagr',
  'volatility',
  'maxDrawdown',
  'maxDrawdownDurationMs',
  'calmar',
  'trades',
  'winRate',
  'profitFactor',
  'averageWin',
  'averageLoss',
  'expectancy',
  'exposurePct',
  'commissions',
  'turnover',
  'initialCash',
  'finalEquity',
  'tradingDays',
];

/** What a sweep can rank by: every metric but the two that are the same for every combination. */
const OBJECTIVES: readonly SweepObjective[] = PERFORMANCE_METRICS.filter(
  (m) => m !== 'initialCash' && m !== 'tradingDays',
);

/** Metrics where less is better: ranking by them without `--minimize` is most likely a mistake worth a word. */
export const LOWER_IS_BETTER: ReadonlySet<SweepObjective> = new Set([
  'maxDrawdown',
  'maxDrawdownDurationMs',
  'volatility',
  'commissions',
]);

const snake = (name: string) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The metric named `name` (`sharpe`, `total_return` or `totalReturn`, ...). */
export function parseObjective(name: string): SweepObjective {
  const wanted = name.trim().toLowerCase().replace(/[-_]/g, '');
  const found = OBJECTIVES.find((o) => o.toLowerCase() === wanted);
  if (found === undefined) {
    throw new ConfigError(
      [
        {
          path: '--objective',
          message: `unknown metric "${name}" (one of: ${OBJECTIVES.map(snake).join(', ')})`,
        },
      ],
      { summary: 'Invalid sweep objective' },
    );
  }
  return found;
}

/** The metric's name as results.json writes it (`total_return`). */
export function objectiveName(objective: SweepObjective): string {
  return snake(objective);
}

/** One combination's outcome. */
export interface SweepRow {
  /** Its index in the full grid (the key results are kept by: a retried job never counts twice). */
  index: number;
  combination: Combination;
  /** The session's total results (every strategy's account taken as one); undefined when it failed. */
  stats?: PerformanceStats;
  /** Signals of the session. */
  signals?: number;
  /** Why the session failed. */
  error?: string;
  /** Wall time of the session, ms. */
  ms?: number;
}

/**
 * Rows best first by `objective` (highest, or lowest with `minimize`); ties and failed rows (last)
 * in grid order. NaN counts as failed.
 */
export function rankRows(rows: readonly SweepRow[], objective: SweepObjective, minimize = false): SweepRow[] {
  const value = (row: SweepRow) => {
    const v = row.stats?.[objective];
    return v === undefined || Number.isNaN(v) ? undefined : v;
  };
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === undefined || vb === undefined) {
      if (va !== vb) return va === undefined ? 1 : -1;
      return a.index - b.index;
    }
    if (va !== vb) return minimize ? va - vb : vb - va;
    return a.index - b.index;
  });
}

function csvCell(value: unknown): string {
  const text = value === undefined ? '' : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The ranked rows as CSV: `rank,index,<params...>,<metrics...>,signals,error`, one line per combination
 * (metrics empty for a failed one). Numbers at full precision.
 */
export function sweepCsv(rows: readonly SweepRow[], paramKeys: readonly string[]): string {
  const header = ['rank', 'index', ...paramKeys, ...PERFORMANCE_METRICS.map(snake), 'signals', 'error'];
  const lines = [header.map(csvCell).join(',')];
  rows.forEach((row, rank) => {
    lines.push(
      [
        rank + 1,
        row.index,
        ...paramKeys.map((k) => row.combination[k]),
        ...PERFORMANCE_METRICS.map((m) => row.stats?.[m]),
        row.signals,
        row.error,
      ]
        .map(csvCell)
        .join(','),
    );
  });
  return `${lines.join('\n')}\n`;
}
