import { createHash } from 'node:crypto';
import { ConfigError, DataError, type Interval, intervalToMs } from '@strat/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TradingCalendar } from '../../calendar/trading-calendar';
import type { BarChunk } from '../bar-source';
import { GeneratorBarSource, type GeneratorBarSourceOptions } from './generator-bar-source';

const at = (text: string): number => Date.parse(text);
const us = TradingCalendar.usEquities();
const always = TradingCalendar.always();

interface Columns {
  time: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  chunkLengths: number[];
}

async function readColumns(
  source: GeneratorBarSource,
  symbol: string,
  from: number,
  to: number,
): Promise<Columns> {
  const out: Columns = { time: [], open: [], high: [], low: [], close: [], volume: [], chunkLengths: [] };
  for await (const chunk of source.read(symbol, from, to)) {
    out.chunkLengths.push(chunk.length);
    for (const key of ['time', 'open', 'high', 'low', 'close', 'volume'] as const) {
      out[key].push(...(chunk[key] as BarChunk['time']));
    }
  }
  return out;
}

function generator(options: Partial<GeneratorBarSourceOptions> = {}): GeneratorBarSource {
  return new GeneratorBarSource({ calendar: us, ...options });
}

function tail(columns: Columns, fromIndex: number): Omit<Columns, 'chunkLengths'> {
  return {
    time: columns.time.slice(fromIndex),
    open: columns.open.slice(fromIndex),
    high: columns.high.slice(fromIndex),
    low: columns.low.slice(fromIndex),
    close: columns.close.slice(fromIndex),
    volume: columns.volume.slice(fromIndex),
  };
}

const WEEK_FROM = at('2024-03-04T00:00:00Z');
const WEEK_TO = at('2024-03-16T00:00:00Z');

describe('GeneratorBarSource: determinism', () => {
  it('gives the same bars for the same seed and different ones for another seed', async () => {
    const a = await readColumns(generator({ seed: 7 }), 'AAPL', WEEK_FROM, WEEK_TO);
    const b = await readColumns(generator({ seed: 7 }), 'AAPL', WEEK_FROM, WEEK_TO);
    const c = await readColumns(generator({ seed: 8 }), 'AAPL', WEEK_FROM, WEEK_TO);
    expect(a.time).toHaveLength(10 * 390);
    expect(b).toEqual(a);
    expect(c.time).toEqual(a.time);
    expect(c.close).not.toEqual(a.close);
  });

  it("gives a symbol's bars regardless of the other symbols read", async () => {
    const alone = await readColumns(generator(), 'MSFT', WEEK_FROM, WEEK_TO);
    const crowded = generator();
    await readColumns(crowded, 'AAPL', WEEK_FROM, WEEK_TO);
    const iterators = ['NVDA', 'MSFT', 'TSLA'].map((s) =>
      crowded.read(s, WEEK_FROM, WEEK_TO)[Symbol.asyncIterator](),
    );
    const interleaved = await Promise.all(
      iterators.map(async (iterator) => {
        const closes: number[] = [];
        for (let step = await iterator.next(); !step.done; step = await iterator.next())
          closes.push(...step.value.close);
        return closes;
      }),
    );
    expect(interleaved[1]).toEqual(alone.close);
    expect(interleaved[0]).not.toEqual(alone.close);
  });

  it('gives the same bars for a later window as the tail of a longer read', async () => {
    const source = generator({ missing_bar_rate: 0.1 });
    const full = await readColumns(source, 'SPY', WEEK_FROM, WEEK_TO);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: WEEK_FROM, max: WEEK_TO }), async (from) => {
        const later = await readColumns(generator({ missing_bar_rate: 0.1 }), 'SPY', from, WEEK_TO);
        const firstIndex = full.time.findIndex((t) => t >= from);
        expect(tail(later, 0)).toEqual(tail(full, firstIndex < 0 ? full.time.length : firstIndex));
      }),
      { numRuns: 15 },
    );
  });

  it('makes the same bars whatever year the read starts in (the walk state is not carried from the read start)', async () => {
    const from = at('2023-06-01T00:00:00Z');
    const to = at('2023-06-03T00:00:00Z');
    const direct = await readColumns(generator({ interval: '1h' }), 'QQQ', from, to);
    const warmed = generator({ interval: '1h' });
    await readColumns(warmed, 'QQQ', at('2030-01-01T00:00:00Z'), at('2030-01-05T00:00:00Z'));
    expect(await readColumns(warmed, 'QQQ', from, to)).toEqual(direct);
  });
});

