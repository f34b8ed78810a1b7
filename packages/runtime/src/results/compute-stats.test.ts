import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EquityBuffer } from '../execution/equity-buffer';
import type { EquityColumns } from '../execution/execution-types';
import {
  computeStats,
  dailyCloses,
  dailyReturns,
  drawdown,
  returnRatios,
  type StatsInput,
  tradeStats,
  utcDayOf,
} from './compute-stats';
import { equityColumnsOf } from './equity-series';
import { type TradeRecord, tradeColumnsOf } from './trade-records';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const JAN2 = Date.UTC(2024, 0, 2);

/** Rows of [time, equity] (cash = equity, exposure = 0 unless given). */
function curve(rows: readonly (readonly [number, number, number?])[]): EquityColumns {
  return equityColumnsOf({
    time: rows.map((r) => r[0]),
    equity: rows.map((r) => r[1]),
    cash: rows.map((r) => r[1]),
    exposure: rows.map((r) => r[2] ?? 0),
  });
}

function trades(netPnl: readonly number[]) {
  return tradeColumnsOf(
    netPnl.map(
      (pnl, i): TradeRecord => ({
        strategy: 's',
        symbol: 'AAPL',
        side: 'long',
        quantity: 1,
        entryTime: JAN2 + i * HOUR,
        entryPrice: 100,
        exitTime: JAN2 + (i + 1) * HOUR,
        exitPrice: 100 + pnl,
        grossPnl: pnl,
        commission: 0,
        netPnl: pnl,
        barsHeld: 1,
        mae: 0,
        mfe: 0,
      }),
    ),
  );
}

function input(equity: EquityColumns, overrides: Partial<StatsInput> = {}): StatsInput {
  return { equity, trades: trades([]), commissions: 0, notional: 0, initialCash: 100, ...overrides };
}

// Three days closing at 110, 99, 108.9 from 100: daily returns +10 %, -10 %, +10 %.
const threeDays = curve([
  [JAN2 + 15 * HOUR, 105, 50],
  [JAN2 + 20 * HOUR, 110, 50],
  [JAN2 + DAY + 15 * HOUR, 104.5, 0],
  [JAN2 + DAY + 20 * HOUR, 99, 0],
  [JAN2 + 2 * DAY + 20 * HOUR, 108.9, 50],
]);

describe('dailyCloses', () => {
  it('takes the last row of every day, as a row-by-row scan does, asking the day of few rows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 400 }), { minLength: 0, maxLength: 60 }),
        (rowsPerDay) => {
          const rows: Array<[number, number, number]> = [];
          rowsPerDay.forEach((count, day) => {
            for (let r = 0; r < count; r++) rows.push([day * DAY + r * 60_000, rows.length + 1, 0]);
          });
          const equity = curve(rows);
          let asked = 0;
          const dayOf = (time: number) => {
            asked++;
            return utcDayOf(time);
          };
          // The reference: every row asked, a new close whenever the day changes.
          const expected: number[] = [];
          let previous = Number.NaN;
          for (const [time, value] of rows) {
            if (utcDayOf(time) === previous) expected[expected.length - 1] = value;
            else expected.push(value);
            previous = utcDayOf(time);
          }
          expect(dailyCloses(equity, dayOf)).toEqual(expected);
          const days = rowsPerDay.filter((count) => count > 0).length;
          expect(asked).toBeLessThanOrEqual(days * (2 * Math.ceil(Math.log2(401)) + 2));
        },
      ),
    );
  });
});

