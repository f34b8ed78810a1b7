import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { type Bar, StratError } from '@strat/core';
import { appendBar, BYTES_PER_BAR, readQuality, SERIES_HEADER } from '@strat/core/internal';
import { afterEach, describe, expect, it } from 'vitest';
import { type SeriesEntry, type SeriesHandle, SessionData } from './session-data';

const fixture = (name: string) => new URL(`../../test/fixtures/${name}`, import.meta.url);

function appendSimpleBars(data: SessionData, symbol: string, count: number, from = 0): void {
  const buffers = data.ensureSeries(symbol, '1m');
  for (let i = from; i < from + count; i++) appendBar(buffers, i * 60_000, i, i + 1, i - 1, i + 0.5, 10 * i);
}

function freshSeriesBuffer(): SharedArrayBuffer {
  const other = new SessionData();
  other.ensureSeries('X', '1m');
  return other.handle('X', '1m').buffer;
}

describe('SessionData', () => {
  it('creates a series once per (symbol, interval) and lists keys in insertion order', () => {
    const data = new SessionData({ window: 32 });
    const aaa1m = data.ensureSeries('AAA', '1m');
    data.ensureSeries('BBB', '1m');
    data.ensureSeries('AAA', '5m');
    expect(data.ensureSeries('AAA', '1m')).toBe(aaa1m);
    expect(data.keys()).toEqual([
      { symbol: 'AAA', interval: '1m' },
      { symbol: 'BBB', interval: '1m' },
      { symbol: 'AAA', interval: '5m' },
    ]);
    expect(data.symbols()).toEqual(['AAA', 'BBB']);
    expect(data.hasSeries('AAA', '5m')).toBe(true);
    expect(data.hasSeries('BBB', '5m')).toBe(false);
    expect(data.getSeries('AAA', '1m')).toBe(aaa1m);
    expect(data.getSeries('CCC', '1m')).toBeUndefined();
    expect(aaa1m.window).toBe(32);
    expect(aaa1m.buffer).toBeInstanceOf(SharedArrayBuffer);
  });

  it('gives the first guardedSeries series rings with the guard asked for, the later ones the default', () => {
    const store = new SessionData({ window: 4096, guard: 12_288, guardedSeries: 2 });
    const capacities = ['A', 'B', 'C'].map((symbol) => store.ensureSeries(symbol, '1m').capacity);
    // 4,096 + 12,288 rounds up to 16,384; the default guard (a quarter of the window) to 8,192.
    expect(capacities).toEqual([16_384, 16_384, 8_192]);
    expect(new SessionData({ window: 4096, guard: 12_288 }).ensureSeries('A', '1m').capacity).toBe(16_384);
    expect(new SessionData({ window: 4096 }).ensureSeries('A', '1m').capacity).toBe(8_192);
  });

  it('allocates plain ArrayBuffers when not shared, and refuses to hand them out', () => {
    const data = new SessionData({ shared: false });
    const buffers = data.ensureSeries('AAA', '1m');
    expect(buffers.buffer).toBeInstanceOf(ArrayBuffer);
    expect(() => data.handles()).toThrow(expect.objectContaining({ code: 'SERIES_NOT_SHARED' }));
  });

  it('getBars gives a bounded zero-copy view', () => {
    const data = new SessionData({ window: 16 });
    appendSimpleBars(data, 'AAA', 10);
    const all = data.getBars('AAA', '1m');
    expect(all.length).toBe(10);
    expect(all.close.last()).toBe(9.5);
    const bounded = data.getBars('AAA', '1m', 4);
    expect(bounded.length).toBe(4);
    expect(bounded.lastIndex).toBe(3);
    expect(bounded.at(-1)).toEqual<Bar>({
      time: 180_000,
      open: 3,
      high: 4,
      low: 2,
      close: 3.5,
      volume: 30,
      filled: false,
    });
    appendSimpleBars(data, 'AAA', 1, 10);
    expect(all.refresh().close.last()).toBe(10.5);
    expect(bounded.length).toBe(4);
  });

  it('getBars on an unknown series names it and what exists', () => {
    const data = new SessionData();
    expect(() => data.getBars('AAA', '1m')).toThrow(
      /No bar series for AAA 1m \(the store holds no series yet\)/,
    );
    data.ensureSeries('AAA', '1m');
    data.ensureSeries('BBB', '5m');
    let error: unknown;
    try {
      data.getBars('AAA', '5m');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StratError);
    expect((error as StratError).code).toBe('SERIES_UNKNOWN');
    expect((error as StratError).message).toBe('No bar series for AAA 5m (available: AAA 1m, BBB 5m)');
  });

  it('notifies listeners of every new series until unsubscribed', () => {
    const data = new SessionData();
    const seen: string[] = [];
    const stop = data.onSeriesAdded((entry: SeriesEntry) => seen.push(`${entry.symbol} ${entry.interval}`));
    data.ensureSeries('AAA', '1m');
    data.ensureSeries('AAA', '1m');
    data.attach({ symbol: 'BBB', interval: '1m', buffer: freshSeriesBuffer() });
    stop();
    data.ensureSeries('CCC', '1m');
    expect(seen).toEqual(['AAA 1m', 'BBB 1m']);
  });

  it('attach reopens a buffer in place; the same buffer twice is a no-op, a different one a conflict', () => {
    const writer = new SessionData({ window: 16 });
    appendSimpleBars(writer, 'AAA', 5);
    const [handle] = writer.handles() as [SeriesHandle];
    const reader = new SessionData();
    const attached = reader.attach(handle);
    expect(reader.attach(handle)).toBe(attached);
    expect(reader.getBars('AAA', '1m').toArray()).toEqual(writer.getBars('AAA', '1m').toArray());
    appendSimpleBars(writer, 'AAA', 1, 5);
    expect(reader.getBars('AAA', '1m').length).toBe(6);
    const other = freshSeriesBuffer();
    expect(() => reader.attach({ symbol: 'AAA', interval: '1m', buffer: other })).toThrow(
      expect.objectContaining({ code: 'SERIES_CONFLICT' }),
    );
  });

  it('fromHandles rebuilds the store over the same memory, after a structured clone', () => {
    const writer = new SessionData({ window: 16 });
    appendSimpleBars(writer, 'AAA', 3);
    appendSimpleBars(writer, 'BBB', 2);
    const reader = SessionData.fromHandles(structuredClone(writer.handles()));
    expect(reader.keys()).toEqual(writer.keys());
    appendSimpleBars(writer, 'BBB', 1, 2);
    expect(reader.getBars('BBB', '1m').toArray()).toEqual(writer.getBars('BBB', '1m').toArray());
    expect(reader.getBars('BBB', '1m').length).toBe(3);
  });

  it('reports memory per stored bar including headers', () => {
    const data = new SessionData({ window: 100 });
    expect(data.memoryBytes()).toBe(0);
    expect(data.bytesPerStoredBar()).toBe(0);
    const a = data.ensureSeries('AAA', '1m');
    const b = data.ensureSeries('AAA', '5m');
    // window 100 + guard 64 rounds up to a 256-slot ring per series
    expect(a.capacity).toBe(256);
    const total = a.buffer.byteLength + b.buffer.byteLength;
    expect(data.memoryBytes()).toBe(total);
    expect(data.bytesPerStoredBar()).toBe(total / 512);
    expect(data.bytesPerStoredBar()).toBeGreaterThan(BYTES_PER_BAR);
    expect(data.bytesPerStoredBar()).toBeLessThan(BYTES_PER_BAR + 1);
  });
});

