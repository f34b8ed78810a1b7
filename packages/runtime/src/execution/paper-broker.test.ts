import { describe, expect, it } from 'vitest';
import { MINUTE, minute, PaperDriver, paperSettings, T0 } from '../../test/paper-driver';
import type { TradeColumns } from './execution-types';

/** Row `i` of trade columns as a plain object, for readable assertions. */
function trade(trades: TradeColumns, i: number) {
  return {
    symbol: trades.symbols[trades.symbol[i] as number],
    side: trades.side[i],
    quantity: trades.quantity[i],
    entryTime: trades.entryTime[i],
    entryPrice: trades.entryPrice[i],
    exitTime: trades.exitTime[i],
    exitPrice: trades.exitPrice[i],
    grossPnl: trades.grossPnl[i],
    commission: trades.commission[i],
    netPnl: trades.netPnl[i],
    barsHeld: trades.barsHeld[i],
    mae: trades.mae[i],
    mfe: trades.mfe[i],
  };
}

describe('PaperBroker: next_open fills', () => {
  it('fills a BUY at the open of the next bar of its series, sized at 100 % of equity', () => {
    const d = new PaperDriver();
    d.minute(0, [100, 101, 99, 100]).signal('BUY', minute(0), { price: 100 });
    expect(d.fills).toEqual([]);
    d.minute(1, [101, 103, 100, 102]);
    expect(d.fills).toEqual([
      {
        strategy: 's',
        symbol: 'AAPL',
        interval: '1m',
        time: minute(1),
        signalSeq: 1,
        side: 'buy',
        quantity: 990, // floor(100,000 / 101)
        price: 101,
        referencePrice: 100,
        commission: 0,
        positionAfter: 990,
      },
    ]);
    const { equity, openPositions, unfilled } = d.finish();
    expect(equity.count).toBe(2);
    expect([...equity.time]).toEqual([minute(1), minute(2)]);
    expect([...equity.cash]).toEqual([100_000, 10]);
    expect([...equity.equity]).toEqual([100_000, 10 + 990 * 102]);
    expect([...equity.exposure]).toEqual([0, 990 * 102]);
    expect(openPositions).toEqual({ AAPL: 990 });
    expect(unfilled).toBe(0);
  });

  it('records the closed trade with MAE/MFE from the bars held and bars held counted in its series', () => {
    const d = new PaperDriver();
    d.minute(0, [100, 101, 99, 100]).signal('BUY', minute(0));
    d.minute(1, [101, 103, 100, 102]); // filled at 101: this bar counts
    d.minute(2, [102, 105, 98, 99]).signal('CLOSE', minute(2));
    d.minute(3, [97, 99, 95, 96]); // filled at 97: this bar does not count
    const { trades, openPositions } = d.finish();
    expect(trades.count).toBe(1);
    expect(trade(trades, 0)).toEqual({
      symbol: 'AAPL',
      side: 1,
      quantity: 990,
      entryTime: minute(1),
      entryPrice: 101,
      exitTime: minute(3),
      exitPrice: 97,
      grossPnl: -4 * 990,
      commission: 0,
      netPnl: -4 * 990,
      barsHeld: 2,
      mae: -3 * 990,
      mfe: 4 * 990,
    });
    expect(openPositions).toEqual({});
    expect(d.fills.map((f) => [f.side, f.quantity, f.price, f.positionAfter])).toEqual([
      ['buy', 990, 101, 990],
      ['sell', 990, 97, 0],
    ]);
  });

  it('fills across a session gap at the first bar of the next session, not at another series', () => {
    const lastOfDay = Date.UTC(2024, 0, 2, 20, 59);
    const nextOpen = Date.UTC(2024, 0, 3, 14, 30);
    const d = new PaperDriver({ sizing: { kind: 'units', units: 10 } });
    d.bar('AAPL', lastOfDay, [100, 100, 100, 100]).step(lastOfDay + MINUTE);
    d.signal('BUY', lastOfDay);
    d.bar('MSFT', nextOpen, [300, 300, 300, 300]);
    expect(d.fills).toEqual([]);
    d.bar('AAPL', nextOpen, [104, 105, 103, 104]).step(nextOpen + MINUTE);
    expect(d.fills.map((f) => [f.time, f.price, f.quantity])).toEqual([[nextOpen, 104, 10]]);
  });

  it('does not fill a signal on the last bar: it counts as unfilled', () => {
    const d = new PaperDriver();
    d.minute(0, [100, 100, 100, 100]).signal('BUY', minute(0));
    const result = d.finish();
    expect(d.fills).toEqual([]);
    expect(result.unfilled).toBe(1);
    expect(result.openPositions).toEqual({});
    expect([...result.equity.equity]).toEqual([100_000]);
  });

  it('replaces an order still waiting by a newer signal of the same strategy on the same series', () => {
    const d = new PaperDriver();
    d.minute(0, [100, 100, 100, 100]);
    d.signal('BUY', minute(0), { quantity: 5 }).signal('BUY', minute(0), { quantity: 7 });
    d.minute(1, [100, 100, 100, 100]);
    expect(d.fills.map((f) => [f.signalSeq, f.quantity])).toEqual([[2, 7]]);
    d.signal('CLOSE', minute(1)).signal('BUY', minute(1), { quantity: 9 }).signal('CLOSE', minute(1));
    d.minute(2, [100, 100, 100, 100]);
    expect(d.fills.map((f) => [f.signalSeq, f.side, f.quantity])).toEqual([
      [2, 'buy', 7],
      [5, 'sell', 7],
    ]);
    expect(d.finish().unfilled).toBe(0);
  });

  it('ignores HOLD (a waiting order stays) and signals of strategies without an account', () => {
    const d = new PaperDriver();
    d.minute(0, [100, 100, 100, 100]);
    d.signal('BUY', minute(0), { quantity: 3 }).signal('HOLD', minute(0));
    d.signal('BUY', minute(0), { quantity: 4, strategy: 'unknown' });
    d.minute(1, [100, 100, 100, 100]);
    expect(d.fills.map((f) => [f.strategy, f.signalSeq, f.quantity])).toEqual([['s', 1, 3]]);
    expect(d.finish().unfilled).toBe(0);
  });
});

