import type { TradeColumns } from '../execution/execution-types';

/** One closed trade as a plain object (a row of trades.csv). Times are epoch ms. */
export interface TradeRecord {
  strategy: string;
  symbol: string;
  side: 'long' | 'short';
  quantity: number;
  entryTime: number;
  entryPrice: number;
  exitTime: number;
  exitPrice: number;
  grossPnl: number;
  commission: number;
  netPnl: number;
  barsHeld: number;
  mae: number;
  mfe: number;
}

/** The trades of one account as records, in their order. */
export function tradeRecordsOf(strategy: string, trades: TradeColumns): TradeRecord[] {
  const records: TradeRecord[] = [];
  for (let i = 0; i < trades.count; i++) {
    records.push({
      strategy,
      symbol: trades.symbols[trades.symbol[i] as number] as string,
      side: trades.side[i] === -1 ? 'short' : 'long',
      quantity: trades.quantity[i] as number,
      entryTime: trades.entryTime[i] as number,
      entryPrice: trades.entryPrice[i] as number,
      exitTime: trades.exitTime[i] as number,
      exitPrice: trades.exitPrice[i] as number,
      grossPnl: trades.grossPnl[i] as number,
      commission: trades.commission[i] as number,
      netPnl: trades.netPnl[i] as number,
      barsHeld: trades.barsHeld[i] as number,
      mae: trades.mae[i] as number,
      mfe: trades.mfe[i] as number,
    });
  }
  return records;
}

/** Records (of any strategies) as trade columns, in their order: pooled trades. */
export function tradeColumnsOf(records: readonly Omit<TradeRecord, 'strategy'>[]): TradeColumns {
  const n = records.length;
  const symbols: string[] = [];
  const symbolIndex = new Map<string, number>();
  const columns: TradeColumns = {
    count: n,
    symbol: new Int32Array(n),
    symbols,
    side: new Int8Array(n),
    quantity: new Float64Array(n),
    entryTime: new Float64Array(n),
    entryPrice: new Float64Array(n),
    exitTime: new Float64Array(n),
    exitPrice: new Float64Array(n),
    grossPnl: new Float64Array(n),
    commission: new Float64Array(n),
    netPnl: new Float64Array(n),
    barsHeld: new Int32Array(n),
    mae: new Float64Array(n),
    mfe: new Float64Array(n),
  };
  records.forEach((r, i) => {
    let index = symbolIndex.get(r.symbol);
    if (index === undefined) {
      index = symbols.push(r.symbol) - 1;
      symbolIndex.set(r.symbol, index);
    }
    columns.symbol[i] = index;
    columns.side[i] = r.side === 'short' ? -1 : 1;
    columns.quantity[i] = r.quantity;
    columns.entryTime[i] = r.entryTime;
    columns.entryPrice[i] = r.entryPrice;
    columns.exitTime[i] = r.exitTime;
    columns.exitPrice[i] = r.exitPrice;
    columns.grossPnl[i] = r.grossPnl;
    columns.commission[i] = r.commission;
    columns.netPnl[i] = r.netPnl;
    columns.barsHeld[i] = r.barsHeld;
    columns.mae[i] = r.mae;
    columns.mfe[i] = r.mfe;
  });
  return columns;
}
