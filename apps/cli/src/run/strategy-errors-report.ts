import { formatSourceLocation, type StrategyErrorSummary } from '@strat/runtime';
import type { Colors } from '../terminal/colors';

function plural(count: number, word: string): string {
  return `${count.toLocaleString('en-US')} ${word}${count === 1 ? '' : 's'}`;
}

/** One error as a line: the hook, where in the strategy's code, the bar, the message. */
export function describeFirstError(first: StrategyErrorSummary['first'], cwd?: string): string {
  const at = first.location === undefined ? '' : ` at ${formatSourceLocation(first.location, cwd)}`;
  const bar =
    first.symbol === undefined || first.interval === undefined
      ? ''
      : ` on ${first.symbol} ${first.interval}${first.time === undefined ? '' : ` (bar closing ${new Date(first.time).toISOString()})`}`;
  const what = first.fatal
    ? `strategy ${first.phase === 'crash' ? 'crashed' : 'timed out'}`
    : `${first.phase} threw`;
  return `${what}${at}${bar}: ${first.message}`;
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
    lines.push(`  ${colors.bold(entry.strategy)}: ${count}; first: ${describeFirstError(entry.first, cwd)}`);
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