describe('computeStats on a hand-computed curve', () => {
  const stats = computeStats(
    input(threeDays, { notional: 206.7, commissions: 1.25, trades: trades([10, -5]) }),
  );

  it('takes daily returns from the last row of each day, the first against the initial cash', () => {
    expect(dailyCloses(threeDays)).toEqual([110, 99, 108.9]);
    const returns = dailyReturns([110, 99, 108.9], 100);
    expect(returns[0]).toBeCloseTo(0.1, 12);
    expect(returns[1]).toBeCloseTo(-0.1, 12);
    expect(returns[2]).toBeCloseTo(0.1, 12);
    expect(stats.tradingDays).toBe(3);
  });

  it('annualises volatility, Sharpe and Sortino with 252 days', () => {
    // mean 1/30, sample sd 0.2/sqrt(3): vol = 0.2/sqrt(3)*sqrt(252) = 0.2*sqrt(84);
    // Sharpe = (1/30)/(0.2/sqrt(3))*sqrt(252) = sqrt(21); downside deviation = sqrt(0.01/3), Sortino = 2*sqrt(21).
    expect(stats.volatility).toBeCloseTo(0.2 * Math.sqrt(84), 10);
    expect(stats.sharpe).toBeCloseTo(Math.sqrt(21), 10);
    expect(stats.sortino).toBeCloseTo(2 * Math.sqrt(21), 10);
  });

  it('measures the drawdown from the 110 peak, never recovered: to the end', () => {
    expect(stats.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(stats.maxDrawdownDurationMs).toBe(2 * DAY);
  });

  it('gives returns, CAGR and Calmar', () => {
    expect(stats.initialCash).toBe(100);
    expect(stats.finalEquity).toBe(108.9);
    expect(stats.totalReturn).toBeCloseTo(0.089, 12);
    expect(stats.cagr).toBeCloseTo(1.089 ** 84 - 1, 6);
    expect(stats.calmar).toBeCloseTo((1.089 ** 84 - 1) / 0.1, 4);
  });

  it('gives exposure, commissions and turnover', () => {
    // 3 of 5 rows hold a position; mean equity (105+110+104.5+99+108.9)/5 = 105.48.
    expect(stats.exposurePct).toBe(60);
    expect(stats.commissions).toBe(1.25);
    expect(stats.turnover).toBeCloseTo(206.7 / 105.48, 12);
    expect(stats.trades).toBe(2);
  });

  it('takes a risk-free rate off the daily returns', () => {
    const rfDaily = 1.05 ** (1 / 252) - 1;
    const withRf = computeStats(input(threeDays, { riskFreeRate: 0.05 }));
    expect(withRf.sharpe).toBeCloseTo(((1 / 30 - rfDaily) / (0.2 / Math.sqrt(3))) * Math.sqrt(252), 10);
    // Only the -10 % day is below the risk-free rate.
    const downside = Math.sqrt((-0.1 - rfDaily) ** 2 / 3);
    expect(withRf.sortino).toBeCloseTo(((1 / 30 - rfDaily) / downside) * Math.sqrt(252), 10);
    expect(withRf.volatility).toBe(stats.volatility);
  });
});

describe('drawdown', () => {
  it('lasts from the peak to the first row back at the peak, the longest one counting', () => {
    const equity = curve([
      [0, 100],
      [HOUR, 110],
      [2 * HOUR, 99],
      [3 * HOUR, 105],
      [4 * HOUR, 110],
      [5 * HOUR, 120],
      [6 * HOUR, 90],
      [7 * HOUR, 121],
    ]);
    // 110 -> 99 (10 %, 3 h to recover), 120 -> 90 (25 %, 2 h).
    expect(drawdown(equity, 100)).toEqual({ maxDrawdown: 0.25, maxDrawdownDurationMs: 3 * HOUR });
  });

  it('starts from the initial cash at the first row', () => {
    const equity = curve([
      [DAY, 95],
      [2 * DAY, 98],
      [3 * DAY, 100],
    ]);
    expect(drawdown(equity, 100)).toEqual({ maxDrawdown: 1 - 95 / 100, maxDrawdownDurationMs: 2 * DAY });
  });

  it('is 0 on a curve that never falls, and on no rows', () => {
    expect(
      drawdown(
        curve([
          [0, 100],
          [1, 100],
          [2, 101],
        ]),
        100,
      ),
    ).toEqual({
      maxDrawdown: 0,
      maxDrawdownDurationMs: 0,
    });
    expect(drawdown(curve([]), 100)).toEqual({ maxDrawdown: 0, maxDrawdownDurationMs: 0 });
  });
});

describe('trade figures', () => {
  it('counts wins and losses by net P&L', () => {
    expect(tradeStats(trades([10, -5, 0, 20, -15]))).toEqual({
      trades: 5,
      winRate: 0.4,
      profitFactor: 1.5,
      averageWin: 15,
      averageLoss: -10,
      expectancy: 2,
    });
  });

  it('has no ratios without trades, and an infinite profit factor with no loss', () => {
    expect(tradeStats(trades([]))).toEqual({
      trades: 0,
      winRate: 0,
      profitFactor: 0,
      averageWin: 0,
      averageLoss: 0,
      expectancy: 0,
    });
    expect(tradeStats(trades([3, 5]))).toMatchObject({ winRate: 1, profitFactor: Number.POSITIVE_INFINITY });
    expect(tradeStats(trades([-3, -5]))).toMatchObject({ winRate: 0, profitFactor: 0, averageLoss: -4 });
  });
});

describe('edge cases', () => {
  it('gives a run with no rows its initial cash and zeros', () => {
    const stats = computeStats(input(curve([])));
    expect(stats).toEqual({
      initialCash: 100,
      finalEquity: 100,
      totalReturn: 0,
      cagr: 0,
      volatility: 0,
      sharpe: 0,
      sortino: 0,
      maxDrawdown: 0,
      maxDrawdownDurationMs: 0,
      calmar: 0,
      trades: 0,
      winRate: 0,
      profitFactor: 0,
      averageWin: 0,
      averageLoss: 0,
      expectancy: 0,
      exposurePct: 0,
      commissions: 0,
      turnover: 0,
      tradingDays: 0,
    });
  });

  it('has no volatility, Sharpe or Sortino over one day', () => {
    const stats = computeStats(
      input(
        curve([
          [JAN2 + HOUR, 101],
          [JAN2 + 2 * HOUR, 102],
        ]),
      ),
    );
    expect(stats).toMatchObject({ tradingDays: 1, volatility: 0, sharpe: 0, sortino: 0 });
    expect(stats.cagr).toBeCloseTo(1.02 ** 252 - 1, 6);
  });

  it('gives a flat curve Sharpe 0 and Sortino 0, with or without a risk-free rate', () => {
    const flat = curve([0, 1, 2, 3].map((d) => [JAN2 + d * DAY, 100] as const));
    for (const riskFreeRate of [0, 0.05]) {
      expect(computeStats(input(flat, { riskFreeRate }))).toMatchObject({
        tradingDays: 4,
        volatility: 0,
        sharpe: 0,
        sortino: 0,
        maxDrawdown: 0,
        calmar: 0,
      });
    }
    // A steady gain: sd 0 too, however the division rounds.
    const steady = curve([0, 1, 2, 3].map((d) => [JAN2 + d * DAY, 100 * 1.01 ** (d + 1)] as const));
    expect(computeStats(input(steady))).toMatchObject({ sharpe: 0, sortino: 0, maxDrawdown: 0 });
  });

  it('gives Sortino Infinity when no day loses but the returns vary', () => {
    const up = curve([
      [JAN2, 101],
      [JAN2 + DAY, 103],
      [JAN2 + 2 * DAY, 103],
    ]);
    const stats = computeStats(input(up));
    expect(stats.sortino).toBe(Number.POSITIVE_INFINITY);
    expect(stats.sharpe).toBeGreaterThan(0);
  });

  it('counts a ruined account: CAGR -1, no return from a day starting at 0 or below', () => {
    const ruined = curve([
      [JAN2, 50],
      [JAN2 + DAY, -10],
      [JAN2 + 2 * DAY, -20],
    ]);
    const stats = computeStats(input(ruined));
    expect(stats.cagr).toBe(-1);
    expect(dailyReturns([50, -10, -20], 100)).toEqual([-0.5, -1.2, 0]);
    expect(Object.values(stats).some((v) => Number.isNaN(v))).toBe(false);
  });

  it('groups rows into trading days with dayOf', () => {
    // New York days: 23:00 UTC and 01:00 UTC the next day are one evening session (UTC-5).
    const newYorkDay = (t: number) => Math.floor((t - 5 * HOUR) / DAY);
    const equity = curve([
      [JAN2 + 23 * HOUR, 101],
      [JAN2 + 25 * HOUR, 102],
      [JAN2 + 47 * HOUR, 103],
    ]);
    expect(dailyCloses(equity)).toEqual([101, 103]);
    expect(dailyCloses(equity, newYorkDay)).toEqual([102, 103]);
    expect(computeStats(input(equity, { dayOf: newYorkDay })).tradingDays).toBe(2);
    expect(utcDayOf(JAN2 + 23 * HOUR)).toBe(utcDayOf(JAN2));
  });

  it('returns 0 ratios below two daily returns', () => {
    expect(returnRatios([0.05])).toEqual({ volatility: 0, sharpe: 0, sortino: 0 });
  });
});

/**
 * Positive equity rows, one per day, in cents: a return between two doubles a few ulps apart is
 * ill-conditioned (its Sortino may be 1e9 and any rounding shows), which says nothing of the formulas.
 */
const equityPath = fc.array(
  fc.integer({ min: 100, max: 100_000 }).map((cents) => cents / 100),
  { minLength: 1, maxLength: 60 },
);

function daily(values: readonly number[], scale = 1): EquityColumns {
  return curve(values.map((v, i) => [JAN2 + i * DAY, v * scale, i % 2 === 0 ? v * scale : 0] as const));
}

/** A naive drawdown for comparison: every row against the highest value before it. */
function naiveMaxDrawdown(values: readonly number[], initialCash: number): number {
  let worst = 0;
  for (let j = 0; j < values.length; j++) {
    const peak = Math.max(initialCash, ...values.slice(0, j + 1));
    worst = Math.max(worst, (peak - (values[j] as number)) / peak);
  }
  return worst;
}

function closeRelative(a: number, b: number): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}

