const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** 12,345 */
export const formatInteger = (value: number): string => integer.format(value);
/** 12,345.68 */
export const formatMoney = (value: number): string => decimal.format(value);

/** A fraction as a percentage: 0.0123 → "1.23 %". */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '—';
  return `${(fraction * 100).toFixed(2)} %`;
}

/** Epoch ms as "2024-01-02 14:30:00" (UTC). */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** A number for a table: integers with separators, others with up to 4 significant decimals. */
export function formatNumber(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value !== 'number') return String(value);
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (Number.isInteger(value)) return integer.format(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return decimal.format(value);
  return value.toPrecision(4).replace(/\.?0+$/, '');
}

/** A stat of the results as the report shows it: ratios as percentages, money with cents. */
export function formatStat(stat: string, value: number | null | undefined): string {
  if (value === null || value === undefined) return stat === 'profitFactor' ? '∞' : '—';
  if (['totalReturn', 'cagr', 'volatility', 'maxDrawdown', 'winRate'].includes(stat))
    return formatPercent(value);
  if (['initialCash', 'finalEquity', 'averageWin', 'averageLoss', 'expectancy', 'commissions'].includes(stat))
    return formatMoney(value);
  if (stat === 'maxDrawdownDurationMs') return `${(value / 86_400_000).toFixed(1)} d`;
  return formatNumber(value);
}

/** snake_case metric names (as sweeps take them) to the stats' camelCase. */
export const camelCase = (name: string): string =>
  name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
