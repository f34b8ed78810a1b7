import { escapeHtml } from './html-escape';
import { formatMoney, formatNumber, formatStat, formatTime, STAT_ROWS } from './report-format';
import { type ReportInput, type ReportStats, reportTimeMs } from './report-input';

/** The name the stats table gives the column of the summed accounts. */
export const TOTAL_COLUMN = 'total';

/**
 * The stats table: one row per statistic, one column per strategy and the total. Each value cell
 * carries `data-strategy` and `data-stat` (the field name).
 */
export function renderStatsTable(input: ReportInput): string {
  const columns: { name: string; stats: ReportStats; unfilled?: number; open?: Record<string, number> }[] = [
    ...input.results.strategies.map((s) => ({
      name: s.strategy,
      stats: s.stats,
      unfilled: s.unfilled,
      open: s.open_positions,
    })),
    { name: TOTAL_COLUMN, stats: input.results.total },
  ];
  const head = columns
    .map(
      (c) =>
        `<th scope="col" class="num${c.unfilled === undefined ? ' total' : ''}">${escapeHtml(c.name)}</th>`,
    )
    .join('');
  const rows = STAT_ROWS.map(({ field, label }) => {
    const cells = columns.map(
      (c) =>
        `<td class="num" data-strategy="${escapeHtml(c.name)}" data-stat="${field}">${escapeHtml(formatStat(field, c.stats[field]))}</td>`,
    );
    return `<tr><th scope="row">${escapeHtml(label)}</th>${cells.join('')}</tr>`;
  });
  const unfilled = columns.map(
    (c) => `<td class="num">${c.unfilled === undefined ? '' : formatNumber(c.unfilled)}</td>`,
  );
  rows.push(`<tr><th scope="row">Unfilled signals</th>${unfilled.join('')}</tr>`);
  const open = columns.map((c) => {
    const positions = Object.entries(c.open ?? {}).filter(([, units]) => units !== 0);
    const text = positions.map(([symbol, units]) => `${symbol} ${formatNumber(units)}`).join(', ');
    return `<td class="num">${escapeHtml(c.open === undefined ? '' : text || 'none')}</td>`;
  });
  rows.push(`<tr><th scope="row">Open at the end</th>${open.join('')}</tr>`);
  return `<table class="stats"><thead><tr><th></th>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

type TradeColumn = {
  label: string;
  /** Sorted as numbers (else as text). */
  numeric: boolean;
  /** The value sorted by, and the cell's text. */
  cell: (i: number) => [sortValue: string | number, text: string];
};

function tradeColumns(trades: ReportInput['trades']): TradeColumn[] {
  const text = (values: readonly string[]) => (i: number) => [values[i]!, values[i]!] as [string, string];
  const time = (values: readonly (string | number)[]) => (i: number) => {
    const ms = reportTimeMs(values[i]!);
    return [ms, formatTime(ms)] as [number, string];
  };
  const num = (values: readonly number[], format: (v: number) => string) => (i: number) =>
    [values[i]!, format(values[i]!)] as [number, string];
  return [
    { label: 'Strategy', numeric: false, cell: text(trades.strategy) },
    { label: 'Symbol', numeric: false, cell: text(trades.symbol) },
    { label: 'Side', numeric: false, cell: text(trades.side) },
    { label: 'Quantity', numeric: true, cell: num(trades.quantity, formatNumber) },
    { label: 'Entry time', numeric: true, cell: time(trades.entry_time) },
    { label: 'Entry price', numeric: true, cell: num(trades.entry_price, formatNumber) },
    { label: 'Exit time', numeric: true, cell: time(trades.exit_time) },
    { label: 'Exit price', numeric: true, cell: num(trades.exit_price, formatNumber) },
    { label: 'Gross P&L', numeric: true, cell: num(trades.gross_pnl, formatMoney) },
    { label: 'Commission', numeric: true, cell: num(trades.commission, formatMoney) },
    { label: 'Net P&L', numeric: true, cell: num(trades.net_pnl, formatMoney) },
    { label: 'Bars held', numeric: true, cell: num(trades.bars_held, formatNumber) },
    { label: 'MAE', numeric: true, cell: num(trades.mae, formatMoney) },
    { label: 'MFE', numeric: true, cell: num(trades.mfe, formatMoney) },
  ];
}

/**
 * The trades table, one row per closed trade in the file's order. A header is a button the page's script
 * sorts by; each cell's `data-v` holds the value it sorts by. Net P&L cells are tinted by sign.
 */
export function renderTradesTable(input: ReportInput): string {
  const { trades } = input;
  const columns = tradeColumns(trades);
  const head = columns
    .map(
      (c, i) =>
        `<th scope="col"${c.numeric ? ' class="num"' : ''} data-type="${c.numeric ? 'number' : 'text'}" aria-sort="none"><button type="button" data-column="${i}">${escapeHtml(c.label)}</button></th>`,
    )
    .join('');
  const rows: string[] = [];
  for (let i = 0; i < trades.strategy.length; i++) {
    const cells = columns.map((c) => {
      const [value, text] = c.cell(i);
      const tint =
        c.label === 'Net P&L'
          ? trades.net_pnl[i]! > 0
            ? ' win'
            : trades.net_pnl[i]! < 0
              ? ' loss'
              : ''
          : '';
      return `<td class="${c.numeric ? 'num' : ''}${tint}" data-v="${escapeHtml(String(value))}">${escapeHtml(text)}</td>`;
    });
    rows.push(`<tr>${cells.join('')}</tr>`);
  }
  if (rows.length === 0) return '<p class="empty">No closed trades.</p>';
  return `<table class="trades sortable"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}