describe('PaperBroker: targets', () => {
  it('reverses long to short in one fill: two trades, the commission split pro rata by units', () => {
    const d = new PaperDriver({
      allowShort: true,
      sizing: { kind: 'units', units: 5 },
      commission: { perUnit: 1, percent: 0, minimum: 0 },
    });
    d.minute(0, [100, 100, 100, 100]).signal('BUY', minute(0), { quantity: 10 });
    d.minute(1, [100, 100, 100, 100]).signal('SELL', minute(1));
    d.minute(2, [110, 110, 110, 110]).signal('CLOSE', minute(2));
    d.minute(3, [105, 105, 105, 105]);
    expect(d.fills.map((f) => [f.side, f.quantity, f.price, f.commission, f.positionAfter])).toEqual([
      ['buy', 10, 100, 10, 10],
      ['sell', 15, 110, 15, -5],
      ['buy', 5, 105, 5, 0],
    ]);
    const { trades, equity } = d.finish();
    expect(trades.count).toBe(2);
    expect(trade(trades, 0)).toMatchObject({
      side: 1,
      quantity: 10,
      grossPnl: 100,
      commission: 20,
      netPnl: 80,
    });
    expect(trade(trades, 1)).toMatchObject({
      side: -1,
      quantity: 5,
      entryPrice: 110,
      exitPrice: 105,
      grossPnl: 25,
      commission: 10,
      netPnl: 15,
      barsHeld: 1,
    });
    expect(equity.cash[equity.count - 1]).toBe(100_095);
    expect(equity.equity[equity.count - 1]).toBe(100_095);
  });

  it('CLOSE targets flat from long or short, and does nothing when flat', () => {
    const d = new PaperDriver({ allowShort: true, sizing: { kind: 'units', units: 2 } });
    d.minute(0, [100, 100, 100, 100]).signal('CLOSE', minute(0));
    d.minute(1, [100, 100, 100, 100]).signal('SELL', minute(1));
    d.minute(2, [100, 100, 100, 100]).signal('CLOSE', minute(2));
    d.minute(3, [100, 100, 100, 100]);
    expect(d.fills.map((f) => [f.side, f.quantity, f.positionAfter])).toEqual([
      ['sell', 2, -2],
      ['buy', 2, 0],
    ]);
    expect(d.finish().unfilled).toBe(0);
  });

  it('SELL only flattens without allow_short (its quantity ignored); with it, SELL opens a short', () => {
    const flat = new PaperDriver({ sizing: { kind: 'units', units: 10 } });
    flat.minute(0, [100, 100, 100, 100]).signal('SELL', minute(0));
    flat.minute(1, [100, 100, 100, 100]).signal('BUY', minute(1));
    flat.minute(2, [100, 100, 100, 100]).signal('SELL', minute(2), { quantity: 3 });
    flat.minute(3, [100, 100, 100, 100]);
    expect(flat.fills.map((f) => [f.side, f.quantity, f.positionAfter])).toEqual([
      ['buy', 10, 10],
      ['sell', 10, 0],
    ]);
    const short = new PaperDriver({
      allowShort: true,
      sizing: { kind: 'percent_equity', percent: 50, lotSize: 10 },
    });
    short.minute(0, [100, 100, 100, 100]).signal('SELL', minute(0));
    short.minute(1, [30, 30, 30, 30]);
    // floor(100,000 * 50 / 100 / 30 / 10) * 10 = 1660
    expect(short.fills.map((f) => [f.side, f.quantity, f.positionAfter])).toEqual([['sell', 1660, -1660]]);
    expect(short.finish().openPositions).toEqual({ AAPL: -1660 });
  });

  it('keeps a position on a repeated signal without quantity; a quantity retargets it (partial close)', () => {
    const d = new PaperDriver({ commission: { perUnit: 1, percent: 0, minimum: 0 } });
    d.minute(0, [100, 100, 100, 100]).signal('BUY', minute(0), { quantity: 10 });
    d.minute(1, [100, 100, 100, 100]).signal('BUY', minute(1));
    d.minute(2, [100, 100, 100, 100]).signal('BUY', minute(2), { quantity: 4 });
    d.minute(3, [101, 101, 101, 101]).signal('BUY', minute(3), { quantity: 6 });
    d.minute(4, [102, 102, 102, 102]);
    expect(d.fills.map((f) => [f.side, f.quantity, f.price, f.positionAfter])).toEqual([
      ['buy', 10, 100, 10],
      ['sell', 6, 101, 4],
      ['buy', 2, 102, 6],
    ]);
    const { trades, openPositions } = d.finish();
    expect(trades.count).toBe(1);
    // The entry commission (10) is charged 6/10 to the 6 units closed.
    expect(trade(trades, 0)).toMatchObject({
      quantity: 6,
      grossPnl: 6,
      commission: 12,
      netPnl: -6,
      barsHeld: 2,
    });
    expect(openPositions).toEqual({ AAPL: 6 });
  });
});