describe('properties', () => {
  it('keeps the drawdown in [0, 1] for positive equity and matches a naive one', () => {
    fc.assert(
      fc.property(equityPath, fc.double({ min: 1, max: 1_000, noNaN: true }), (values, initialCash) => {
        const { maxDrawdown } = drawdown(daily(values), initialCash);
        expect(maxDrawdown).toBeGreaterThanOrEqual(0);
        expect(maxDrawdown).toBeLessThan(1);
        expect(closeRelative(maxDrawdown, naiveMaxDrawdown(values, initialCash))).toBe(true);
      }),
    );
  });

  it('finds no drawdown on a rising curve', () => {
    fc.assert(
      fc.property(equityPath, (values) => {
        const rising = [...values].sort((a, b) => a - b);
        expect(drawdown(daily(rising), rising[0] as number)).toEqual({
          maxDrawdown: 0,
          maxDrawdownDurationMs: 0,
        });
      }),
    );
  });

  it('gives the same returns, ratios and drawdown when equity, cash and costs are scaled by k', () => {
    const ratios = [
      'totalReturn',
      'cagr',
      'volatility',
      'sharpe',
      'sortino',
      'maxDrawdown',
      'maxDrawdownDurationMs',
      'calmar',
      'exposurePct',
      'turnover',
      'tradingDays',
    ] as const;
    fc.assert(
      fc.property(
        equityPath,
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 10_000, noNaN: true }),
        (values, k, notional) => {
          const base = computeStats(input(daily(values), { initialCash: 100, notional }));
          const scaled = computeStats(
            input(daily(values, k), { initialCash: 100 * k, notional: notional * k }),
          );
          for (const key of ratios) {
            if (!closeRelative(base[key], scaled[key])) {
              throw new Error(`${key}: ${base[key]} vs ${scaled[key]} (k = ${k})`);
            }
          }
        },
      ),
    );
  });
});

