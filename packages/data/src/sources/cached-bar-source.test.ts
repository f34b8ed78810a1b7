import { describe, expect, it } from 'vitest';
import { TradingCalendar } from '../calendar/trading-calendar';
import type { BarSource, SourceReport } from './bar-source';
import { BarCache } from './cached-bar-source';
import { GeneratorBarSource } from './generator/generator-bar-source';

const gen = (seed: number) => new GeneratorBarSource({ seed, calendar: TradingCalendar.usEquities() });

/** A generator source that counts reads and reuses one chunk buffer, as a parser may. */
function countingSource(): { source: BarSource; reads: () => number } {
  const inner = gen(3);
  let reads = 0;
  const source: BarSource = {
    description: inner.description,
    interval: inner.interval,
    report: (): SourceReport => inner.report(),
    async *read(symbol, from, to) {
      reads++;
      for await (const chunk of inner.read(symbol, from, to)) {
        yield chunk;
        // The next chunk overwrites this one's arrays.
        chunk.close.fill(-1);
      }
    },
  };
  return { source, reads: () => reads };
}

async function collect(source: BarSource, symbol: string, from: number, to: number): Promise<number[][]> {
  const rows: number[][] = [];
  for await (const chunk of source.read(symbol, from, to)) {
    for (let i = 0; i < chunk.length; i++) {
      rows.push([chunk.time[i], chunk.open[i], chunk.close[i], chunk.volume[i]] as number[]);
    }
  }
  return rows;
}

const FROM = Date.UTC(2024, 0, 2);
const TO = Date.UTC(2024, 0, 6);

describe('BarCache', () => {
  it('reads a range once and replays copies of it, identical to the source', async () => {
    const { source, reads } = countingSource();
    const cache = new BarCache();
    const direct = await collect(gen(3), 'AAPL', FROM, TO);
    const first = await collect(cache.wrap('k', source), 'AAPL', FROM, TO);
    const second = await collect(cache.wrap('k', countingSource().source), 'AAPL', FROM, TO);
    expect(first).toEqual(direct);
    expect(second).toEqual(direct);
    expect(reads()).toBe(1);
    expect(cache.bars).toBe(direct.length);
    // Another range or symbol is another read.
    await collect(cache.wrap('k', source), 'MSFT', FROM, TO);
    expect(reads()).toBe(2);
  });

  it('keeps nothing past its size or of a read stopped early, and still gives every bar', async () => {
    const { source, reads } = countingSource();
    const small = new BarCache(100);
    const wrapped = small.wrap('k', source);
    const direct = await collect(gen(3), 'AAPL', FROM, TO);
    expect(await collect(wrapped, 'AAPL', FROM, TO)).toEqual(direct);
    expect(await collect(wrapped, 'AAPL', FROM, TO)).toEqual(direct);
    expect(reads()).toBe(2);
    expect(small.bars).toBe(0);

    const cache = new BarCache();
    const early = cache.wrap('k', source);
    for await (const chunk of early.read('AAPL', FROM, TO)) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    expect(cache.bars).toBe(0);
    expect(await collect(early, 'AAPL', FROM, TO)).toEqual(direct);
    expect(cache.bars).toBe(direct.length);
  });

  it("passes the source's preparation on (and prepares a source without one at once)", async () => {
    let prepared = 0;
    const inner: BarSource = {
      ...countingSource().source,
      prepare: async () => {
        prepared++;
      },
    };
    await new BarCache().wrap('k', inner).prepare?.();
    expect(prepared).toBe(1);
    await expect(new BarCache().wrap('k', gen(3)).prepare?.()).resolves.toBeUndefined();
  });

  it('keeps sources apart by key', async () => {
    const cache = new BarCache();
    const a = await collect(cache.wrap('seed 3', gen(3)), 'AAPL', FROM, TO);
    const b = await collect(cache.wrap('seed 4', gen(4)), 'AAPL', FROM, TO);
    expect(a).not.toEqual(b);
  });
});