describe('PaperBroker: costs and sizing', () => {
  function buyTenAt50(commission: { perUnit: number; percent: number; minimum: number }) {
    const d = new PaperDriver({ commission });
    d.minute(0, [50, 50, 50, 50]).signal('BUY', minute(0), { quantity: 10 });
    d.minute(1, [50, 50, 50, 50]);
    const { equity, commissions, notional } = d.finish();
    return { commission: d.fills[0]?.commission, cash: equity.cash[1], commissions, notional };
  }

  it('charges per unit, a percent of the notional, and at least the minimum', () => {
    expect(buyTenAt50({ perUnit: 0.5, percent: 0, minimum: 0 })).toEqual({
      commission: 5,
      cash: 100_000 - 500 - 5,
      commissions: 5,
      notional: 500,
    });
    const percent = buyTenAt50({ perUnit: 0, percent: 0.1, minimum: 0 });
    expect(percent.commission).toBeCloseTo(0.5, 12);
    expect(percent.cash).toBeCloseTo(100_000 - 500 - 0.5, 9);
    expect(buyTenAt50({ perUnit: 0.5, percent: 0, minimum: 7 }).commission).toBe(7);
    expect(buyTenAt50({ perUnit: 0.5, percent: 0.1, minimum: 1 }).commission).toBeCloseTo(5.5, 12);
  });

  it('charges nothing for a zero-size order: nothing fills and it counts as unfilled', () => {
    const d = new PaperDriver({ initialCash: 100, commission: { perUnit: 0, percent: 0, minimum: 7 } });
    d.minute(0, [150, 150, 150, 150]).signal('BUY', minute(0));
    d.minute(1, [150, 150, 150, 150]);
    const { unfilled, equity, commissions } = d.finish();
    expect(d.fills).toEqual([]);
    expect(unfilled).toBe(1);
    expect(commissions).toBe(0);
    expect([...equity.cash]).toEqual([100, 100]);
  });

  it('still leaves a position when the other side sizes to nothing (a reversal becomes a close)', () => {
    // 10 % of equity in lots of 100: a new side of a ~1,000 account sizes to 0 units.
    const settings = {
      initialCash: 1_000,
      allowShort: true,
      sizing: { kind: 'percent_equity', percent: 10, lotSize: 100 },
    } as const;
    const long = new PaperDriver(settings);
    long.minute(0, [50, 50, 50, 50]).signal('BUY', minute(0), { quantity: 10 });
    long.minute(1, [50, 60, 50, 60]).signal('SELL', minute(1)); // cash 500, long 10
    long.minute(2, [60, 60, 60, 60]);
    expect(long.fills.map((f) => [f.side, f.quantity, f.price, f.positionAfter])).toEqual([
      ['buy', 10, 50, 10],
      ['sell', 10, 60, 0],
    ]);
    const longResult = long.finish();
    expect(longResult.unfilled).toBe(0);
    expect(longResult.trades.count).toBe(1);
    expect(longResult.openPositions).toEqual({});

    const short = new PaperDriver(settings);
    short.minute(0, [50, 50, 50, 50]).signal('SELL', minute(0), { quantity: 10 });
    short.minute(1, [50, 60, 50, 60]).signal('BUY', minute(1)); // cash 1,500, short 10
    short.minute(2, [60, 60, 60, 60]);
    expect(short.fills.map((f) => [f.side, f.quantity, f.price, f.positionAfter])).toEqual([
      ['sell', 10, 50, -10],
      ['buy', 10, 60, 0],
    ]);
    expect(short.finish().unfilled).toBe(0);

    // Flat, the same signal fills nothing and counts as unfilled.
    const flat = new PaperDriver(settings);
    flat.minute(0, [60, 60, 60, 60]).signal('SELL', minute(0));
    flat.minute(1, [60, 60, 60, 60]);
    expect(flat.fills).toEqual([]);
    expect(flat.finish().unfilled).toBe(1);
  });

  it('sizes by percent of equity marked at the fill price, in whole lots', () => {
    const d = new PaperDriver({ sizing: { kind: 'percent_equity', percent: 50, lotSize: 100 } });
    d.bar('MSFT', minute(0), [200, 200, 200, 200]).step(minute(1));
    d.signal('BUY', minute(0), { symbol: 'MSFT', quantity: 100 });
    d.bar('MSFT', minute(1), [200, 210, 200, 210]).step(minute(2)); // cash 80,000, MSFT marked at 210
    d.bar('AAPL', minute(2), [40, 40, 40, 40]).step(minute(3));
    d.signal('BUY', minute(2));
    d.bar('AAPL', minute(3), [37, 37, 37, 37]).step(minute(4));
    // E = 80,000 + 100 * 210 = 101,000; floor(101,000 * 50 / 100 / 37 / 100) * 100 = 1300
    expect(d.fills.map((f) => [f.symbol, f.quantity])).toEqual([
      ['MSFT', 100],
      ['AAPL', 1300],
    ]);
    expect(d.finish().openPositions).toEqual({ MSFT: 100, AAPL: 1300 });
  });

  it('slips against the trade: buys higher, sells (and shorts) lower', () => {
    const d = new PaperDriver({ slippageBps: 10, allowShort: true });
    d.minute(0, [100, 100, 100, 100]).signal('BUY', minute(0), { quantity: 1 });
    d.minute(1, [100, 100, 100, 100]).signal('CLOSE', minute(1));
    d.minute(2, [100, 100, 100, 100]).signal('SELL', minute(2), { quantity: 1 });
    d.minute(3, [100, 100, 100, 100]);
    const prices = d.fills.map((f) => f.price);
    expect(prices[0]).toBeCloseTo(100.1, 10);
    expect(prices[1]).toBeCloseTo(99.9, 10);
    expect(prices[2]).toBeCloseTo(99.9, 10);
    expect(d.fills.map((f) => f.side)).toEqual(['buy', 'sell', 'sell']);
    const { trades } = d.finish();
    expect(trades.grossPnl[0]).toBeCloseTo(-0.2, 10);
  });
});

