import { type BarRegister, type BarRing, CLOSE_TIME } from './bar-register';
import { EquityBuffer } from './equity-buffer';
import type { EquityPoint, ExecutionSettings, Fill, PaperSignal, StrategyResult } from './execution-types';
import type { MarketSeries, MarketSymbol } from './market-book';
import { objectList } from './object-list';
import { OpenPosition } from './open-position';
import { type OrderSide, orderCommission, sizedUnits, slippedPrice } from './order-math';
import { TradeBuffer } from './trade-buffer';

/** Slots of an account's money register. */
const CASH = 0;
const COMMISSIONS = 1;
const NOTIONAL = 2;

/** A market order waiting for the next bar of its series (`fill: "next_open"`). */
interface PendingOrder {
  readonly action: 'BUY' | 'SELL' | 'CLOSE';
  readonly quantity: number | undefined;
  readonly signalSeq: number;
  readonly referencePrice: number | undefined;
}

/** What one account ended with: everything of a {@link StrategyResult} but the stats. */
export type AccountResult = Omit<StrategyResult, 'stats'> & { commissions: number; notional: number };

/**
 * The paper account of one strategy: its cash, open positions (one per symbol), pending orders (one
 * per series), closed trades and equity curve. Fed by {@link PaperBroker}.
 */
export class PaperAccount {
  /**
   * Cash, commissions paid and notional traded, in a typed array: a field first set to a whole
   * number (the initial cash) and later to a fraction would change the account's hidden class in
   * V8 mid-run and throw away the optimised code of every function that reads it.
   */
  readonly #money = new Float64Array(3);
  #unfilled = 0;
  readonly #positions: OpenPosition[] = objectList();
  readonly #pending = new Map<MarketSeries, PendingOrder>();
  readonly #trades = new TradeBuffer();
  readonly #equity = new EquityBuffer();
  /** The equity row being marked: time, cash, side, mark (see {@link EquityBuffer.mark}). */
  readonly #row = new Float64Array(4);

  /**
   * @param index - the account's place in the broker's order (fills of one bar go in this order)
   */
  constructor(
    readonly strategy: string,
    readonly settings: ExecutionSettings,
    readonly index: number,
    private readonly onFill: ((fill: Fill) => void) | undefined,
  ) {
    this.#money[CASH] = settings.initialCash;
  }

  /**
   * A released `BUY`, `SELL` or `CLOSE` of this strategy for `series` (undefined: a series the broker
   * has no bar of). `close` fills at once at the series' last close; `next_open` waits for its next
   * bar, replacing an order already waiting there.
   */
  submit(signal: PaperSignal, series: MarketSeries | undefined): void {
    const order: PendingOrder = {
      action: signal.action as PendingOrder['action'],
      quantity: signal.quantity,
      signalSeq: signal.seq,
      referencePrice: signal.price,
    };
    if (series === undefined || (this.settings.fill === 'close' && series.barCount === 0)) {
      this.#unfilled++;
    } else if (this.settings.fill === 'close') {
      this.#execute(order, series, series.lastClose, series.lastCloseTime);
    } else {
      this.#pending.set(series, order);
    }
  }

  /**
   * One bar of a series this account watches (at `slot` of `ring`): fills the order waiting there at
   * the bar's open, then widens the excursions of the positions opened through the series.
   * @returns whether the account still watches the series
   */
  onSeriesBar(series: MarketSeries, ring: BarRing, slot: number): boolean {
    if (this.#pending.size > 0) {
      const order = this.#pending.get(series);
      if (order !== undefined) {
        this.#pending.delete(series);
        this.#execute(order, series, ring.open[slot] as number, ring.time[slot] as number);
      }
    }
    let watching = false;
    const positions = this.#positions;
    for (let i = 0; i < positions.length; i++) {
      const position = positions[i] as OpenPosition;
      if (position.series === series) {
        position.seeBar(ring, slot);
        watching = true;
      }
    }
    // The order waiting on this series (if any) has just filled: only positions keep the account here.
    return watching;
  }

