import type { ReportStats } from './report-input';

/** How a statistic is shown. */
type StatFormat = 'money' | 'fraction' | 'percent' | 'ratio' | 'count' | 'duration' | 'times';

/** The stats table's rows, in order: every field of the stats, its label and how it is shown. */
export const STAT_ROWS: readonly { field: keyof ReportStats; label: string; format: StatFormat }[] = [
  { field: 'initialCash', label: 'Initial cash', format: 'money' },
  { field: 'finalEquity', label: 'Final equity', format: 'money' },
  { field: 'totalReturn', label: 'Total return', format: 'fraction' },
  { field: 'cagr', label: 'CAGR', format: 'fraction' },
  { field: 'volatility', label: 'Volatility (annual)', format: 'fraction' },
  { field: 'sharpe', label: 'Sharpe', format: 'ratio' },
  { field: 'sortino', label: 'Sortino', format: 'ratio' },
  { field: 'maxDrawdown', label: 'Max drawdown', format: 'fraction' },
  { field: 'maxDrawdownDurationMs', label: 'Max drawdown duration', format: 'duration' },
  { field: 'calmar', label: 'Calmar', format: 'ratio' },
  { field: 'trades', label: 'Trades', format: 'count' },
  { field: 'winRate', label: 'Win rate', format: 'fraction' },
  { field: 'profitFactor', label: 'Profit factor', format: 'ratio' },
  { field: 'averageWin', label: 'Average win', format: 'money' },
  { field: 'averageLoss', label: 'Average loss', format: 'money' },
  { field: 'expectancy', label: 'Expectancy (per trade)', format: 'money' },
  { field: 'exposurePct', label: 'Exposure', format: 'percent' },
  { field: 'commissions', label: 'Commissions', format: 'money' },
  { field: 'turnover', label: 'Turnover', format: 'times' },
  { field: 'tradingDays', label: 'Trading days', format: 'count' },
];

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const count = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** `1,234.56`; `–` for a value that is not a number. */
export function formatMoney(value: number | null): string {
  return value === null || Number.isNaN(value) ? '–' : money.format(value);
}

/** A number of units or a price, as many decimals as it has (up to 6): `1,250`, `101.375`. */
export function formatNumber(value: number | null): string {
  if (value === null || Number.isNaN(value)) return '–';
  return value.toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** A duration in ms as its two largest units: `3d 4h`, `2h 15m`, `45m`, `0m`. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return rest > 0 ? `${hours}h ${rest}m` : `${hours}h`;
  return `${rest}m`;
}

/** A statistic as the stats table shows it (`null` profit factor: `∞`, no loss to divide by). */
export function formatStat(field: keyof ReportStats, value: number | null): string {
  const row = STAT_ROWS.find((r) => r.field === field);
  if (value === null) return field === 'profitFactor' ? '∞' : '–';
  if (!Number.isFinite(value)) return Number.isNaN(value) ? '–' : value > 0 ? '∞' : '−∞';
  switch (row?.format) {
    case 'money':
      return money.format(value);
    case 'fraction':
      return `${twoDecimals.format(value * 100)} %`;
    case 'percent':
      return `${twoDecimals.format(value)} %`;
    case 'count':
      return count.format(value);
    case 'duration':
      return formatDuration(value);
    case 'times':
      return `${twoDecimals.format(value)}×`;
    default:
      return twoDecimals.format(value);
  }
}

/** A time in epoch ms as `2024-01-02 14:30` (UTC; seconds only when not zero). */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const iso = new Date(ms).toISOString();
  const seconds = iso.slice(17, 19);
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}${seconds === '00' ? '' : `:${seconds}`}`;
}