describe('PaperBroker: close fills', () => {
  it("fills at once at the signal bar's close; the excursions start after it", () => {
    const d = new PaperDriver({ fill: 'close' });
    d.minute(0, [90, 120, 80, 100]).signal('BUY', minute(0), { price: 100 });
    expect(d.fills.map((f) => [f.time, f.price, f.quantity, f.referencePrice])).toEqual([
      [minute(1), 100, 1000, 100],
    ]);
    d.minute(1, [100, 106, 97, 105]).signal('CLOSE', minute(1));
    const { trades, equity, unfilled } = d.finish();
    expect(trade(trades, 0)).toMatchObject({
      entryTime: minute(1),
      exitTime: minute(2),
      exitPrice: 105,
      grossPnl: 5000,
      barsHeld: 1,
      mae: -3000,
      mfe: 6000,
    });
    expect([...equity.equity]).toEqual([100_000, 105_000]);
    expect(unfilled).toBe(0);
  });

  it('counts a signal for a series without bars as unfilled', () => {
    const d = new PaperDriver({ fill: 'close' });
    d.minute(0, [100, 100, 100, 100]).signal('BUY', minute(0), { symbol: 'MSFT' });
    d.signal('BUY', minute(0), { interval: '5m' });
    expect(d.fills).toEqual([]);
    expect(d.finish().unfilled).toBe(2);
  });
});

