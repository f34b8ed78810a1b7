import { describeStrategyError, formatSourceLocation, type StrategyErrorSummary } from '@strat/runtime';
import type { Colors } from '../terminal/colors';

function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * The "Strategy errors" section of `strat run`'s summary: per strategy that threw or died, how
 * often, and its first error with where in its code it was thrown. Empty when none did.
 */
export function renderStrategyErrors(
  errors: readonly StrategyErrorSummary[],
  colors: Colors,
  cwd?: string,
): string {
  if (errors.length === 0) return '';
  const lines = [colors.bold(colors.red('Strategy errors'))];
  for (const entry of errors) {
    const count = entry.errors > 0 ? plural(entry.errors, 'error') : entry.state;
    lines.push(
      `  ${colors.bold(entry.strategy)}: ${count}; first: ${describeStrategyError(entry.first, cwd)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Why a run whose strategies threw fails (one line for stderr), or undefined when none threw:
 * which strategies, how often, the first error's location, and how to accept errors.
 */
export function strategyErrorsVerdict(
  errors: readonly StrategyErrorSummary[],
  cwd?: string,
): string | undefined {
  const threw = errors.filter((entry) => entry.errors > 0);
  const first = threw[0];
  if (first === undefined) return undefined;
  const who =
    threw.length === 1
      ? `strategy ${first.strategy} threw ${plural(first.errors, 'error')}`
      : `${threw.length} strategies threw errors (${threw.map((e) => `${e.strategy}: ${e.errors.toLocaleString('en-US')}`).join(', ')})`;
  const at =
    first.first.location === undefined
      ? ''
      : `, the first at ${formatSourceLocation(first.first.location, cwd)}`;
  return `${who}${at}: its signals may be wrong, so the run failed (fix it, or pass --allow-errors to accept errors)`;
}