describe('GeneratorBarSource: bars', () => {
  it('keeps OHLC consistent, prices in cents, volume whole, times on the session grid', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.integer({ min: -1_000_000, max: 1_000_000 }),
          symbol: fc.string({ minLength: 1, maxLength: 6 }),
          startPrice: fc.double({ min: 0.5, max: 5000, noNaN: true }),
          volatility: fc.double({ min: 0.01, max: 2, noNaN: true }),
          interval: fc.constantFrom<Interval>('1m', '5m', '30m', '1h', '1d'),
          twentyFourSeven: fc.boolean(),
          startDay: fc.integer({ min: 0, max: 20_000 }),
        }),
        async ({ seed, symbol, startPrice, volatility, interval, twentyFourSeven, startDay }) => {
          const calendar = twentyFourSeven ? always : us;
          const source = new GeneratorBarSource({
            calendar,
            interval,
            seed,
            start_price: startPrice,
            volatility,
          });
          const from = at('1990-01-01T00:00:00Z') + startDay * 86_400_000;
          const bars = await readColumns(source, symbol, from, from + 4 * 86_400_000);
          const barMs = intervalToMs(interval);
          const isCents = (price: number): boolean => Math.abs(price * 100 - Math.round(price * 100)) < 1e-6;
          for (let i = 0; i < bars.time.length; i++) {
            const open = bars.open[i] as number;
            const high = bars.high[i] as number;
            const low = bars.low[i] as number;
            const close = bars.close[i] as number;
            const volume = bars.volume[i] as number;
            const time = bars.time[i] as number;
            const session = calendar.sessionAt(time);
            const problems = [
              low > 0 || 'low not positive',
              high >= Math.max(open, close) || 'high below open or close',
              low <= Math.min(open, close) || 'low above open or close',
              [open, high, low, close].every(isCents) || 'price not in cents',
              (Number.isInteger(volume) && volume >= 0) || 'volume not a whole number >= 0',
              i === 0 || time > (bars.time[i - 1] as number) || 'time not increasing',
              (session !== undefined && (time - session.open) % barMs === 0) || 'time off the session grid',
            ].filter((p) => p !== true);
            // One expect per bar would dominate the run time; report the first bad bar in full.
            if (problems.length > 0) {
              expect({ i, time, open, high, low, close, volume, problems }).toEqual({});
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('fills each US session with 390 one-minute bars from the open', async () => {
    const bars = await readColumns(
      generator(),
      'AAPL',
      at('2024-03-08T00:00:00Z'),
      at('2024-03-12T00:00:00Z'),
    );
    expect(bars.time).toHaveLength(2 * 390);
    expect(bars.time[0]).toBe(at('2024-03-08T14:30:00Z'));
    expect(bars.time[389]).toBe(at('2024-03-08T20:59:00Z'));
    expect(bars.time[390]).toBe(at('2024-03-11T13:30:00Z'));
    for (let i = 1; i < 390; i++) expect(bars.open[i]).toBe(bars.close[i - 1]);
  });

  it('yields chunks of at most 4096 bars, strictly increasing across chunk boundaries', async () => {
    const source = generator({ calendar: always });
    const bars = await readColumns(source, 'BTC', at('2024-01-01T00:00:00Z'), at('2024-01-08T00:00:00Z'));
    expect(bars.chunkLengths).toEqual([4096, 4096, 1888]);
    for (let i = 1; i < bars.time.length; i++)
      expect(bars.time[i]).toBe((bars.time[i - 1] as number) + 60_000);
    expect(source.report()).toEqual({ rowsRead: 7 * 1440, rowsSkipped: 0, problems: [] });
  });

  it('writes chunks into the memory of those already read when the reader reuses them, with the same bars', async () => {
    const columns = ['time', 'open', 'high', 'low', 'close', 'volume'] as const;
    const read = async (interval: Interval, to: string, reuse: boolean) => {
      const copies: number[][][] = [];
      const kept: BarChunk[] = [];
      const source = generator({ interval });
      for await (const chunk of source.read('SPY', at('2024-03-01T00:00:00Z'), at(to), { reuse })) {
        copies.push(columns.map((k) => [...chunk[k]]));
        kept.push(chunk);
      }
      return { copies, kept, buffers: new Set(kept.map((c) => c.time.buffer)).size };
    };
    // Minutes: a chunk fills now and then within a session. Seconds: a session fills five at once,
    // all handed out before the reader is done with any of them.
    for (const [interval, to, chunks] of [
      ['1m', '2024-09-01T00:00:00Z', 10],
      ['1s', '2024-03-06T00:00:00Z', 15],
    ] as const) {
      const fresh = await read(interval, to, false);
      const reused = await read(interval, to, true);
      expect(fresh.copies.length).toBeGreaterThanOrEqual(chunks);
      expect(reused.copies).toEqual(fresh.copies);
      expect(fresh.kept.map((c) => columns.map((k) => [...c[k]]))).toEqual(fresh.copies);
      expect(fresh.buffers).toBe(fresh.copies.length);
      expect(reused.buffers).toBeLessThanOrEqual(interval === '1m' ? 2 : 7);
    }
  });

  it('lines daily bars up with the intraday bars of the same session', async () => {
    const from = at('2024-03-04T00:00:00Z');
    const to = at('2024-03-09T00:00:00Z');
    const daily = await readColumns(generator({ interval: '1d' }), 'IBM', from, to);
    const minutes = await readColumns(generator(), 'IBM', from, to);
    expect(daily.time).toEqual(us.sessionsBetween(from, to).map((s) => s.open));
    for (let d = 0; d < 5; d++) {
      expect(daily.open[d]).toBe(minutes.open[d * 390]);
      expect(daily.close[d]).toBe(minutes.close[d * 390 + 389]);
    }
  });

  it('drops about missing_bar_rate of the bars without changing the others', async () => {
    const from = at('2024-01-01T00:00:00Z');
    const to = at('2024-02-01T00:00:00Z');
    const complete = await readColumns(generator(), 'GE', from, to);
    const gappy = await readColumns(generator({ missing_bar_rate: 0.2 }), 'GE', from, to);
    const kept = gappy.time.length / complete.time.length;
    expect(kept).toBeGreaterThan(0.78);
    expect(kept).toBeLessThan(0.82);
    const byTime = new Map(complete.time.map((t, i) => [t, complete.close[i]]));
    for (let i = 0; i < gappy.time.length; i++)
      expect(gappy.close[i]).toBe(byTime.get(gappy.time[i] as number));
  });

  it('stays near the start price over decades with the volatility asked for', async () => {
    const source = generator({ interval: '1d', start_price: 50, volatility: 0.3 });
    const bars = await readColumns(source, 'XOM', at('1995-01-01T00:00:00Z'), at('2025-01-01T00:00:00Z'));
    expect(Math.min(...bars.low)).toBeGreaterThan(10);
    expect(Math.max(...bars.high)).toBeLessThan(250);
    let sumSquares = 0;
    for (let i = 1; i < bars.close.length; i++) {
      sumSquares += Math.log((bars.close[i] as number) / (bars.close[i - 1] as number)) ** 2;
    }
    const annualised = Math.sqrt(sumSquares / 30);
    expect(annualised).toBeGreaterThan(0.25);
    expect(annualised).toBeLessThan(0.35);
  });

  it('trades more at the open and close than at midday', async () => {
    const bars = await readColumns(generator(), 'KO', at('2024-01-01T00:00:00Z'), at('2024-02-01T00:00:00Z'));
    let edges = 0;
    let middle = 0;
    for (let i = 0; i < bars.time.length; i++) {
      const minute = i % 390;
      if (minute < 30 || minute >= 360) edges += bars.volume[i] as number;
      else if (minute >= 180 && minute < 240) middle += bars.volume[i] as number;
    }
    expect(edges / middle).toBeGreaterThan(2);
  });
});

describe('GeneratorBarSource: settings', () => {
  it('rejects out-of-range settings with JSON paths', () => {
    let error: unknown;
    try {
      generator({ missing_bar_rate: 0.6, start_price: 0, volatility: -1, seed: 1.5 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((i) => i.path)).toEqual([
      'data_config.seed',
      'data_config.missing_bar_rate',
      'data_config.start_price',
      'data_config.volatility',
    ]);
    expect(() => generator({ interval: '1w' })).toThrow(/up to 1d/);
  });

  it('needs a finite range from 1900 on', async () => {
    const source = generator();
    await expect(readColumns(source, 'A', -Infinity, 0)).rejects.toThrow(DataError);
    await expect(
      readColumns(source, 'A', at('1899-12-01T00:00:00Z'), at('1900-01-10T00:00:00Z')),
    ).rejects.toThrow('no bars before 1900-01-01');
  });

  it('describes itself and accepts any symbol', () => {
    const source = generator({ seed: 9, interval: '5m' });
    expect(source.description).toBe('generator seed 9');
    expect(source.interval).toBe('5m');
    expect(source.symbols).toBeUndefined();
  });

  it('makes the same bars, bit for bit, as every earlier version (journals, demo results and benchmarks rest on them)', async () => {
    const source = new GeneratorBarSource({ calendar: us, seed: 42 });
    const first = await readColumns(source, 'SPY', at('2024-01-02T14:30:00Z'), at('2024-01-02T14:33:00Z'));
    expect([first.time, first.open, first.high, first.low, first.close, first.volume]).toEqual([
      [1704205800000, 1704205860000, 1704205920000],
      [103.76, 103.88, 103.86],
      [103.94, 103.88, 103.88],
      [103.67, 103.78, 103.79],
      [103.88, 103.86, 103.81],
      [6813, 4636, 4077],
    ]);
    // Six years of three symbols with bars dropped at random: a digest of every value's bits, row by row.
    const hash = createHash('sha256');
    const row = new Float64Array(6);
    for (const symbol of ['SPY', 'AAPL', 'X1']) {
      const dropping = new GeneratorBarSource({ calendar: us, seed: 42, missing_bar_rate: 0.01 });
      for await (const chunk of dropping.read(
        symbol,
        at('2014-01-01T00:00:00Z'),
        at('2020-01-01T00:00:00Z'),
      )) {
        for (let i = 0; i < chunk.length; i++) {
          row.set([
            chunk.time[i],
            chunk.open[i],
            chunk.high[i],
            chunk.low[i],
            chunk.close[i],
            chunk.volume[i],
          ] as number[]);
          hash.update(new Uint8Array(row.buffer));
        }
      }
    }
    expect(hash.digest('hex')).toBe('4798475eb261c9c9534f84bb01b1b6b35c1b8520a47bbb879e2e0fda3a3f999f');
  });
});
