import type { TradeColumns } from './execution-types';
import { grownTo, INITIAL_CAPACITY } from './growable-columns';

/** What one closed trade is made of; gross and net P&L are derived when it is recorded. */
export interface ClosedTrade {
  symbol: string;
  /** 1 long, -1 short. */
  side: 1 | -1;
  quantity: number;
  entryTime: number;
  entryPrice: number;
  exitTime: number;
  exitPrice: number;
  /** Entry commission (its share for this quantity) plus the exit's share. */
  commission: number;
  barsHeld: number;
  mae: number;
  mfe: number;
}

/** The closed trades of one account, one row per trade, in growable columns. */
export class TradeBuffer {
  #count = 0;
  readonly #symbols: string[] = [];
  readonly #symbolIndex = new Map<string, number>();
  #symbol = new Int32Array(INITIAL_CAPACITY);
  #side = new Int8Array(INITIAL_CAPACITY);
  #quantity = new Float64Array(INITIAL_CAPACITY);
  #entryTime = new Float64Array(INITIAL_CAPACITY);
  #entryPrice = new Float64Array(INITIAL_CAPACITY);
  #exitTime = new Float64Array(INITIAL_CAPACITY);
  #exitPrice = new Float64Array(INITIAL_CAPACITY);
  #grossPnl = new Float64Array(INITIAL_CAPACITY);
  #commission = new Float64Array(INITIAL_CAPACITY);
  #netPnl = new Float64Array(INITIAL_CAPACITY);
  #barsHeld = new Int32Array(INITIAL_CAPACITY);
  #mae = new Float64Array(INITIAL_CAPACITY);
  #mfe = new Float64Array(INITIAL_CAPACITY);

  /** Trades recorded so far. */
  get count(): number {
    return this.#count;
  }

  /** Records one closed trade: gross P&L `(exit - entry) * quantity * side`, net = gross - commission. */
  push(trade: ClosedTrade): void {
    const row = this.#count;
    if (row === this.#side.length) this.#grow(row + 1);
    const { entryPrice, exitPrice, quantity } = trade;
    const gross =
      trade.side === 1 ? (exitPrice - entryPrice) * quantity : (entryPrice - exitPrice) * quantity;
    this.#symbol[row] = this.#indexOf(trade.symbol);
    this.#side[row] = trade.side;
    this.#quantity[row] = quantity;
    this.#entryTime[row] = trade.entryTime;
    this.#entryPrice[row] = entryPrice;
    this.#exitTime[row] = trade.exitTime;
    this.#exitPrice[row] = exitPrice;
    this.#grossPnl[row] = gross;
    this.#commission[row] = trade.commission;
    this.#netPnl[row] = gross - trade.commission;
    this.#barsHeld[row] = trade.barsHeld;
    this.#mae[row] = trade.mae;
    this.#mfe[row] = trade.mfe;
    this.#count = row + 1;
  }

  /** The trades so far, as columns of exactly {@link count} elements (copies). */
  columns(): TradeColumns {
    const n = this.#count;
    return {
      count: n,
      symbol: this.#symbol.slice(0, n),
      symbols: [...this.#symbols],
      side: this.#side.slice(0, n),
      quantity: this.#quantity.slice(0, n),
      entryTime: this.#entryTime.slice(0, n),
      entryPrice: this.#entryPrice.slice(0, n),
      exitTime: this.#exitTime.slice(0, n),
      exitPrice: this.#exitPrice.slice(0, n),
      grossPnl: this.#grossPnl.slice(0, n),
      commission: this.#commission.slice(0, n),
      netPnl: this.#netPnl.slice(0, n),
      barsHeld: this.#barsHeld.slice(0, n),
      mae: this.#mae.slice(0, n),
      mfe: this.#mfe.slice(0, n),
    };
  }

  #indexOf(symbol: string): number {
    let index = this.#symbolIndex.get(symbol);
    if (index === undefined) {
      index = this.#symbols.length;
      this.#symbols.push(symbol);
      this.#symbolIndex.set(symbol, index);
    }
    return index;
  }

  #grow(needed: number): void {
    this.#symbol = grownTo(this.#symbol, needed);
    this.#side = grownTo(this.#side, needed);
    this.#quantity = grownTo(this.#quantity, needed);
    this.#entryTime = grownTo(this.#entryTime, needed);
    this.#entryPrice = grownTo(this.#entryPrice, needed);
    this.#exitTime = grownTo(this.#exitTime, needed);
    this.#exitPrice = grownTo(this.#exitPrice, needed);
    this.#grossPnl = grownTo(this.#grossPnl, needed);
    this.#commission = grownTo(this.#commission, needed);
    this.#netPnl = grownTo(this.#netPnl, needed);
    this.#barsHeld = grownTo(this.#barsHeld, needed);
    this.#mae = grownTo(this.#mae, needed);
    this.#mfe = grownTo(this.#mfe, needed);
  }
}