describe("computeStats on a compact curve (a session account's, finished without its columns)", () => {
  it('gives the stats of its columns, bit for bit, and works none of them out', () => {
    // A paper account's marks: minutes in sessions of 390 with overnight gaps, one position or none (a
    // position's mark, cash changed at fills), now and then a row with two positions (kept aside).
    const step = fc.record({
      move: fc.double({ min: -0.02, max: 0.02, noNaN: true }),
      fill: fc.boolean(),
      aside: fc.integer({ min: 0, max: 40 }),
    });
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 0, maxLength: 3_000 }),
        fc.constantFrom(utcDayOf, (t: number) => Math.floor((t - 13 * HOUR) / DAY)),
        (steps, dayOf) => {
          const buffer = new EquityBuffer();
          const register = new Float64Array(4);
          let price = 100;
          let cash = 100_000;
          let units = 0;
          steps.forEach((s, i) => {
            const time = JAN2 + Math.floor(i / 390) * DAY + (i % 390) * 60_000;
            price *= 1 + s.move;
            if (s.fill) {
              const target = units === 0 ? 500 : units > 0 ? -300 : 0;
              cash -= (target - units) * price + 1;
              units = target;
            }
            if (s.aside === 0) buffer.push(time, cash + units * price + 5, cash, Math.abs(units) * price + 5);
            else {
              register.set([time, cash, Math.sign(units), units * price]);
              buffer.mark(register);
            }
          });
          const input = (equity: EquityColumns): StatsInput => ({
            equity,
            trades: trades([]),
            commissions: 7,
            notional: 1e6,
            initialCash: 100_000,
            dayOf,
          });
          const columns = buffer.columns();
          const finished = buffer.finish();
          const compact = computeStats(input(finished));
          expect(compact).toEqual(computeStats(input(columns)));
          expect(dailyCloses(finished, dayOf)).toEqual(dailyCloses(columns, dayOf));
          expect(drawdown(finished, 100_000)).toEqual(drawdown(columns, 100_000));
          // Nothing of it was worked out: every column is still to come.
          for (const name of ['time', 'equity', 'cash', 'exposure']) {
            expect(Object.getOwnPropertyDescriptor(finished, name)?.get, name).toBeDefined();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
