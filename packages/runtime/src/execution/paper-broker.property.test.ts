import type { Interval } from '@strat/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StampedSignal } from '../thread/stamped-signal';
import type { ExecutionSettings, Fill, TradeColumns } from './execution-types';
import { PaperBroker } from './paper-broker';

// A plain reference of the documented rules (runtime README, "Paper execution"): arrays of objects,
// every account looks at every bar, no routing. Its arithmetic follows the documented formulas in
// the same order as the engine, so both give the same floats exactly.

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 2, 14, 30);

interface SeriesSpec {
  symbol: string;
  interval: Interval;
  /** Bars last this many minutes. */
  minutes: number;
}

const SERIES: SeriesSpec[] = [
  { symbol: 'AAA', interval: '1m', minutes: 1 },
  { symbol: 'BBB', interval: '1m', minutes: 1 },
  { symbol: 'AAA', interval: '5m', minutes: 5 },
];

type Event =
  | {
      kind: 'bar';
      series: number;
      barTime: number;
      closeTime: number;
      o: number;
      h: number;
      l: number;
      c: number;
    }
  | { kind: 'step'; closeTime: number }
  | { kind: 'signal'; signal: StampedSignal };

interface RefTrade {
  symbol: string;
  side: number;
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

interface RefPosition {
  symbol: string;
  seriesKey: string;
  side: 1 | -1;
  qty: number;
  entryPrice: number;
  entryTime: number;
  entryBar: number;
  entryCommission: number;
  lowest: number;
  highest: number;
}

interface RefOrder {
  seriesKey: string;
  action: string;
  quantity: number | undefined;
  seq: number;
  price: number | undefined;
}

interface RefAccount {
  name: string;
  s: ExecutionSettings;
  cash: number;
  positions: RefPosition[];
  pending: RefOrder[];
  trades: RefTrade[];
  equity: { time: number; equity: number; cash: number; exposure: number }[];
  unfilled: number;
  commissions: number;
  notional: number;
}

function runReference(settings: Map<string, ExecutionSettings>, events: Event[]) {
  const fills: Fill[] = [];
  const accounts: RefAccount[] = [...settings].map(([name, s]) => ({
    name,
    s,
    cash: s.initialCash,
    positions: [],
    pending: [],
    trades: [],
    equity: [],
    unfilled: 0,
    commissions: 0,
    notional: 0,
  }));
  const bars: Record<string, { closeTime: number; c: number }[]> = {};
  const symbolClose: Record<string, number> = {};
  const keyOf = (symbol: string, interval: string) => `${symbol} ${interval}`;

  function execute(
    a: RefAccount,
    order: RefOrder,
    symbol: string,
    interval: Interval,
    raw: number,
    time: number,
  ) {
    const key = keyOf(symbol, interval);
    const pos = a.positions.find((p) => p.symbol === symbol);
    const current = pos ? pos.side * pos.qty : 0;
    let target: number;
    const bps = a.s.slippageBps;
    const slip = (side: number) => (side === 1 ? raw * (1 + bps / 10_000) : raw * (1 - bps / 10_000));
    if (order.action === 'CLOSE' || (order.action === 'SELL' && !a.s.allowShort)) target = 0;
    else {
      const dir = order.action === 'BUY' ? 1 : -1;
      if (order.quantity !== undefined) target = dir * order.quantity;
      else if (Math.sign(current) === dir) target = current;
      else {
        let units: number;
        if (a.s.sizing.kind === 'units') units = a.s.sizing.units;
        else {
          const price = slip(dir);
          let equity = a.cash;
          for (const p of a.positions)
            equity += p.side * p.qty * (p.symbol === symbol ? price : (symbolClose[p.symbol] as number));
          units = Math.max(
            0,
            Math.floor((equity * a.s.sizing.percent) / 100 / price / a.s.sizing.lotSize) * a.s.sizing.lotSize,
          );
        }
        // Sized to nothing, a reversal still leaves the other side.
        if (units > 0) target = dir * units;
        else if (current !== 0) target = 0;
        else {
          a.unfilled++;
          return;
        }
      }
    }
    if (target === current) return;
    const side = target > current ? 1 : -1;
    const units = Math.abs(target - current);
    const price = slip(side);
    const notional = units * price;
    const c = a.s.commission;
    const commission = Math.max(c.minimum, c.perUnit * units + (c.percent / 100) * notional);
    a.cash = side === 1 ? a.cash - notional - commission : a.cash + notional - commission;
    a.commissions += commission;
    a.notional += notional;
    const barIndex = (k: string) => (bars[k]?.length ?? 0) - 1;
    let closed = 0;
    if (pos && pos.side !== side) {
      closed = Math.min(units, pos.qty);
      const exitCommission = (commission * closed) / units;
      const entryCommission = (pos.entryCommission * closed) / pos.qty;
      pos.entryCommission -= entryCommission;
      const gross = pos.side === 1 ? (price - pos.entryPrice) * closed : (pos.entryPrice - price) * closed;
      const adverse = pos.side === 1 ? pos.lowest - pos.entryPrice : pos.entryPrice - pos.highest;
      const favourable = pos.side === 1 ? pos.highest - pos.entryPrice : pos.entryPrice - pos.lowest;
      a.trades.push({
        symbol,
        side: pos.side,
        quantity: closed,
        entryTime: pos.entryTime,
        entryPrice: pos.entryPrice,
        exitTime: time,
        exitPrice: price,
        grossPnl: gross,
        commission: entryCommission + exitCommission,
        netPnl: gross - (entryCommission + exitCommission),
        barsHeld: barIndex(pos.seriesKey) - pos.entryBar,
        mae: Math.min(0, adverse * closed),
        mfe: Math.max(0, favourable * closed),
      });
      if (target !== 0 && Math.sign(target) === pos.side) pos.qty = Math.abs(target);
      else a.positions.splice(a.positions.indexOf(pos), 1);
    }
    const openCommission = commission - (commission * closed) / units;
    if (target !== 0 && Math.sign(target) === side) {
      if (pos && pos.side === side) {
        const added = Math.abs(target) - pos.qty;
        pos.entryPrice = (pos.entryPrice * pos.qty + price * added) / Math.abs(target);
        pos.qty = Math.abs(target);
        pos.entryCommission += openCommission;
      } else {
        a.positions.push({
          symbol,
          seriesKey: key,
          side,
          qty: Math.abs(target),
          entryPrice: price,
          entryTime: time,
          entryBar: barIndex(key),
          entryCommission: openCommission,
          lowest: Number.POSITIVE_INFINITY,
          highest: Number.NEGATIVE_INFINITY,
        });
      }
    }
    fills.push({
      strategy: a.name,
      symbol,
      interval,
      time,
      signalSeq: order.seq,
      side: side === 1 ? 'buy' : 'sell',
      quantity: units,
      price,
      referencePrice: order.price,
      commission,
      positionAfter: target,
    });
  }

  for (const event of events) {
    if (event.kind === 'bar') {
      const spec = SERIES[event.series] as SeriesSpec;
      const key = keyOf(spec.symbol, spec.interval);
      const history = bars[key] ?? [];
      bars[key] = history;
      history.push({ closeTime: event.closeTime, c: event.c });
      for (const a of accounts) {
        const order = a.pending.find((o) => o.seriesKey === key);
        if (order) {
          a.pending.splice(a.pending.indexOf(order), 1);
          execute(a, order, spec.symbol, spec.interval, event.o, event.barTime);
        }
        for (const p of a.positions) {
          if (p.seriesKey !== key) continue;
          if (event.h > p.highest) p.highest = event.h;
          if (event.l < p.lowest) p.lowest = event.l;
        }
      }
      symbolClose[spec.symbol] = event.c;
    } else if (event.kind === 'step') {
      for (const a of accounts) {
        let equity = a.cash;
        let exposure = 0;
        for (const p of a.positions) {
          const close = symbolClose[p.symbol] as number;
          equity += p.side * p.qty * close;
          exposure += p.qty * close;
        }
        a.equity.push({ time: event.closeTime, equity, cash: a.cash, exposure });
      }
    } else {
      const signal = event.signal;
      const a = accounts.find((x) => x.name === signal.strategy);
      if (!a || signal.action === 'HOLD') continue;
      const key = keyOf(signal.symbol, signal.interval);
      const order = {
        seriesKey: key,
        action: signal.action,
        quantity: signal.quantity,
        seq: signal.seq,
        price: signal.price,
      };
      if (a.s.fill === 'close') {
        const last = bars[key]?.at(-1);
        if (last === undefined) a.unfilled++;
        else execute(a, order, signal.symbol, signal.interval, last.c, last.closeTime);
      } else {
        a.pending = a.pending.filter((o) => o.seriesKey !== key);
        a.pending.push(order);
      }
    }
  }
  for (const a of accounts) {
    a.unfilled += a.pending.length;
    a.pending = [];
  }
  return { fills, accounts };
}

function tradesOf(columns: TradeColumns): RefTrade[] {
  const out: RefTrade[] = [];
  for (let i = 0; i < columns.count; i++) {
    out.push({
      symbol: columns.symbols[columns.symbol[i] as number] as string,
      side: columns.side[i] as number,
      quantity: columns.quantity[i] as number,
      entryTime: columns.entryTime[i] as number,
      entryPrice: columns.entryPrice[i] as number,
      exitTime: columns.exitTime[i] as number,
      exitPrice: columns.exitPrice[i] as number,
      grossPnl: columns.grossPnl[i] as number,
      commission: columns.commission[i] as number,
      netPnl: columns.netPnl[i] as number,
      barsHeld: columns.barsHeld[i] as number,
      mae: columns.mae[i] as number,
      mfe: columns.mfe[i] as number,
    });
  }
  return out;
}

const settingsArbitrary: fc.Arbitrary<ExecutionSettings> = fc.record({
  initialCash: fc.constantFrom(1_000, 25_000, 100_000),
  fill: fc.constantFrom('next_open' as const, 'close' as const),
  slippageBps: fc.constantFrom(0, 1, 7.5, 50),
  commission: fc.record({
    perUnit: fc.constantFrom(0, 0.005, 0.5),
    percent: fc.constantFrom(0, 0.1),
    minimum: fc.constantFrom(0, 1),
  }),
  sizing: fc.oneof(
    fc.record({ kind: fc.constant('units' as const), units: fc.constantFrom(1, 3, 10, 0.5) }),
    fc.record({
      kind: fc.constant('percent_equity' as const),
      percent: fc.constantFrom(10, 50, 100),
      lotSize: fc.constantFrom(1, 10, 0.25),
    }),
  ),
  allowShort: fc.boolean(),
  riskFreeRate: fc.constant(0),
});

interface SignalPlan {
  strategy: number;
  /** Index into the session's series; one past them: a series that never has a bar. */
  series: number;
  action: 'BUY' | 'SELL' | 'CLOSE' | 'HOLD';
  quantity: number | undefined;
  withPrice: boolean;
}

const stepArbitrary = fc.record({
  /** Per series: whether its bar of this minute exists (a gap when not), and its price moves in basis points. */
  bars: fc.array(
    fc.record({
      present: fc.boolean(),
      open: fc.integer({ min: -150, max: 150 }),
      close: fc.integer({ min: -150, max: 150 }),
      up: fc.integer({ min: 0, max: 100 }),
      down: fc.integer({ min: 0, max: 100 }),
    }),
    { minLength: 3, maxLength: 3 },
  ),
  signals: fc.array(
    fc.record({
      strategy: fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: 1 }), weight: 9 },
        { arbitrary: fc.constant(2), weight: 1 },
      ),
      series: fc.oneof(
        { arbitrary: fc.integer({ min: 0, max: 2 }), weight: 9 },
        { arbitrary: fc.constant(3), weight: 1 },
      ),
      action: fc.constantFrom('BUY' as const, 'SELL' as const, 'CLOSE' as const, 'HOLD' as const),
      quantity: fc.option(fc.constantFrom(1, 2, 5, 12.5, 40), { nil: undefined }),
      withPrice: fc.boolean(),
    }),
    { maxLength: 4, size: 'max' },
  ),
  signalsBeforeStepEnd: fc.boolean(),
});

