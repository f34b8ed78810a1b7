import { parseSessionConfig } from '@strat/core';
import { appendBar } from '@strat/core/internal';
import { SessionData, TradingCalendar } from '@strat/data';
import { describe, expect, it } from 'vitest';
import type { Fill } from '../execution/execution-types';
import type { StampedSignal } from '../thread/stamped-signal';
import { SessionPaper } from './session-paper';

const MIN = 60_000;
function paperOf(fills: Fill[], equity: number[] = []) {
  const store = new SessionData({ window: 1024 });
  store.ensureSeries('SPY', '1m');
  const config = parseSessionConfig({
    mode: 'live',
    session_data_config: { symbols: ['SPY'], strategies: [{ module: 'a.js' }, { module: 'b.js' }] },
    execution: { initial_cash: 10_000, allow_short: true, commission: { per_unit: 0.01 } },
  });
  const [a, b] = config.session_data_config.strategies;
  const paper = SessionPaper.create(
    config,
    [
      { name: 'a', entry: a as NonNullable<typeof a> },
      { name: 'b', entry: b as NonNullable<typeof b> },
    ],
    store,
    TradingCalendar.fromConfig({ preset: '24x7' } as never),
    (fill) => fills.push(fill),
    (points) => equity.push(points.length),
  ) as SessionPaper;
  return { paper, store };
}

function signal(
  strategy: string,
  seq: number,
  minute: number,
  action: StampedSignal['action'],
): StampedSignal {
  return {
    seq,
    strategy,
    time: minute * MIN,
    barTime: (minute - 1) * MIN,
    interval: '1m',
    symbol: 'SPY',
    action,
    reason: '',
    metadata: {},
    quantity: 3,
    // A reference price on some (fills carry it, or undefined, across threads).
    ...(minute % 3 === 0 ? { price: 99.5 } : {}),
  };
}

/**
 * 3,000 minutes, a BUY/SELL every 7 minutes per strategy, released every `every` minutes (a
 * session's batch of steps; never more than a ring of the store's series).
 */
function drive(paper: SessionPaper, store: SessionData, every: number): void {
  const buffers = store.getSeries('SPY', '1m');
  if (buffers === undefined) throw new Error('no series');
  let held: StampedSignal[] = [];
  for (let m = 1; m <= 3000; m++) {
    const price = 100 + Math.sin(m / 40) * 5;
    paper.bar(
      'SPY',
      '1m',
      appendBar(buffers, (m - 1) * MIN, price, price + 1, price - 1, price + 0.25, 10),
      m * MIN,
    );
    paper.step(m * MIN);
    if (m % 7 === 0) held.push(signal('a', m, m, m % 14 === 0 ? 'BUY' : 'SELL'), signal('b', m, m, 'HOLD'));
    if (m % 11 === 0) held.push(signal('b', m + 1, m, m % 22 === 0 ? 'SELL' : 'BUY'));
    if (m % every === 0) {
      paper.signals(held);
      held = [];
      paper.released(m * MIN);
    }
  }
  paper.signals(held);
  paper.released(Number.POSITIVE_INFINITY);
}

describe('SessionPaper', () => {
  it('gives the same fills and results however the session batches its releases', async () => {
    const runs = [];
    for (const every of [1, 50, 500]) {
      const fills: Fill[] = [];
      const equity: number[] = [];
      const { paper, store } = paperOf(fills, equity);
      drive(paper, store, every);
      const results = await paper.finish();
      runs.push({ fills, results, equity });
    }
    const [first, ...rest] = runs as [(typeof runs)[0], ...typeof runs];
    expect(first.fills.length).toBeGreaterThan(600);
    expect(first.fills.some((f) => f.referencePrice === 99.5)).toBe(true);
    expect(first.fills.some((f) => f.referencePrice === undefined)).toBe(true);
    expect(first.results.strategies.map((s) => s.strategy)).toEqual(['a', 'b']);
    expect(first.results.strategies.every((s) => s.equity.count === 3000)).toBe(true);
    // The equity event: at least once (at the end), each time with both accounts.
    expect(first.equity.length).toBeGreaterThan(0);
    expect(first.equity.every((n) => n === 2)).toBe(true);
    for (const run of rest) {
      expect(JSON.stringify(run.fills)).toBe(JSON.stringify(first.fills));
      expect(run.results).toEqual(first.results);
    }
  });

  it('computes its results once; a release after them changes nothing', async () => {
    const fills: Fill[] = [];
    const { paper, store } = paperOf(fills);
    drive(paper, store, 50);
    const results = await paper.finish();
    const count = fills.length;
    paper.released(Number.POSITIVE_INFINITY);
    expect(await paper.finish()).toBe(results);
    expect(paper.results).toBe(results);
    expect(fills.length).toBe(count);
  });
});
