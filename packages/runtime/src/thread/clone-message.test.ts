import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cloneMessage, isPlainData } from './clone-message';
import type { HostMessage } from './host-protocol';
import type { StampedSignal } from './stamped-signal';

const signal = (metadata: Record<string, unknown>): StampedSignal =>
  ({
    seq: 1,
    strategy: 'ma',
    time: 1_704_205_860_000,
    barTime: 1_704_205_800_000,
    interval: '1m',
    symbol: 'AAPL',
    action: 'BUY',
    quantity: undefined,
    price: 101.25,
    reason: 'cross',
    metadata,
  }) as unknown as StampedSignal;

describe('cloneMessage', () => {
  it('copies plain signals exactly like structured cloning, sharing nothing', () => {
    const metadata = {
      fast_ma: 1.5,
      slow_ma: -0,
      nested: { list: [1, 'two', null, true, undefined] },
      note: undefined,
    };
    const message: HostMessage = { type: 'signals', signals: [signal(metadata)] };
    const copy = cloneMessage(message);
    expect(copy).toStrictEqual(structuredClone(message));
    expect(Object.is((copy as { signals: StampedSignal[] }).signals[0]?.metadata?.slow_ma, -0)).toBe(true);
    metadata.nested.list.push(5);
    expect(copy).not.toStrictEqual(message);
    expect((copy as { signals: StampedSignal[] }).signals[0]).not.toBe(message.signals[0]);
  });

  it('leaves anything else to structured cloning: dates, maps, typed arrays, cycles, sparse arrays', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    // biome-ignore lint/suspicious/noSparseArray: the case under test
    const sparse = [1, , 3];
    const metadata = {
      at: new Date(1_704_205_860_000),
      seen: new Map([['a', 1]]),
      closes: new Float64Array([1, 2]),
      cyclic,
      sparse,
    };
    const copy = cloneMessage({ type: 'signals', signals: [signal(metadata)] }) as {
      signals: StampedSignal[];
    };
    const copied = copy.signals[0]?.metadata as typeof metadata;
    expect(copied.at).toBeInstanceOf(Date);
    expect(copied.at.getTime()).toBe(1_704_205_860_000);
    expect(copied.seen.get('a')).toBe(1);
    expect(copied.closes).toBeInstanceOf(Float64Array);
    expect(copied.cyclic.self).toBe(copied.cyclic);
    expect(1 in copied.sparse).toBe(false);
  });

  it('falls back to JSON for what cannot be cloned (a function in log fields)', () => {
    const copy = cloneMessage({
      type: 'log',
      record: {
        level: 'info',
        name: 'ma',
        message: 'hi',
        fields: { callback: () => 1, count: 2n, ok: true },
      },
    });
    expect(copy).toEqual({
      type: 'log',
      record: { level: 'info', name: 'ma', message: 'hi', fields: { count: '2', ok: true } },
    });
  });
});

describe('isPlainData', () => {
  it('holds for JSON-like data, whose structured clone prints the same JSON (property)', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.constantFrom(undefined, Number.NaN, -0, Number.POSITIVE_INFINITY),
        (value, odd) => {
          const data = { value, odd, list: [value, odd] };
          expect(isPlainData(data)).toBe(true);
          expect(JSON.stringify(structuredClone(data))).toBe(JSON.stringify(data));
        },
      ),
    );
  });

  it('is false for what a clone may print differently (class instances, dates, maps, bigints, functions, holes)', () => {
    class Price {
      constructor(readonly value: number) {}
      toJSON(): string {
        return `$${this.value}`;
      }
    }
    const instance = { price: new Price(3) };
    expect(isPlainData(instance)).toBe(false);
    // Why it matters: the clone lost the class, and prints otherwise.
    expect(JSON.stringify(structuredClone(instance))).not.toBe(JSON.stringify(instance));
    const holes: unknown[] = [1];
    holes[2] = 3;
    for (const value of [new Date(0), new Map(), 1n, () => 1, Symbol('s'), holes, new Float64Array(2)]) {
      expect(isPlainData({ nested: [value] })).toBe(false);
    }
    expect(isPlainData(Object.create(null))).toBe(true);
  });
});