  /** Whether the bars of `series` matter to this account (an order waits there or a position was opened through it). */
  isWatching(series: MarketSeries): boolean {
    if (this.#pending.has(series)) return true;
    for (const position of this.#positions) if (position.series === series) return true;
    return false;
  }

  /** Marks every position at its symbol's last close and appends one equity row. */
  recordEquity(bar: BarRegister): void {
    const cash = this.#money[CASH] as number;
    const time = bar[CLOSE_TIME] as number;
    const positions = this.#positions;
    if (positions.length <= 1) {
      // The common case, kept compact (see EquityBuffer): the mark is the term the loop below adds.
      const row = this.#row;
      row[0] = time;
      row[1] = cash;
      const position = positions[0];
      if (position === undefined) {
        row[2] = 0;
        row[3] = 0;
      } else {
        row[2] = position.side;
        row[3] = position.side * position.quantity * position.symbol.lastClose;
      }
      this.#equity.mark(row);
      return;
    }
    let equity = cash;
    let exposure = 0;
    for (let i = 0; i < positions.length; i++) {
      const position = positions[i] as OpenPosition;
      const close = position.symbol.lastClose;
      equity += position.side * position.quantity * close;
      exposure += position.quantity * close;
    }
    this.#equity.push(time, equity, cash, exposure);
  }

  /** Its last equity row (undefined before the first step). */
  lastEquity(): EquityPoint | undefined {
    return this.#equity.last();
  }

  /** The account at the end of the session; orders still waiting count as unfilled. */
  finish(): AccountResult {
    this.#unfilled += this.#pending.size;
    this.#pending.clear();
    const openPositions: Record<string, number> = {};
    for (const position of this.#positions) openPositions[position.symbol.name] = position.units;
    // Worked out when read: the statistics read the compact rows; only outputs take the columns.
    const equity = this.#equity.finish();
    return {
      strategy: this.strategy,
      settings: this.settings,
      trades: this.#trades.columns(),
      equity,
      unfilled: this.#unfilled,
      openPositions,
      commissions: this.#money[COMMISSIONS] as number,
      notional: this.#money[NOTIONAL] as number,
    };
  }

  #execute(order: PendingOrder, series: MarketSeries, marketPrice: number, time: number): void {
    const symbol = series.symbol;
    const position = this.#positions.find((p) => p.symbol === symbol);
    const current = position === undefined ? 0 : position.units;
    const target = this.#targetOf(order, current, symbol, marketPrice);
    if (target === undefined || target === current) return;
    const side: OrderSide = target > current ? 1 : -1;
    const units = Math.abs(target - current);
    const price = slippedPrice(marketPrice, side, this.settings.slippageBps);
    const notional = units * price;
    const commission = orderCommission(this.settings.commission, units, notional);
    const money = this.#money;
    const cash = money[CASH] as number;
    money[CASH] = side === 1 ? cash - notional - commission : cash + notional - commission;
    money[COMMISSIONS] = (money[COMMISSIONS] as number) + commission;
    money[NOTIONAL] = (money[NOTIONAL] as number) + notional;

    const reducing = position !== undefined && position.side !== side;
    const closeUnits = reducing ? Math.min(units, position.quantity) : 0;
    const closeCommission = (commission * closeUnits) / units;
    const openCommission = commission - closeCommission;
    if (position !== undefined && reducing) {
      this.#closeTrade(position, closeUnits, price, time, closeCommission);
      if (Math.abs(target) < position.quantity && Math.sign(target) === position.side) {
        position.quantity = Math.abs(target);
      } else {
        this.#positions.splice(this.#positions.indexOf(position), 1);
      }
    }
    if (target !== 0 && Math.sign(target) === side) {
      if (position !== undefined && !reducing) {
        const added = Math.abs(target) - position.quantity;
        position.entryPrice = (position.entryPrice * position.quantity + price * added) / Math.abs(target);
        position.quantity = Math.abs(target);
        position.entryCommission += openCommission;
      } else {
        this.#positions.push(
          new OpenPosition(
            symbol,
            series,
            side,
            Math.abs(target),
            price,
            time,
            series.barCount - 1,
            openCommission,
          ),
        );
      }
    }
    this.onFill?.({
      strategy: this.strategy,
      symbol: symbol.name,
      interval: series.interval,
      time,
      signalSeq: order.signalSeq,
      side: side === 1 ? 'buy' : 'sell',
      quantity: units,
      price,
      referencePrice: order.referencePrice,
      commission,
      positionAfter: target,
    });
  }

  /** Records the close of `quantity` units of `position` as a trade (its entry commission pro rata). */
  #closeTrade(
    position: OpenPosition,
    quantity: number,
    price: number,
    time: number,
    exitCommission: number,
  ): void {
    const entryCommission = (position.entryCommission * quantity) / position.quantity;
    position.entryCommission -= entryCommission;
    this.#trades.push({
      symbol: position.symbol.name,
      side: position.side,
      quantity,
      entryTime: position.entryTime,
      entryPrice: position.entryPrice,
      exitTime: time,
      exitPrice: price,
      commission: entryCommission + exitCommission,
      barsHeld: position.series.barCount - 1 - position.entryBar,
      mae: position.adverseExcursion(quantity),
      mfe: position.favourableExcursion(quantity),
    });
  }

  /**
   * The signed position an order targets, or undefined when it does nothing: `BUY` a long of its
   * quantity (else the sizing; kept as is when already long), `SELL` flat (or a short, as `BUY`
   * mirrored, with `allowShort`), `CLOSE` flat. When the sizing gives 0 units, a position on the other
   * side is still closed (target flat); with none, the order counts as unfilled.
   */
  #targetOf(
    order: PendingOrder,
    current: number,
    symbol: MarketSymbol,
    marketPrice: number,
  ): number | undefined {
    if (order.action === 'CLOSE' || (order.action === 'SELL' && !this.settings.allowShort)) return 0;
    const side: OrderSide = order.action === 'BUY' ? 1 : -1;
    if (order.quantity !== undefined) return side * order.quantity;
    if (Math.sign(current) === side) return current;
    const price = slippedPrice(marketPrice, side, this.settings.slippageBps);
    const units = sizedUnits(this.settings.sizing, this.#equityAt(symbol, price), price);
    if (units === 0) {
      // A reversal whose new side sizes to nothing still leaves the old one: a SELL (with shorts) still
      // sells the long, a BUY still covers the short. Without a position to leave, nothing fills.
      if (current !== 0) return 0;
      this.#unfilled++;
      return undefined;
    }
    return side * units;
  }

  /** Cash plus every position marked at its last close, `symbol`'s at `price`. */
  #equityAt(symbol: MarketSymbol, price: number): number {
    let equity = this.#money[CASH] as number;
    for (const position of this.#positions) {
      equity += position.units * (position.symbol === symbol ? price : position.symbol.lastClose);
    }
    return equity;
  }
}
