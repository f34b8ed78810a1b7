import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvFileConfigSchema, type Interval, intervalToMs } from '@strat/core';
import { describe, expect, it, vi } from 'vitest';
import { TradingCalendar } from '../calendar/trading-calendar';
import type { BarChunk, BarSource, SourceReport } from '../sources/bar-source';
import { CsvBarSource } from '../sources/csv/csv-bar-source';
import { GeneratorBarSource } from '../sources/generator/generator-bar-source';
import { SessionData } from '../store/session-data';
import type { BarConsumer } from './bar-consumer';
import { DataProcessor } from './data-processor';

type Event = [string, Interval, number, number];

function recorder(): BarConsumer & { events: Event[]; steps: number[]; quality: string[] } {
  const events: Event[] = [];
  const steps: number[] = [];
  const quality: string[] = [];
  return {
    events,
    steps,
    quality,
    onBar: (s, i, idx, t) => events.push([s, i, idx, t]),
    onStep: (t) => {
      steps.push(t);
    },
    onQuality: (s, i, q) => quality.push(`${s} ${i} ${Math.round(q)}`),
  };
}

function setup(options: { symbols?: string[]; streams?: Interval[]; missing?: number; end?: string } = {}) {
  const calendar = TradingCalendar.usEquities();
  const store = new SessionData({ window: 1024 });
  const source = new GeneratorBarSource({ calendar, seed: 7, missing_bar_rate: options.missing ?? 0 });
  const consumer = recorder();
  const processor = new DataProcessor({
    store,
    source,
    calendar,
    symbols: options.symbols ?? ['AAPL', 'MSFT'],
    streams: options.streams ?? ['1m', '5m'],
    startDate: '2024-01-02',
    endDate: options.end ?? '2024-01-03',
    consumer,
  });
  return { calendar, store, source, consumer, processor };
}

function isOrdered(events: Event[], symbols: string[]): boolean {
  for (let i = 1; i < events.length; i++) {
    const a = events[i - 1] as Event;
    const b = events[i] as Event;
    const key = (e: Event) => [e[3], symbols.indexOf(e[0]), intervalToMs(e[1])];
    const [ka, kb] = [key(a), key(b)];
    for (let j = 0; j < 3; j++) {
      if ((ka[j] as number) < (kb[j] as number)) break;
      if ((ka[j] as number) > (kb[j] as number)) return false;
    }
  }
  return true;
}