const scenarioArbitrary = fc.record({
  seriesCount: fc.integer({ min: 1, max: 3 }),
  strategies: fc.array(settingsArbitrary, { minLength: 1, maxLength: 3 }),
  startPrices: fc.array(fc.integer({ min: 500, max: 20_000 }), { minLength: 3, maxLength: 3 }),
  steps: fc.array(stepArbitrary, { minLength: 1, maxLength: 60, size: 'max' }),
});

type Scenario = typeof scenarioArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** The events of a scenario in session order: each minute's bars, its signals and its step end. */
function eventsOf(scenario: Scenario): Event[] {
  const events: Event[] = [];
  const series = SERIES.slice(0, scenario.seriesCount);
  const lastClose = series.map((_, i) => (scenario.startPrices[i] as number) / 100);
  const lastBarTime: (number | undefined)[] = series.map(() => undefined);
  const seq = [0, 0, 0];
  scenario.steps.forEach((step, minute) => {
    const closeTime = T0 + (minute + 1) * MINUTE;
    series.forEach((spec, i) => {
      const move = step.bars[i];
      if (move === undefined || !move.present || (minute + 1) % spec.minutes !== 0) return;
      const o = Math.round((lastClose[i] as number) * (10_000 + move.open)) / 10_000;
      const c = Math.round(o * (10_000 + move.close)) / 10_000;
      const h = Math.max(o, c) + move.up / 100;
      const l = Math.max(0.01, Math.min(o, c) - move.down / 100);
      const barTime = closeTime - spec.minutes * MINUTE;
      lastClose[i] = c;
      lastBarTime[i] = barTime;
      events.push({ kind: 'bar', series: i, barTime, closeTime, o, h, l, c });
    });
    const signals: Event[] = step.signals.map((plan: SignalPlan) => {
      const strategy = `s${plan.strategy}`;
      seq[plan.strategy] = (seq[plan.strategy] as number) + 1;
      const spec = SERIES[plan.series] ?? { symbol: 'ZZZ', interval: '1m' as Interval, minutes: 1 };
      const known = plan.series < series.length;
      const barTime = (known ? lastBarTime[plan.series] : undefined) ?? closeTime - spec.minutes * MINUTE;
      const signal: StampedSignal = {
        seq: seq[plan.strategy] as number,
        strategy,
        time: barTime + spec.minutes * MINUTE,
        barTime,
        interval: spec.interval,
        symbol: known ? spec.symbol : 'ZZZ',
        action: plan.action,
        reason: '',
        metadata: {},
      };
      if (plan.quantity !== undefined) signal.quantity = plan.quantity;
      if (plan.withPrice) signal.price = known ? (lastClose[plan.series] as number) : 1;
      return { kind: 'signal', signal };
    });
    const end: Event = { kind: 'step', closeTime };
    events.push(...(step.signalsBeforeStepEnd ? [...signals, end] : [end, ...signals]));
  });
  return events;
}

