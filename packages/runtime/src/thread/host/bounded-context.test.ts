import { fileURLToPath } from 'node:url';
import type { Interval } from '@strat/core';
import { afterEach, describe, expect, it } from 'vitest';
import { closeTimeOf, fixture, makeSeries, ThreadRecorder } from '../../../test/helpers';
import { resolveStrategyModule } from '../../loader/resolve-strategy-module';
import type { StrategyExecutor } from '../strategy-metrics';
import { StrategyThread } from '../strategy-thread';

const threads: StrategyThread[] = [];

afterEach(async () => {
  await Promise.all(threads.splice(0).map((thread) => thread.stop(2000)));
});

const START = Date.UTC(2024, 0, 2, 14, 30);
const sessionFixtures = fileURLToPath(new URL('../../../test/session-fixtures/', import.meta.url));
const MINUTE = 60_000;

function probeThread(executor: StrategyExecutor, window: number, minutes: number) {
  const aaa1 = makeSeries(minutes, { window, start: START });
  const bbb1 = makeSeries(minutes, { window, start: START, price: (i) => 50 + i });
  const aaa5 = makeSeries(Math.floor(minutes / 5), { window, start: START, interval: '5m' });
  const series: Array<[string, Interval]> = [
    ['AAA', '1m'],
    ['BBB', '1m'],
    ['AAA', '5m'],
  ];
  const buffers = [aaa1, bbb1, aaa5];
  const { module, resolved } = fixture('look_ahead_probe');
  const thread = new StrategyThread({
    name: 'probe',
    module,
    resolved,
    executor,
    config: { subscriptions: series, watch: series },
    series: series.map(([symbol, interval], seriesId) => ({
      seriesId,
      symbol,
      interval,
      buffer: buffers[seriesId]?.buffer as SharedArrayBuffer,
    })),
  });
  threads.push(thread);
  return { thread, recorder: new ThreadRecorder(thread), aaa1, bbb1, aaa5 };
}

describe.each(['worker', 'inline'] as const)('no look-ahead (%s)', (executor) => {
  it('shows bars 0..k of the notified series and only closed bars of the others, though the store holds them all', async () => {
    const minutes = 30;
    const window = 16;
    const { thread, recorder, aaa1, bbb1, aaa5 } = probeThread(executor, window, minutes);
    await thread.start();
    // Every bar is already in the store (the writer is far ahead); notifications come in time order.
    const sent: Array<{ seriesId: number; index: number; close: number }> = [];
    for (let i = 0; i < minutes; i++) {
      sent.push({ seriesId: 0, index: i, close: closeTimeOf(aaa1, i) });
      sent.push({ seriesId: 1, index: i, close: closeTimeOf(bbb1, i) });
      if ((i + 1) % 5 === 0)
        sent.push({ seriesId: 2, index: (i + 1) / 5 - 1, close: closeTimeOf(aaa5, (i + 1) / 5 - 1, '5m') });
    }
    for (const { seriesId, index, close } of sent) thread.notify(seriesId, index, close);
    thread.signalReady();
    expect(await thread.waitUntilReady()).toBe(true);

    expect(recorder.signals).toHaveLength(sent.length);
    recorder.signals.forEach((signal, n) => {
      const { seriesId, index, close } = sent[n] as (typeof sent)[number];
      const minutesClosed = (close - START) / MINUTE;
      const metadata = signal.metadata as {
        ownLastIndex: number;
        ownLength: number;
        now: number;
        seen: Record<string, number>;
        violations: string[];
      };
      expect(metadata.violations).toEqual([]);
      expect(metadata.ownLastIndex).toBe(index);
      expect(metadata.ownLength).toBe(Math.min(window, index + 1));
      expect(metadata.now).toBe(close);
      expect(signal.time).toBe(close);
      const expectedSeen: Record<string, number> = {
        'AAA:1m': minutesClosed - 1,
        'BBB:1m': minutesClosed - 1,
        'AAA:5m': Math.floor(minutesClosed / 5) - 1,
      };
      delete expectedSeen[['AAA:1m', 'BBB:1m', 'AAA:5m'][seriesId] as string];
      expect(metadata.seen).toEqual(expectedSeen);
    });
  });
});

describe('a strategy far behind the writer', () => {
  it('is shown only bars the ring has not reused, and is warned once', async () => {
    const { thread, recorder, aaa1 } = probeThread('inline', 16, 300);
    await thread.start();
    // Ring of 128 slots (window 16 + guard): with 300 bars written, bar 240 keeps 13 safe bars, bar 10 none.
    thread.notify(0, 240, closeTimeOf(aaa1, 240));
    thread.notify(0, 10, closeTimeOf(aaa1, 10));
    expect(await thread.waitUntilReady()).toBe(true);
    expect(recorder.signals.map((signal) => signal.metadata.ownLength)).toEqual([13, 0]);
    expect(recorder.signals[0]?.metadata.ownLastIndex).toBe(240);
    const warnings = recorder.logs
      .filter((record) => record.level === 'warn')
      .map((record) => record.message);
    expect(warnings).toEqual([
      'fell behind on AAA 1m: the store has moved on, so only 13 bars are visible for bar 240',
    ]);
  });
});

describe.each(['worker', 'inline'] as const)('sessionDate (%s)', (executor) => {
  // 02:00Z on 3 January is 21:00 on the 2nd in New York and the 3rd in UTC; 23:30Z on the 2nd is
  // 18:30 New York, the next day's session on CME Globex.
  const times = [Date.UTC(2024, 0, 3, 2, 0), Date.UTC(2024, 0, 2, 23, 30)];

  async function datesUnder(calendar: { preset: 'cme_globex_equity' | '24x7' } | undefined) {
    const buffers = makeSeries(2, { start: times[0] as number, window: 8 });
    // Bars out of order are fine here: each notification names its index.
    buffers.time[1] = times[1] as number;
    const resolved = resolveStrategyModule('./session_date_probe.ts', {
      roots: [sessionFixtures],
      fromDir: sessionFixtures,
      strategyRoots: [sessionFixtures],
    });
    const thread = new StrategyThread({
      name: 'dates',
      module: './session_date_probe.ts',
      resolved,
      executor,
      ...(calendar === undefined ? {} : { calendar }),
      config: { subscriptions: [['AAA', '1m']] },
      series: [{ seriesId: 0, symbol: 'AAA', interval: '1m', buffer: buffers.buffer as SharedArrayBuffer }],
    });
    threads.push(thread);
    const recorder = new ThreadRecorder(thread);
    await thread.start();
    thread.notify(0, 0, (times[0] as number) + MINUTE);
    thread.notify(0, 1, (times[1] as number) + MINUTE);
    thread.signalReady();
    expect(await thread.waitUntilReady()).toBe(true);
    return recorder.signals.map((s) => [s.metadata.date, s.metadata.current]);
  }

  it("dates a bar by the session's calendar sent to the thread (default us_equities, as a config without one)", async () => {
    expect(await datesUnder(undefined)).toEqual([
      ['2024-01-02', '2024-01-02'],
      ['2024-01-02', '2024-01-02'],
    ]);
    expect(await datesUnder({ preset: '24x7' })).toEqual([
      ['2024-01-03', '2024-01-03'],
      ['2024-01-02', '2024-01-02'],
    ]);
    expect(await datesUnder({ preset: 'cme_globex_equity' })).toEqual([
      ['2024-01-03', '2024-01-03'],
      ['2024-01-03', '2024-01-03'],
    ]);
  });
});