describe('DataProcessor', () => {
  it('replays two sessions of two symbols into the store, every bar delivered once in order', async () => {
    const { store, consumer, processor } = setup();
    const summary = await processor.run();
    expect(summary.sessions).toBe(2);
    expect(summary.barsDone).toBe(2 * 2 * 390);
    expect(summary.barsPublished).toBe(2 * 2 * (390 + 78));
    expect(consumer.events).toHaveLength(summary.barsPublished);
    expect(isOrdered(consumer.events, ['AAPL', 'MSFT'])).toBe(true);
    for (const sym of ['AAPL', 'MSFT']) {
      const m1 = consumer.events.filter((e) => e[0] === sym && e[1] === '1m').map((e) => e[2]);
      expect(m1).toEqual(Array.from({ length: 780 }, (_, i) => i));
      const bars = store.getBars(sym, '5m');
      expect(bars.length).toBe(156);
      // A 5m bar equals its five 1m bars.
      const one = store.getBars(sym, '1m');
      for (let k = 0; k < 156; k += 17) {
        const five = bars.at(k)!;
        const parts = [0, 1, 2, 3, 4].map((j) => one.at(k * 5 + j)!);
        expect(five.open).toBe(parts[0]!.open);
        expect(five.close).toBe(parts[4]!.close);
        expect(five.high).toBe(Math.max(...parts.map((p) => p.high)));
        expect(five.low).toBe(Math.min(...parts.map((p) => p.low)));
        expect(five.volume).toBeCloseTo(
          parts.reduce((s, p) => s + p.volume, 0),
          6,
        );
      }
    }
    // The consumer is told when each step closes, in increasing time.
    expect(consumer.steps.every((t, i) => i === 0 || t >= (consumer.steps[i - 1] as number))).toBe(true);
  });

  it('is deterministic: two runs give identical event logs', async () => {
    const a = setup({ missing: 0.05 });
    const b = setup({ missing: 0.05 });
    await a.processor.run();
    await b.processor.run();
    expect(a.consumer.events).toEqual(b.consumer.events);
    expect(a.consumer.quality).toEqual(b.consumer.quality);
    expect(a.consumer.quality.length).toBeGreaterThan(0);
    const summary = a.processor.getQualitySummary();
    expect(summary.map((r) => `${r.symbol} ${r.interval}`)).toEqual([
      'AAPL 1m',
      'AAPL 5m',
      'MSFT 1m',
      'MSFT 5m',
    ]);
    for (const r of summary) {
      expect(r.expected).toBe(780);
      expect(r.percent).toBeGreaterThan(90);
      expect(r.percent).toBeLessThan(99.5);
      expect(r.percent).toBeCloseTo((r.received / r.expected) * 100, 9);
    }
    expect(a.processor.getQualityReport()).toHaveLength(2);
  });

  it('never lets the clock run ahead of a delivered bar (no look-ahead)', async () => {
    const { consumer, processor, store } = setup();
    const clock = processor.clock;
    const checked: number[] = [];
    consumer.onBar = (symbol, interval, index, closeTime) => {
      expect(clock.now()).toBe(closeTime);
      const series = store.getSeries(symbol, interval)!;
      // The bar is published, and nothing newer of that series is.
      expect(Atomics.load(series.header, 0)).toBe(index + 1);
      checked.push(index);
    };
    await processor.run();
    expect(checked.length).toBeGreaterThan(1000);
  });

  it('waits for the consumer when onStep returns a promise', async () => {
    const { consumer, processor } = setup({ symbols: ['AAPL'], end: '2024-01-02' });
    let inFlight = 0;
    let maxInFlight = 0;
    let steps = 0;
    consumer.onStep = async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setImmediate(r));
      steps++;
      inFlight--;
    };
    await processor.run();
    expect(maxInFlight).toBe(1);
    expect(steps).toBeGreaterThanOrEqual(390);
  });

  it('adds a symbol mid-session: history loaded silently, then it streams', async () => {
    const { consumer, processor, store } = setup({ symbols: ['AAPL'], end: '2024-01-02' });
    let added = false;
    const inner = consumer.onBar;
    consumer.onBar = (s, i, idx, t) => {
      inner(s, i, idx, t);
      if (!added && s === 'AAPL' && i === '1m' && idx === 99) {
        added = processor.addSymbol('NVDA', { warmupBars: 0 });
        expect(processor.addSymbol('NVDA')).toBe(false);
      }
    };
    await processor.run();
    expect(added).toBe(true);
    const nvda = consumer.events.filter((e) => e[0] === 'NVDA' && e[1] === '1m');
    // Bars 0..99 were history (closed by the time it joined); 100.. are notified.
    expect(nvda[0]?.[2]).toBe(100);
    expect(nvda).toHaveLength(290);
    expect(store.getBars('NVDA', '1m').length).toBe(390);
    // Same bars as a session that had NVDA from the start.
    const ref = setup({ symbols: ['NVDA'], end: '2024-01-02' });
    await ref.processor.run();
    expect(store.getBars('NVDA', '5m').toArray()).toEqual(ref.store.getBars('NVDA', '5m').toArray());
    expect(processor.symbols).toEqual(['AAPL', 'NVDA']);
  });

  it('loads warm-up history for every symbol from the sessions before the start, never notified', async () => {
    const calendar = TradingCalendar.usEquities();
    const store = new SessionData({ window: 2048 });
    const consumer = recorder();
    await new DataProcessor({
      store,
      source: new GeneratorBarSource({ calendar, seed: 7 }),
      calendar,
      symbols: ['AAPL', 'MSFT'],
      streams: ['1m', '5m'],
      startDate: '2024-01-03',
      endDate: '2024-01-03',
      warmupBars: 500,
      consumer,
    }).run();
    const jan3 = Date.UTC(2024, 0, 3, 14, 30);
    for (const symbol of ['AAPL', 'MSFT']) {
      // 500 bars need the two sessions of 390 before the start; both load in full.
      const m1 = store.getBars(symbol, '1m');
      expect(m1.length).toBe(3 * 390);
      expect(m1.at(0)?.time).toBe(calendar.sessions('2023-12-20', '2024-01-02').at(-2)?.open);
      const notified = consumer.events.filter((e) => e[0] === symbol && e[1] === '1m');
      expect(notified).toHaveLength(390);
      expect(notified[0]?.[2]).toBe(2 * 390);
      expect(notified[0]?.[3]).toBe(jan3 + 60_000);
      // The history is the same data the session would have streamed.
      const ref = setup({ symbols: [symbol], end: '2024-01-03' });
      await ref.processor.run();
      expect(m1.toArray().slice(390)).toEqual(ref.store.getBars(symbol, '1m').toArray());
    }
  });

  it('tells a symbol joining mid-session its quality so far, before its first bar', async () => {
    const { consumer, processor } = setup({ symbols: ['AAPL'], end: '2024-01-02', missing: 0.2 });
    const log: string[] = [];
    let added = false;
    const { onBar, onQuality } = consumer;
    consumer.onQuality = (s, i, q) => {
      onQuality?.(s, i, q);
      log.push(`quality ${s} ${i} ${Math.round(q)}`);
    };
    consumer.onBar = (s, i, idx, t) => {
      onBar(s, i, idx, t);
      log.push(`bar ${s} ${i}`);
      if (!added && s === 'AAPL' && i === '1m' && idx === 80) added = processor.addSymbol('NVDA');
    };
    await processor.run();
    // The history moved NVDA's quality silently: a reader must not have to wait for the next change.
    const nvda = log.filter((e) => e.includes(' NVDA '));
    expect(nvda[0]).toMatch(/^quality NVDA 1m \d+$/);
    expect(nvda[1]).toMatch(/^quality NVDA 5m \d+$/);
    expect(nvda[2]).toBe('bar NVDA 1m');
    const percent = Number((nvda[0] as string).split(' ')[3]);
    expect(percent).toBeGreaterThan(60);
    expect(percent).toBeLessThan(95);
  });

  it('reports the replay time apart from opening the sources', async () => {
    const calendar = TradingCalendar.usEquities();
    const generator = new GeneratorBarSource({ calendar, seed: 7 });
    const slowToOpen: BarSource = {
      description: 'slow to open',
      interval: '1m',
      read: async function* (symbol, from, to) {
        await new Promise((resolve) => setTimeout(resolve, 60));
        yield* generator.read(symbol, from, to);
      },
      report: () => generator.report(),
    };
    const processor = new DataProcessor({
      store: new SessionData({ window: 256 }),
      source: slowToOpen,
      calendar,
      symbols: ['AAPL'],
      streams: ['1m'],
      startDate: '2024-01-02',
      endDate: '2024-01-02',
    });
    const summary = await processor.run();
    expect(summary.barsDone).toBe(390);
    expect(summary.replayMs).toBeGreaterThan(0);
    expect(summary.wallMs - summary.replayMs).toBeGreaterThanOrEqual(55);
  });

  it('asks for reuse and never reads a chunk after asking for the next (a source that spoils each one then)', async () => {
    const calendar = TradingCalendar.usEquities();
    const generator = new GeneratorBarSource({ calendar, seed: 11 });
    const asked: Array<boolean | undefined> = [];
    // Yields small chunks and, when the next is asked for, fills the one before with NaN: what a
    // source reusing its memory would do at worst.
    const spoiling: BarSource = {
      description: 'spoiling',
      interval: '1m',
      read: async function* (symbol, from, to, options) {
        asked.push(options?.reuse);
        for await (const chunk of generator.read(symbol, from, to)) {
          for (let at = 0; at < chunk.length; at += 50) {
            const end = Math.min(at + 50, chunk.length);
            const piece = {
              symbol,
              length: end - at,
              time: chunk.time.slice(at, end),
              open: chunk.open.slice(at, end),
              high: chunk.high.slice(at, end),
              low: chunk.low.slice(at, end),
              close: chunk.close.slice(at, end),
              volume: chunk.volume.slice(at, end),
            };
            yield piece;
            for (const column of [piece.time, piece.open, piece.high, piece.low, piece.close, piece.volume])
              column.fill(Number.NaN);
          }
        }
      },
      report: () => generator.report(),
    };
    const run = async (source: BarSource, warmupBars: number) => {
      const store = new SessionData({ window: 4096 });
      await new DataProcessor({
        store,
        source,
        calendar,
        symbols: ['AAPL', 'MSFT'],
        streams: ['1m', '5m'],
        startDate: '2024-01-03',
        endDate: '2024-01-05',
        warmupBars,
      }).run();
      return ['AAPL', 'MSFT'].flatMap((s) => ['1m', '5m'].map((i) => store.getBars(s, i as '1m').toArray()));
    };
    for (const warmupBars of [0, 120]) {
      asked.length = 0;
      const plain = await run(generator, warmupBars);
      expect(plain[0]?.length).toBeGreaterThan(0);
      expect(await run(spoiling, warmupBars)).toEqual(plain);
      expect(asked.length).toBeGreaterThan(0);
      expect(asked.every((reuse) => reuse === true)).toBe(true);
    }
  });

  it("prepares the source and begins its reads without touching the store; their failures are the run's", async () => {
    const calendar = TradingCalendar.usEquities();
    const generator = new GeneratorBarSource({ calendar, seed: 7 });
    const calls: string[] = [];
    const source = (options: { prepare?: () => Promise<void>; failRead?: boolean } = {}): BarSource => ({
      description: 'prepared',
      interval: '1m',
      prepare: () => {
        calls.push('prepare');
        return options.prepare?.() ?? Promise.resolve();
      },
      read: async function* (symbol, from, to) {
        calls.push(`read ${symbol}`);
        try {
          if (options.failRead === true) throw new Error(`cannot read ${symbol}`);
          let first = true;
          for await (const chunk of generator.read(symbol, from, to)) {
            if (first) calls.push(`chunk ${symbol}`);
            first = false;
            yield chunk;
          }
        } finally {
          calls.push(`end ${symbol}`);
        }
      },
      report: () => generator.report(),
    });
    const processorOf = (s: BarSource, store = new SessionData({ window: 256 }), warmupBars = 0) =>
      new DataProcessor({
        store,
        source: s,
        calendar,
        symbols: ['AAPL', 'MSFT'],
        streams: ['1m'],
        startDate: '2024-01-03',
        endDate: '2024-01-03',
        warmupBars,
      });

    // The reads begin at prepare; the store gets their bars only from the run.
    const store = new SessionData({ window: 256 });
    store.ensureSeries('AAPL', '1m');
    const processor = processorOf(source(), store);
    await processor.prepare();
    // One read's first chunk after the other, in join order.
    await vi.waitFor(() => expect(calls).toContain('chunk MSFT'));
    expect(calls).toEqual(['prepare', 'read AAPL', 'chunk AAPL', 'read MSFT', 'chunk MSFT']);
    expect(store.getBars('AAPL', '1m').length).toBe(0);
    const summary = await processor.run();
    expect(summary.barsDone).toBe(2 * 390);
    expect(calls).toEqual([
      'prepare',
      'read AAPL',
      'chunk AAPL',
      'read MSFT',
      'chunk MSFT',
      'end AAPL',
      'end MSFT',
    ]);
    // The same bars as a run that read nothing ahead.
    const plainStore = new SessionData({ window: 256 });
    await processorOf(generator, plainStore).run();
    expect(store.getBars('AAPL', '1m').toArray()).toEqual(plainStore.getBars('AAPL', '1m').toArray());

    // A failing preparation resolves all the same; a failing read fails the run, not prepare.
    calls.length = 0;
    const failing = processorOf(
      source({ prepare: () => Promise.reject(new Error('no reader')), failRead: true }),
    );
    await expect(failing.prepare()).resolves.toBeUndefined();
    await expect(failing.run()).rejects.toThrow('cannot read AAPL');
    await failing.close();
    expect(calls.filter((c) => c.startsWith('end')).sort()).toEqual(['end AAPL', 'end MSFT']);

    // Reads begun for a run that never comes end at close.
    calls.length = 0;
    const abandoned = processorOf(source());
    await abandoned.prepare();
    await abandoned.close();
    // The reads not begun yet never begin; the one begun ends.
    expect(calls.filter((c) => !c.startsWith('chunk'))).toEqual(['prepare', 'read AAPL', 'end AAPL']);

    // Symbols with history to load first read nothing ahead.
    calls.length = 0;
    const warm = processorOf(source(), new SessionData({ window: 256 }), 50);
    await warm.prepare();
    expect(calls).toEqual(['prepare']);
    await warm.close();

    // A source without `prepare` is prepared at once.
    await expect(processorOf(generator).prepare()).resolves.toBeUndefined();
  });

  it('stops after the current step when asked', async () => {
    const { consumer, processor } = setup();
    consumer.onStep = (t) => {
      if (consumer.events.length > 200) processor.stop();
      void t;
    };
    const summary = await processor.run();
    expect(summary.stopped).toBe(true);
    expect(summary.barsDone).toBeLessThan(300);
  });

  it("counts a file's rows before the first open and after the last close of its dates as outside", async () => {
    const calendar = TradingCalendar.usEquities();
    const dir = mkdtempSync(join(tmpdir(), 'strat-outside-'));
    const rows = ['09:00', '09:29', '09:30', '09:31', '15:59', '16:00', '16:30'].map(
      (time) => `2024-01-02T${time}:00-05:00,1,1,1,1,1`,
    );
    writeFileSync(join(dir, 'x.csv'), ['timestamp,open,high,low,close,volume', ...rows].join('\n'));
    const csv = new CsvBarSource({
      files: [csvFileConfigSchema.parse({ path: 'x.csv', symbol: 'X' })],
      calendar,
      baseDir: dir,
    });
    const s = await new DataProcessor({
      store: new SessionData(),
      source: csv,
      calendar,
      symbols: ['X'],
      streams: ['1m'],
      startDate: '2024-01-02',
      endDate: '2024-01-02',
    }).run();
    expect(s.barsDone).toBe(3);
    expect(s.barsOutsideSessions).toBe(4);
  });

  it('skips and counts bars outside the calendar sessions', async () => {
    const calendar = TradingCalendar.usEquities();
    const t0 = Date.UTC(2024, 0, 2, 14, 29); // 09:29 New York, one minute before the open
    const chunk = (n: number): BarChunk => {
      const time = Float64Array.from({ length: n }, (_, i) => t0 + i * 60_000);
      const ones = new Float64Array(n).fill(1);
      return { symbol: 'X', length: n, time, open: ones, high: ones, low: ones, close: ones, volume: ones };
    };
    const source: BarSource = {
      description: 'test',
      interval: '1m',
      read: async function* () {
        yield chunk(3);
      },
      report: (): SourceReport => ({ rowsRead: 3, rowsSkipped: 0, problems: [] }),
    };
    const consumer = recorder();
    const p = new DataProcessor({
      store: new SessionData(),
      source,
      calendar,
      symbols: ['X'],
      streams: ['1m'],
      startDate: '2024-01-02',
      endDate: '2024-01-02',
      consumer,
    });
    const s = await p.run();
    expect(s.barsOutsideSessions).toBe(1);
    expect(s.barsDone).toBe(2);
    expect(consumer.events.map((e) => e[2])).toEqual([0, 1]);
  });

  it('rejects an empty date range and a source whose interval is not the base stream', async () => {
    const { processor } = setup({ end: '2024-01-02' });
    void processor;
    const calendar = TradingCalendar.usEquities();
    const empty = new DataProcessor({
      store: new SessionData(),
      source: new GeneratorBarSource({ calendar }),
      calendar,
      symbols: ['A'],
      streams: ['1m'],
      startDate: '2024-01-06',
      endDate: '2024-01-07',
    });
    await expect(empty.run()).rejects.toThrow(/no trading sessions between 2024-01-06 and 2024-01-07/);
    expect(
      () =>
        new DataProcessor({
          store: new SessionData(),
          source: new GeneratorBarSource({ calendar, interval: '5m' }),
          calendar,
          symbols: ['A'],
          streams: ['1m', '5m'],
          startDate: '2024-01-02',
          endDate: '2024-01-02',
        }),
    ).toThrow(/gives 5m bars, so the shortest stream must be 5m \(got 1m\)/);
  });
});