describe('PaperBroker: accounts and series', () => {
  it('holds one position per symbol across the intervals it is traded from', () => {
    const d = new PaperDriver({ sizing: { kind: 'units', units: 10 } });
    for (let i = 0; i < 5; i++) d.bar('AAPL', minute(i), [100 + i, 100 + i, 100 + i, 100 + i]);
    d.bar('AAPL', minute(0), [100, 104, 100, 104], '5m').step(minute(5));
    d.signal('BUY', minute(0), { interval: '5m' });
    d.bar('AAPL', minute(5), [105, 105, 105, 105]).signal('SELL', minute(5));
    expect(d.fills).toEqual([]); // the 5m order waits for the next 5m bar
    d.bar('AAPL', minute(6), [106, 106, 106, 106]);
    expect(d.fills).toEqual([]); // the SELL: flat already
    d.bar('AAPL', minute(7), [107, 107, 107, 107]).bar('AAPL', minute(8), [108, 108, 108, 108]);
    d.bar('AAPL', minute(9), [109, 109, 109, 109]);
    d.bar('AAPL', minute(5), [105, 109, 105, 109], '5m').step(minute(10));
    expect(d.fills.map((f) => [f.interval, f.side, f.price])).toEqual([['5m', 'buy', 105]]);
    d.signal('SELL', minute(9));
    d.bar('AAPL', minute(10), [110, 110, 110, 110]).step(minute(11));
    expect(d.fills.map((f) => [f.interval, f.side, f.price, f.positionAfter])).toEqual([
      ['5m', 'buy', 105, 10],
      ['1m', 'sell', 110, 0],
    ]);
    expect(d.finish().trades.barsHeld[0]).toBe(0); // counted in the 5m series it was opened through
  });

  it('keeps one account per strategy; fills of one bar go in account order', () => {
    const d = new PaperDriver(
      new Map([
        ['a', paperSettings({ sizing: { kind: 'units', units: 1 } })],
        ['b', paperSettings({ sizing: { kind: 'units', units: 2 }, initialCash: 1000 })],
      ]),
    );
    d.minute(0, [100, 100, 100, 100]);
    d.signal('BUY', minute(0), { strategy: 'b' }).signal('BUY', minute(0), { strategy: 'a' });
    d.minute(1, [101, 101, 101, 101]);
    expect(d.fills.map((f) => [f.strategy, f.quantity])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    const results = d.broker.finish();
    expect([...results.keys()]).toEqual(['a', 'b']);
    expect(results.get('a')?.equity.equity[1]).toBe(100_000 - 101 + 101);
    expect(results.get('b')?.equity.cash[1]).toBe(1000 - 202);
  });

  it('grows its columns past their first capacity', () => {
    const d = new PaperDriver({ sizing: { kind: 'units', units: 1 } });
    for (let i = 0; i < 300; i++) {
      d.minute(i, [100 + i, 100 + i, 100 + i, 100 + i]).signal(i % 2 === 0 ? 'BUY' : 'SELL', minute(i));
    }
    const { equity, trades, unfilled } = d.finish();
    expect(equity.count).toBe(300);
    expect(equity.time.length).toBe(300);
    expect(equity.time[299]).toBe(T0 + 300 * MINUTE);
    expect(trades.count).toBe(149);
    expect(trades.entryPrice[148]).toBe(397);
    expect(trades.exitPrice[148]).toBe(398);
    expect(unfilled).toBe(1);
  });
});
