import { renameSync, writeFileSync } from 'node:fs';
import {
  objectiveName,
  type SweepObjective,
  type WalkForwardSpec,
  type WalkForwardStep,
} from '@strat/runtime';
import { formatPercent } from '../run/results-table';
import { table } from '../run/summary-table';
import type { Colors } from '../terminal/colors';
import { formatMetric } from './sweep-output';

export type { WalkForwardStep } from '@strat/runtime';

/**
 * Per window: training and test dates, the winning parameters, the objective in and out of sample,
 * and the test's return and trades.
 */
export function renderWalkForwardTable(
  steps: readonly WalkForwardStep[],
  keys: readonly string[],
  objective: SweepObjective,
  colors: Colors,
): string {
  const name = objectiveName(objective);
  const headers = [
    '#',
    'train',
    'test',
    ...keys,
    `in-sample ${name}`,
    `out-of-sample ${name}`,
    'test return',
    'test trades',
  ];
  const t = table(
    headers,
    headers.map((_, i) => (i === 0 || i > keys.length + 2 ? 'right' : 'left')),
    colors,
  );
  steps.forEach((step, i) => {
    const w = step.window;
    const inSample = step.best?.stats;
    const outOfSample = step.test?.stats;
    t.push([
      String(i + 1),
      `${w.trainStart}..${w.trainEnd}`,
      `${w.testStart}..${w.testEnd}`,
      ...keys.map((k) => (step.best === undefined ? '-' : String(step.best.combination[k]))),
      inSample === undefined ? colors.red('failed') : formatMetric(objective, inSample[objective]),
      outOfSample === undefined
        ? colors.red('failed')
        : colors.bold(formatMetric(objective, outOfSample[objective])),
      outOfSample === undefined ? '-' : formatPercent(outOfSample.totalReturn, 2, true),
      outOfSample === undefined ? '-' : String(outOfSample.trades),
    ]);
  });
  return t.toString();
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * One line comparing the objective in and out of sample over the windows (means), and the test
 * windows' returns compounded: how much of the optimised result survives on data it was not fitted to.
 */
export function walkForwardVerdict(steps: readonly WalkForwardStep[], objective: SweepObjective): string {
  const complete = steps.filter((s) => s.best?.stats !== undefined && s.test?.stats !== undefined);
  if (complete.length === 0) return 'no window finished: nothing to compare';
  const name = objectiveName(objective);
  const inSample = mean(complete.map((s) => s.best?.stats?.[objective] as number));
  const outOfSample = mean(complete.map((s) => s.test?.stats?.[objective] as number));
  const compounded = complete.reduce((g, s) => g * (1 + (s.test?.stats?.totalReturn as number)), 1) - 1;
  return (
    `mean ${name}: in-sample ${formatMetric(objective, inSample)}, out-of-sample ${formatMetric(objective, outOfSample)} ` +
    `over ${complete.length} window${complete.length === 1 ? '' : 's'}; test windows compounded ${formatPercent(compounded, 2, true)}`
  );
}

/** What the walk-forward file says besides its windows. */
export interface WalkForwardFacts {
  objective: SweepObjective;
  minimize: boolean;
  config: string;
  spec: WalkForwardSpec;
}

/**
 * Writes the windows to `path`: JSON (`format: "strat-walk-forward/1"`, each window with its dates,
 * the winning combination, and the in- and out-of-sample stats) or CSV (a line per window), by
 * extension; to a temporary name first.
 */
export function writeWalkForwardOutput(
  path: string,
  steps: readonly WalkForwardStep[],
  keys: readonly string[],
  facts: WalkForwardFacts,
): void {
  const name = objectiveName(facts.objective);
  let text: string;
  if (path.toLowerCase().endsWith('.json')) {
    text = `${JSON.stringify(
      {
        format: 'strat-walk-forward/1',
        objective: name,
        minimize: facts.minimize,
        train_sessions: facts.spec.train,
        test_sessions: facts.spec.test,
        config: facts.config,
        parameters: keys,
        windows: steps.map((s) => ({
          ...s.window,
          best: s.best?.combination,
          in_sample: s.best?.stats,
          out_of_sample: s.test?.stats,
          error: s.error,
        })),
      },
      (_key, value) => (value === Number.POSITIVE_INFINITY ? 'Infinity' : value),
      2,
    )}\n`;
  } else {
    const header = [
      'window',
      'train_start',
      'train_end',
      'test_start',
      'test_end',
      ...keys,
      `in_sample_${name}`,
      `out_of_sample_${name}`,
      'out_of_sample_total_return',
      'out_of_sample_trades',
      'error',
    ];
    const lines = [header.join(',')];
    steps.forEach((s, i) => {
      const cells = [
        i + 1,
        s.window.trainStart,
        s.window.trainEnd,
        s.window.testStart,
        s.window.testEnd,
        ...keys.map((k) => s.best?.combination[k]),
        s.best?.stats?.[facts.objective],
        s.test?.stats?.[facts.objective],
        s.test?.stats?.totalReturn,
        s.test?.stats?.trades,
        s.error,
      ].map((v) => {
        const cell = v === undefined ? '' : String(v);
        return /[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
      });
      lines.push(cells.join(','));
    });
    text = `${lines.join('\n')}\n`;
  }
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
