import type { EquityColumns } from '../execution/execution-types';

/** An equity curve as plain arrays (a strategy's rows of equity.csv), one entry per row. Times are epoch ms. */
export interface EquitySeries {
  time: number[];
  equity: number[];
  cash: number[];
  exposure: number[];
}

/** Equity columns as plain arrays. */
export function equitySeriesOf(columns: EquityColumns): EquitySeries {
  const n = columns.count;
  return {
    time: Array.from(columns.time.subarray(0, n)),
    equity: Array.from(columns.equity.subarray(0, n)),
    cash: Array.from(columns.cash.subarray(0, n)),
    exposure: Array.from(columns.exposure.subarray(0, n)),
  };
}

/** Plain arrays as equity columns (the arrays must have one length). */
export function equityColumnsOf(series: EquitySeries): EquityColumns {
  return {
    count: series.time.length,
    time: Float64Array.from(series.time),
    equity: Float64Array.from(series.equity),
    cash: Float64Array.from(series.cash),
    exposure: Float64Array.from(series.exposure),
  };
}

/** One account for {@link sumEquity}: its curve and the cash it started with. */
export interface AccountCurve {
  initialCash: number;
  equity: EquityColumns;
}

/**
 * The curve of the summed accounts: one row at every time any account has a row (the union of
 * times, in order); each account adds its latest row at or before that time, or before its first
 * row its initial cash (equity and cash, exposure 0). Each account's rows must be in time order.
 */
export function sumEquity(accounts: readonly AccountCurve[]): EquityColumns {
  // A session's accounts all record a row at every step: the same times, summed row by row.
  if (
    accounts.length > 0 &&
    accounts.every((a) => sameTimes(a.equity, (accounts[0] as AccountCurve).equity))
  ) {
    return sumAligned(accounts);
  }
  const times = new Set<number>();
  for (const a of accounts) {
    for (let i = 0; i < a.equity.count; i++) times.add(a.equity.time[i] as number);
  }
  const time = Float64Array.from(times).sort();
  const n = time.length;
  const total: EquityColumns = {
    count: n,
    time,
    equity: new Float64Array(n),
    cash: new Float64Array(n),
    exposure: new Float64Array(n),
  };
  for (const a of accounts) {
    const rows = a.equity;
    let next = 0;
    let equity = a.initialCash;
    let cash = a.initialCash;
    let exposure = 0;
    for (let j = 0; j < n; j++) {
      while (next < rows.count && (rows.time[next] as number) <= (time[j] as number)) {
        equity = rows.equity[next] as number;
        cash = rows.cash[next] as number;
        exposure = rows.exposure[next] as number;
        next++;
      }
      total.equity[j] = (total.equity[j] as number) + equity;
      total.cash[j] = (total.cash[j] as number) + cash;
      total.exposure[j] = (total.exposure[j] as number) + exposure;
    }
  }
  return total;
}

function sameTimes(a: EquityColumns, b: EquityColumns): boolean {
  if (a.count !== b.count) return false;
  for (let i = 0; i < a.count; i++) if (a.time[i] !== b.time[i]) return false;
  return true;
}

/** {@link sumEquity} of accounts whose rows have the same times. */
function sumAligned(accounts: readonly AccountCurve[]): EquityColumns {
  const first = (accounts[0] as AccountCurve).equity;
  const n = first.count;
  const total: EquityColumns = {
    count: n,
    time: first.time.slice(0, n),
    equity: new Float64Array(n),
    cash: new Float64Array(n),
    exposure: new Float64Array(n),
  };
  for (const { equity: rows } of accounts) {
    for (let j = 0; j < n; j++) {
      total.equity[j] = (total.equity[j] as number) + (rows.equity[j] as number);
      total.cash[j] = (total.cash[j] as number) + (rows.cash[j] as number);
      total.exposure[j] = (total.exposure[j] as number) + (rows.exposure[j] as number);
    }
  }
  return total;
}