describe('SessionData across worker threads', () => {
  const workers: Worker[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.terminate()));
  });

  async function nextMessage<T>(worker: Worker): Promise<T> {
    const [message] = await once(worker, 'message');
    return message as T;
  }

  it('a worker reading a small window while 200k bars are appended never sees a torn or unpublished bar', async () => {
    const data = new SessionData({ window: 64 });
    const buffers = data.ensureSeries('AAA', '1m');
    const control = new SharedArrayBuffer(8);
    const shared = new Int32Array(control);
    const worker = new Worker(fixture('concurrent-reader.mjs'), {
      workerData: { handle: data.handle('AAA', '1m'), control },
    });
    workers.push(worker);
    const ready = await nextMessage<{ type: string }>(worker);
    expect(ready.type).toBe('ready');

    const total = 200_000;
    for (let i = 0; i < total; i++) {
      appendBar(buffers, i * 60_000, i, i + 0.5, i - 0.5, i + 0.25, i * 2);
      if (i % 1_000 === 999) {
        // Wait for the reader to finish a pass, so reading and writing interleave all along.
        const passes = Atomics.load(shared, 1);
        while (Atomics.load(shared, 1) === passes) await new Promise((resolve) => setImmediate(resolve));
      }
    }
    Atomics.store(shared, 0, 1);
    const { result } = await nextMessage<{
      result: {
        passes: number;
        passesDuringWrites: number;
        barsChecked: number;
        overwrittenWhileReading: number;
        inconsistent: number;
        beyondPublished: number;
        firstInconsistency: unknown;
        finalCount: number;
      };
    }>(worker);

    expect(result.firstInconsistency).toBeNull();
    expect(result.inconsistent).toBe(0);
    expect(result.beyondPublished).toBe(0);
    expect(result.finalCount).toBe(total);
    // at least the final pass saw a full window
    expect(result.barsChecked).toBeGreaterThanOrEqual(64);
    expect(result.passes).toBeGreaterThan(total / 1_000);
    console.info(
      `concurrent reader: ${result.passes} passes (${result.passesDuringWrites} overlapped writes), ` +
        `${result.barsChecked} bars checked, ${result.overwrittenWhileReading} discarded by the seqlock re-check`,
    );
  });

  it('handles() lets a worker read the same bars in place, including bars and series added later', async () => {
    const data = new SessionData({ window: 32 });
    appendSimpleBars(data, 'AAA', 5);
    appendSimpleBars(data, 'BBB', 3);
    const header = data.ensureSeries('AAA', '1m').header;
    Atomics.store(header, SERIES_HEADER.QUALITY_EXPECTED, 5);
    Atomics.store(header, SERIES_HEADER.QUALITY_RECEIVED, 4);

    const worker = new Worker(fixture('handles-reader.mjs'));
    workers.push(worker);
    expect((await nextMessage<{ cmd: string }>(worker)).cmd).toBe('ready');
    const stopForwarding = data.onSeriesAdded(({ symbol, interval }) =>
      worker.postMessage({ cmd: 'attach', handles: [data.handle(symbol, interval)] }),
    );

    type Seen = { series: { symbol: string; interval: string; bars: Bar[]; quality: number }[] };
    worker.postMessage({ cmd: 'attach', handles: data.handles() });
    const attached = await nextMessage<Seen>(worker);
    expect(attached.series.map((s) => s.bars)).toEqual([
      data.getBars('AAA', '1m').toArray(),
      data.getBars('BBB', '1m').toArray(),
    ]);
    expect(attached.series[0]?.quality).toBe(readQuality(data.ensureSeries('AAA', '1m')));
    expect(attached.series[0]?.quality).toBe(80);

    // after the handoff: a new bar in an existing series, and a new series forwarded by the listener
    appendSimpleBars(data, 'AAA', 1, 5);
    appendSimpleBars(data, 'CCC', 2);
    const forwarded = await nextMessage<Seen>(worker);
    expect(forwarded.series.map((s) => `${s.symbol} ${s.interval}`)).toEqual(['AAA 1m', 'BBB 1m', 'CCC 1m']);
    worker.postMessage({ cmd: 'read' });
    const reread = await nextMessage<Seen>(worker);
    expect(reread.series[0]?.bars).toHaveLength(6);
    expect(reread.series[0]?.bars.at(-1)).toEqual(data.getBars('AAA', '1m').at(-1));
    expect(reread.series[2]?.bars).toEqual(data.getBars('CCC', '1m').toArray());
    stopForwarding();

    // handles that crossed the thread boundary twice still rebuild a zero-copy store
    worker.postMessage({ cmd: 'echo' });
    const echoed = await nextMessage<{ handles: SeriesHandle[] }>(worker);
    const rebuilt = SessionData.fromHandles(echoed.handles);
    expect(rebuilt.keys()).toEqual(data.keys());
    appendSimpleBars(data, 'BBB', 1, 3);
    expect(rebuilt.getBars('BBB', '1m').toArray()).toEqual(data.getBars('BBB', '1m').toArray());
    expect(rebuilt.getBars('BBB', '1m').length).toBe(4);
  });
});
