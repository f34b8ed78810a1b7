import { renameSync, writeFileSync } from 'node:fs';
import { objectiveName, type SweepObjective, type SweepRow, sweepCsv } from '@strat/runtime';
import { formatPercent, formatProfitFactor } from '../run/results-table';
import { table } from '../run/summary-table';
import type { Colors } from '../terminal/colors';

const PERCENT_METRICS: ReadonlySet<SweepObjective> = new Set([
  'totalReturn',
  'cagr',
  'maxDrawdown',
  'volatility',
  'winRate',
]);

/** A metric as the results table shows it (fractions as percents). */
export function formatMetric(objective: SweepObjective, value: number): string {
  if (PERCENT_METRICS.has(objective)) return formatPercent(value);
  if (objective === 'profitFactor') return formatProfitFactor(value);
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(Math.abs(value) >= 100 ? 0 : 3);
}

/**
 * The best rows of a sweep: rank, the parameters, the objective, then return, Sharpe, max DD,
 * trades and win rate (the objective not repeated); a failed row shows its error.
 */
export function renderSweepTable(
  rows: readonly SweepRow[],
  keys: readonly string[],
  objective: SweepObjective,
  colors: Colors,
): string {
  const fixedMetrics = (['totalReturn', 'sharpe', 'maxDrawdown', 'trades', 'winRate'] as const).filter(
    (m) => m !== objective,
  );
  const headers = ['#', ...keys, objectiveName(objective), ...fixedMetrics.map(objectiveName)];
  const t = table(
    headers,
    headers.map((_, i) => (i === 0 ? 'right' : i <= keys.length ? 'left' : 'right')),
    colors,
  );
  rows.forEach((row, rank) => {
    const params = keys.map((k) => String(row.combination[k]));
    if (row.stats === undefined) {
      t.push([String(rank + 1), ...params, colors.red('failed'), ...fixedMetrics.map(() => '-')]);
      return;
    }
    const stats = row.stats;
    t.push([
      String(rank + 1),
      ...params,
      colors.bold(formatMetric(objective, stats[objective])),
      ...fixedMetrics.map((m) => formatMetric(m, stats[m])),
    ]);
  });
  return t.toString();
}

/** What a JSON sweep file says about the sweep besides its rows. */
export interface SweepOutputFacts {
  objective: SweepObjective;
  minimize: boolean;
  /** Combinations asked for (rows may be fewer after Ctrl-C). */
  combinations: number;
  config: string;
}

/**
 * Writes every ranked row to `path`: CSV (`sweepCsv`) or JSON (`{ format, objective, minimize,
 * combinations, config, rows }`, rows with their full stats), by extension; to a temporary name
 * first, renamed when complete.
 */
export function writeSweepOutput(
  path: string,
  rows: readonly SweepRow[],
  keys: readonly string[],
  facts: SweepOutputFacts,
): void {
  const text = path.toLowerCase().endsWith('.json')
    ? `${JSON.stringify(
        {
          format: 'strat-sweep/1',
          objective: objectiveName(facts.objective),
          minimize: facts.minimize,
          combinations: facts.combinations,
          config: facts.config,
          parameters: keys,
          rows: rows.map((row, rank) => ({ rank: rank + 1, ...row })),
        },
        (_key, value) => (value === Number.POSITIVE_INFINITY ? 'Infinity' : value),
        2,
      )}\n`
    : sweepCsv(rows, keys);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
