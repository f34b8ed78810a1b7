import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StampedSignal } from '../thread/stamped-signal';
import { SignalSequencer } from './signal-sequencer';

const STRATEGIES = ['alpha', 'beta', 'gamma'];

function signal(strategy: string, seq: number, time: number): StampedSignal {
  return {
    seq,
    strategy,
    time,
    barTime: time - 60_000,
    interval: '1m',
    symbol: 'AAPL',
    action: 'BUY',
    price: 100,
    reason: `${strategy} ${seq}`,
    quantity: undefined,
    metadata: undefined,
  } as unknown as StampedSignal;
}

/** Each strategy's signals in its own order (growing seq, non-decreasing time). */
const arbitraryStreams = fc.tuple(
  ...STRATEGIES.map((name) =>
    fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 30 }).map((gaps) => {
      let time = 0;
      return gaps.map((gap, i) => {
        time += gap * 60_000;
        return signal(name, i + 1, time);
      });
    }),
  ),
);

const key = (s: StampedSignal) => `${s.strategy}#${s.seq}`;

describe('SignalSequencer', () => {
  it('orders by bar close, then strategy in config order, then sequence, however signals arrive and releases split', () => {
    fc.assert(
      fc.property(arbitraryStreams, fc.array(fc.nat(), { maxLength: 8 }), fc.nat(), (streams, cuts, seed) => {
        const sequencer = new SignalSequencer();
        sequencer.setStrategyOrder(STRATEGIES);
        const out: StampedSignal[] = [];
        sequencer.on('signal', (batch) => out.push(...batch));
        // Deliver each strategy's signals in its order, interleaving strategies by the seed; release at
        // growing times once every strategy's signals up to that time have arrived.
        const all = streams.flat();
        const horizon = Math.max(0, ...all.map((s) => s.time));
        const releases = [...new Set(cuts.map((c) => (c * 60_000) % (horizon + 60_000)))].sort(
          (a, b) => a - b,
        );
        const cursors = streams.map(() => 0);
        let turn = seed;
        for (const upTo of [...releases, Number.POSITIVE_INFINITY]) {
          for (;;) {
            const ready = streams.map((st, i) => {
              const next = st[cursors[i] as number];
              return next !== undefined && next.time <= upTo;
            });
            if (!ready.some(Boolean)) break;
            let i = turn++ % streams.length;
            while (!ready[i]) i = (i + 1) % streams.length;
            const stream = streams[i] as StampedSignal[];
            sequencer.add([stream[cursors[i] as number] as StampedSignal]);
            cursors[i] = (cursors[i] as number) + 1;
          }
          sequencer.release(upTo);
        }
        const expected = [...all].sort(
          (a, b) =>
            a.time - b.time ||
            STRATEGIES.indexOf(a.strategy) - STRATEGIES.indexOf(b.strategy) ||
            a.seq - b.seq,
        );
        expect(out.map(key)).toEqual(expected.map(key));
        expect(sequencer.held).toBe(0);
      }),
    );
  });

  it('holds signals stamped after the release time, and emits nothing for an empty release', () => {
    const sequencer = new SignalSequencer();
    sequencer.setStrategyOrder(['b', 'a']);
    const batches: string[][] = [];
    sequencer.on('signal', (batch) => batches.push(batch.map(key)));
    sequencer.add([signal('a', 1, 120_000), signal('a', 2, 240_000)]);
    sequencer.add([signal('b', 1, 120_000)]);
    sequencer.release(60_000);
    expect(batches).toEqual([]);
    sequencer.release(180_000);
    expect(batches).toEqual([['b#1', 'a#1']]);
    expect(sequencer.held).toBe(1);
    sequencer.release(Number.POSITIVE_INFINITY);
    expect(batches).toEqual([['b#1', 'a#1'], ['a#2']]);
  });
});

describe('SignalSequencer released', () => {
  it('tells every release, after its signals, even one with nothing to emit', () => {
    const sequencer = new SignalSequencer();
    const seen: string[] = [];
    sequencer.on('signal', (signals) => seen.push(`signals ${signals.map(key).join(' ')}`));
    sequencer.on('released', (time) => seen.push(`released ${time}`));
    sequencer.release(60_000);
    sequencer.add([signal('alpha', 1, 120_000), signal('alpha', 2, 180_000)]);
    sequencer.release(120_000);
    sequencer.release(Number.POSITIVE_INFINITY);
    expect(seen).toEqual([
      'released 60000',
      'signals alpha#1',
      'released 120000',
      'signals alpha#2',
      'released Infinity',
    ]);
  });
});