function runBroker(settings: Map<string, ExecutionSettings>, events: Event[]) {
  const fills: Fill[] = [];
  const broker = new PaperBroker(settings, (fill) => fills.push(fill));
  for (const event of events) {
    if (event.kind === 'bar') {
      const spec = SERIES[event.series] as SeriesSpec;
      broker.onBar(
        spec.symbol,
        spec.interval,
        event.barTime,
        event.closeTime,
        event.o,
        event.h,
        event.l,
        event.c,
      );
    } else if (event.kind === 'step') broker.endStep(event.closeTime);
    else broker.onSignal(event.signal);
  }
  return { fills, results: broker.finish() };
}

describe('PaperBroker against a plain reference', () => {
  it('gives the same fills, trades, equity and final state on random paths and signals', () => {
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        // Strategy s2 may get signals without having an account (ignored by both).
        const settings = new Map<string, ExecutionSettings>(
          scenario.strategies.slice(0, 2).map((s, i) => [`s${i}`, s]),
        );
        const events = eventsOf(scenario);
        const actual = runBroker(settings, events);
        const expected = runReference(settings, events);
        expect(actual.fills).toEqual(expected.fills);
        for (const account of expected.accounts) {
          const result = actual.results.get(account.name);
          expect(result).toBeDefined();
          if (result === undefined) return;
          expect(tradesOf(result.trades)).toEqual(account.trades);
          const rows = Array.from({ length: result.equity.count }, (_, i) => ({
            time: result.equity.time[i],
            equity: result.equity.equity[i],
            cash: result.equity.cash[i],
            exposure: result.equity.exposure[i],
          }));
          expect(rows).toEqual(account.equity);
          expect(result.unfilled).toBe(account.unfilled);
          expect(result.commissions).toBe(account.commissions);
          expect(result.notional).toBe(account.notional);
          expect(result.openPositions).toEqual(
            Object.fromEntries(account.positions.map((p) => [p.symbol, p.side * p.qty])),
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('trades at all on the generated scenarios (the property is not vacuous)', () => {
    const seen = { fills: 0, trades: 0, unfilled: 0, reversals: 0, reductions: 0, closeFills: 0 };
    fc.assert(
      fc.property(scenarioArbitrary, (scenario) => {
        const settings = new Map<string, ExecutionSettings>(scenario.strategies.map((s, i) => [`s${i}`, s]));
        const { fills, results } = runBroker(settings, eventsOf(scenario));
        for (const fill of fills) {
          const before = fill.positionAfter - (fill.side === 'buy' ? fill.quantity : -fill.quantity);
          seen.fills++;
          if (before * fill.positionAfter < 0) seen.reversals++;
          if (before * fill.positionAfter > 0 && Math.abs(fill.positionAfter) < Math.abs(before))
            seen.reductions++;
          if (settings.get(fill.strategy)?.fill === 'close') seen.closeFills++;
        }
        for (const result of results.values()) {
          seen.trades += result.trades.count;
          seen.unfilled += result.unfilled;
        }
      }),
      { numRuns: 100, seed: 42 },
    );
    expect(seen.fills).toBeGreaterThan(500);
    expect(seen.trades).toBeGreaterThan(250);
    expect(seen.unfilled).toBeGreaterThan(10);
    expect(seen.reversals).toBeGreaterThan(10);
    expect(seen.reductions).toBeGreaterThan(10);
    expect(seen.closeFills).toBeGreaterThan(100);
  });
});
