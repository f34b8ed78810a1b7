import type { PerformanceStats, SessionResults } from '@strat/runtime';
import type { Colors } from '../terminal/colors';
import { table } from './summary-table';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** A number with `digits` decimals, never `-0.00`. */
function fixed(value: number, digits: number): string {
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text;
}

/** A fraction as a percent: `12.34%`; `signed` puts `+` before a gain. */
export function formatPercent(fraction: number, digits = 2, signed = false): string {
  const text = `${fixed(fraction * 100, digits)}%`;
  return signed && Number(fixed(fraction * 100, digits)) > 0 ? `+${text}` : text;
}

/** A profit factor: two decimals, `∞` with wins and no loss. */
export function formatProfitFactor(value: number): string {
  return value === Number.POSITIVE_INFINITY ? '∞' : fixed(value, 2);
}

function row(name: string, stats: PerformanceStats, colors: Colors): string[] {
  const totalReturn = formatPercent(stats.totalReturn, 2, true);
  const noTrades = stats.trades === 0;
  return [
    name,
    integer.format(stats.trades),
    stats.totalReturn > 0
      ? colors.green(totalReturn)
      : stats.totalReturn < 0
        ? colors.red(totalReturn)
        : totalReturn,
    fixed(stats.sharpe, 2),
    formatPercent(stats.maxDrawdown),
    noTrades ? '-' : formatPercent(stats.winRate, 1),
    noTrades ? '-' : formatProfitFactor(stats.profitFactor),
  ];
}

/**
 * The paper results `strat run` prints: per strategy with an account, its closed trades, total
 * return, Sharpe, max drawdown, win rate and profit factor (`-` without trades), and with more
 * than one strategy the total of the summed accounts.
 */
export function renderResultsTable(results: SessionResults, colors: Colors): string {
  const t = table(
    ['strategy', 'trades', 'return', 'Sharpe', 'max DD', 'win rate', 'profit factor'],
    ['left', 'right', 'right', 'right', 'right', 'right', 'right'],
    colors,
  );
  for (const s of results.strategies) t.push(row(s.strategy, s.stats, colors));
  if (results.strategies.length > 1) t.push(row(colors.bold('total'), results.total, colors));
  return t.toString();
}
