import { parseSessionConfig } from '@strat/core';
import { appendBar } from '@strat/core/internal';
import { SessionData, TradingCalendar } from '@strat/data';
import { afterEach, describe, expect, it } from 'vitest';
import type { Fill } from '../execution/execution-types';
import type { StampedSignal } from '../thread/stamped-signal';
import { SessionPaper } from './session-paper';

const MIN = 60_000;
const open: SessionPaper[] = [];
afterEach(async () => {
  for (const paper of open.splice(0)) await paper.close();
});

function paperOf(thread: boolean, fills: Fill[], script?: URL, chunkEntries?: number) {
  const store = new SessionData({ window: 64 });
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
    () => {},
    {
      thread,
      eager: false,
      ...(script === undefined ? {} : { script }),
      ...(chunkEntries === undefined ? {} : { chunkEntries }),
    },
  ) as SessionPaper;
  open.push(paper);
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
 * 3,000 minutes (several chunks for the thread), a BUY/SELL every 7 minutes per strategy, released
 * every 50; `between` runs after each release (a session's thread waits for its strategies there).
 */
async function drive(paper: SessionPaper, store: SessionData, between?: () => Promise<void>): Promise<void> {
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
    if (m % 50 === 0) {
      paper.signals(held);
      held = [];
      paper.released(m * MIN);
      await between?.();
    }
  }
  paper.signals(held);
  paper.released(Number.POSITIVE_INFINITY);
}

describe('SessionPaper', () => {
  it('gives the same fills and results in its own thread as in the session thread', async () => {
    const runs = [];
    for (const thread of [false, true]) {
      const fills: Fill[] = [];
      const { paper, store } = paperOf(thread, fills);
      await drive(paper, store);
      const results = await paper.finish();
      runs.push({ fills, results });
    }
    const [inThread, ownThread] = runs as [(typeof runs)[0], (typeof runs)[0]];
    expect(inThread.fills.length).toBeGreaterThan(600);
    expect(ownThread.fills).toEqual(inThread.fills);
    expect(JSON.stringify(ownThread.fills)).toBe(JSON.stringify(inThread.fills));
    expect(inThread.fills.some((f) => f.referencePrice === 99.5)).toBe(true);
    expect(inThread.fills.some((f) => f.referencePrice === undefined)).toBe(true);
    expect(ownThread.results).toEqual(inThread.results);
    expect(ownThread.results.strategies.map((s) => s.trades.count)).toEqual(
      inThread.results.strategies.map((s) => s.trades.count),
    );
  });

  it('fills the arrays its thread gives back again, with the same results', async () => {
    const reference: Fill[] = [];
    const inThread = paperOf(false, reference);
    await drive(inThread.paper, inThread.store);
    const expected = await inThread.paper.finish();

    const fills: Fill[] = [];
    // Small chunks, and a pause after each release for the thread to give arrays back.
    const { paper, store } = paperOf(true, fills, undefined, 64);
    await drive(paper, store, () => new Promise((resolve) => setTimeout(resolve, 1)));
    const results = await paper.finish();
    expect(paper.recycledChunks).toBeGreaterThan(10);
    expect(fills).toEqual(reference);
    expect(results).toEqual(expected);
  });

  it('fails loudly when its thread fails: finish rejects with the reason', async () => {
    const fills: Fill[] = [];
    const { paper, store } = paperOf(
      true,
      fills,
      new URL('../../test/fixtures/failing-paper-worker.mjs', import.meta.url),
    );
    await drive(paper, store);
    await expect(paper.finish()).rejects.toThrow(/paper execution failed: .*the paper engine broke/);
  });
});
