import { type Bar, type Interval, intervalToMs } from '@strat/core';
import { readQuality } from '@strat/core/internal';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SessionData } from '../store/session-data';
import { SymbolBarAggregator } from './symbol-bar-aggregator';

const MINUTE = 60_000;

interface Session {
  name: string;
  open: number;
  close: number;
}

// Session hours written out by hand with their known UTC offsets (America/New_York switches to
// daylight time on 2024-03-10 and back on 2024-11-03).
const SESSIONS: Session[] = [
  {
    name: '2024-03-08 09:30-16:00 EST',
    open: Date.UTC(2024, 2, 8, 14, 30),
    close: Date.UTC(2024, 2, 8, 21, 0),
  },
  { name: '2024-03-10 24x7 UTC day', open: Date.UTC(2024, 2, 10, 0, 0), close: Date.UTC(2024, 2, 11, 0, 0) },
  {
    name: '2024-03-11 09:30-16:00 EDT',
    open: Date.UTC(2024, 2, 11, 13, 30),
    close: Date.UTC(2024, 2, 11, 20, 0),
  },
  {
    name: '2024-11-01 09:30-16:00 EDT',
    open: Date.UTC(2024, 10, 1, 13, 30),
    close: Date.UTC(2024, 10, 1, 20, 0),
  },
  {
    name: '2024-11-04 09:30-16:00 EST',
    open: Date.UTC(2024, 10, 4, 14, 30),
    close: Date.UTC(2024, 10, 4, 21, 0),
  },
  {
    name: '2024-11-29 09:30-13:00 EST (early close)',
    open: Date.UTC(2024, 10, 29, 14, 30),
    close: Date.UTC(2024, 10, 29, 18, 0),
  },
  // 397 minutes: clips the last bucket of every interval and, for a 2m base, the last base slot
  { name: '2024-12-02 odd length', open: Date.UTC(2024, 11, 2, 14, 30), close: Date.UTC(2024, 11, 2, 21, 7) },
];

interface SessionBars {
  session: Session;
  bars: Bar[];
}

/** A small deterministic PRNG (mulberry32) so one fast-check integer drives a whole bar sequence. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Scenario {
  sessions: Session[];
  seed: number;
  missingRate: number;
  outageRate: number;
  advanceRate: number;
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  sessions: fc.subarray(SESSIONS, { minLength: 1, maxLength: 3 }),
  seed: fc.integer(),
  missingRate: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.9, noNaN: true })),
  outageRate: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.03, noNaN: true })),
  advanceRate: fc.double({ min: 0, max: 0.5, noNaN: true }),
});

/** Random real base bars at slot starts, with single missing bars and longer outages. */
function generateBars(scenario: Scenario, baseMs: number): SessionBars[] {
  const rand = random(scenario.seed);
  let price = 100;
  return scenario.sessions.map((session) => {
    const bars: Bar[] = [];
    const slots = Math.ceil((session.close - session.open) / baseMs);
    let outageLeft = 0;
    for (let slot = 0; slot < slots; slot++) {
      if (outageLeft > 0) {
        outageLeft--;
        continue;
      }
      if (rand() < scenario.outageRate) {
        outageLeft = Math.floor(rand() * 90);
        continue;
      }
      if (rand() < scenario.missingRate) continue;
      const open = price;
      price = Math.max(1, price + (rand() - 0.5) * 2);
      bars.push({
        time: session.open + slot * baseMs,
        open,
        high: Math.max(open, price) + rand(),
        low: Math.min(open, price) - rand(),
        close: price,
        volume: Math.floor(rand() * 1000),
        filled: false,
      });
    }
    return { session, bars };
  });
}

/** The naive reference: group real bars by bucket start (aligned to the session open) per session. */
function referenceAggregation(sessions: SessionBars[], intervalMs: number): Bar[] {
  const out: Bar[] = [];
  for (const { session, bars } of sessions) {
    let current: Bar | undefined;
    for (const bar of bars) {
      const label = session.open + Math.floor((bar.time - session.open) / intervalMs) * intervalMs;
      if (current && current.time === label) {
        current.high = Math.max(current.high, bar.high);
        current.low = Math.min(current.low, bar.low);
        current.close = bar.close;
        current.volume += bar.volume;
      } else {
        if (current) out.push(current);
        current = { ...bar, time: label, filled: false };
      }
    }
    if (current) out.push(current);
  }
  return out;
}

interface Emission {
  interval: Interval;
  index: number;
  closeTime: number;
  baseBarsBefore: number;
}

interface Run {
  store: SessionData;
  aggregator: SymbolBarAggregator;
  emissions: Emission[];
}

function run(
  sessions: SessionBars[],
  streams: Interval[],
  scenario: Scenario,
  gapFill?: { maxGapBars: number; fillToSessionClose: boolean },
): Run {
  const store = new SessionData({ window: 4096, shared: false });
  const emissions: Emission[] = [];
  let baseBars = 0;
  const aggregator = new SymbolBarAggregator({
    store,
    symbol: 'SPY',
    streams,
    gapFill: gapFill && { enabled: true, ...gapFill },
    onBar: (symbol, interval, index, closeTime) => {
      expect(symbol).toBe('SPY');
      emissions.push({ interval, index, closeTime, baseBarsBefore: baseBars });
      if (interval === aggregator.baseInterval) baseBars++;
    },
  });
  const rand = random(scenario.seed ^ 0x5eed);
  for (const { session, bars } of sessions) {
    aggregator.startSession(session.open, session.close);
    let clock = session.open;
    for (const bar of bars) {
      // The processor may advance the clock to any time up to the next bar before delivering it.
      if (rand() < scenario.advanceRate) {
        clock += Math.floor(rand() * (bar.time - clock + 1));
        aggregator.advanceTo(clock);
      }
      aggregator.pushBase(bar.time, bar.open, bar.high, bar.low, bar.close, bar.volume);
      clock = bar.time;
    }
    if (rand() < scenario.advanceRate) aggregator.advanceTo(session.close);
    aggregator.endSession();
  }
  return { store, aggregator, emissions };
}

function sessionOf(sessions: SessionBars[], time: number): Session {
  const found = sessions.find(({ session }) => time >= session.open && time < session.close);
  if (!found) throw new Error(`no session holds ${new Date(time).toISOString()}`);
  return found.session;
}

/** Checks the emission log: every bar once, right close times, global order, never before its bucket is over. */
function checkEmissions(
  result: Run,
  sessions: SessionBars[],
  streams: readonly Interval[],
  realTimes: number[],
) {
  const { store, emissions } = result;
  const rank = new Map(streams.map((interval, i) => [interval, i]));
  const nextIndex = new Map<Interval, number>();
  for (let i = 0; i < emissions.length; i++) {
    const e = emissions[i] as Emission;
    expect(e.index).toBe(nextIndex.get(e.interval) ?? 0);
    nextIndex.set(e.interval, e.index + 1);
    const bar = store.getBars('SPY', e.interval).at(e.index) as Bar;
    const session = sessionOf(sessions, bar.time);
    expect(e.closeTime).toBe(Math.min(bar.time + intervalToMs(e.interval), session.close));
    if (i > 0) {
      const prev = emissions[i - 1] as Emission;
      const ordered =
        prev.closeTime < e.closeTime ||
        (prev.closeTime === e.closeTime && (rank.get(prev.interval) ?? 0) < (rank.get(e.interval) ?? 0));
      expect(ordered, `emission ${i} (${e.interval} closing ${e.closeTime}) is out of order`).toBe(true);
    }
    if (e.interval !== streams[0]) {
      // Never partial: every real bar of the bucket was delivered, and nothing after it.
      const realBefore = realTimes.filter((t) => t < e.closeTime).length;
      expect(e.baseBarsBefore).toBe(realBefore);
    }
  }
  for (const interval of streams) {
    expect(nextIndex.get(interval) ?? 0).toBe(store.getBars('SPY', interval).length);
  }
}

/**
 * The naive reference of a series' counts in its own interval over one complete session: buckets
 * aligned to the open (the last one clipped at the close), those with a real bar, and those of
 * them with fewer real bars than base slots.
 */
function ownUnitCounts(session: Session, bars: readonly Bar[], intervalMs: number, baseMs: number) {
  const length = session.close - session.open;
  const buckets = Math.ceil(length / intervalMs);
  const realBars = new Array<number>(buckets).fill(0);
  for (const bar of bars) realBars[Math.floor((bar.time - session.open) / intervalMs)]! += 1;
  let receivedBars = 0;
  let partialBars = 0;
  realBars.forEach((count, bucket) => {
    if (count === 0) return;
    receivedBars++;
    const slots = Math.ceil(Math.min(intervalMs, length - bucket * intervalMs) / baseMs);
    if (count < slots) partialBars++;
  });
  return intervalMs === baseMs
    ? { expectedBars: buckets, receivedBars: bars.length, partialBars: 0 }
    : { expectedBars: buckets, receivedBars, partialBars };
}

describe('SymbolBarAggregator (properties)', () => {
  it('1m bars aggregate to 5m/15m/1h/1d exactly like the naive reference, across DST-shifted sessions', () => {
    const streams: Interval[] = ['1m', '5m', '15m', '1h', '1d'];
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const sessions = generateBars(scenario, MINUTE);
        const result = run(sessions, streams, scenario);
        const realBars = sessions.flatMap((s) => s.bars);
        expect(result.store.getBars('SPY', '1m').toArray()).toEqual(realBars);
        for (const interval of streams.slice(1)) {
          expect(result.store.getBars('SPY', interval).toArray(), interval).toEqual(
            referenceAggregation(sessions, intervalToMs(interval)),
          );
        }
        // one 1d bar per session with data, labelled at that session's open
        expect(result.store.getBars('SPY', '1d').time.toArray()).toEqual(
          Float64Array.from(sessions.filter((s) => s.bars.length > 0).map((s) => s.session.open)),
        );
        checkEmissions(
          result,
          sessions,
          streams,
          realBars.map((b) => b.time),
        );
        const report = result.aggregator.getQualityReport();
        expect(report).toHaveLength(sessions.length);
        sessions.forEach(({ session, bars }, i) => {
          const slots = (session.close - session.open) / MINUTE;
          const sessionReport = report[i];
          expect(sessionReport?.complete).toBe(true);
          for (const record of sessionReport?.series ?? []) {
            expect(record).toMatchObject({ expected: slots, received: bars.length, filled: 0 });
            expect(record, `${record.interval} in its own unit`).toMatchObject(
              ownUnitCounts(session, bars, intervalToMs(record.interval), MINUTE),
            );
          }
        });
        const last = sessions.at(-1) as SessionBars;
        const lastSlots = (last.session.close - last.session.open) / MINUTE;
        expect(readQuality(result.store.getSeries('SPY', '1m')!)).toBeCloseTo(
          (last.bars.length / lastSlots) * 100,
          9,
        );
      }),
      { numRuns: 60 },
    );
  });

  it('any base interval and any whole multiples of it aggregate like the reference', () => {
    const streamsArb = fc
      .record({
        baseMinutes: fc.constantFrom(1, 2, 5),
        multiples: fc.uniqueArray(fc.integer({ min: 2, max: 120 }), { minLength: 1, maxLength: 4 }),
        withDay: fc.boolean(),
        reversed: fc.boolean(),
      })
      .map(({ baseMinutes, multiples, withDay, reversed }) => {
        const base = `${baseMinutes}m` as Interval;
        const derived = multiples.map((k) => `${k * baseMinutes}m` as Interval);
        const all = [base, ...derived, ...(withDay ? (['1d'] as Interval[]) : [])];
        return reversed ? all.reverse() : all;
      });
    fc.assert(
      fc.property(scenarioArb, streamsArb, (scenario, streams) => {
        const sorted = [...streams].sort((a, b) => intervalToMs(a) - intervalToMs(b));
        const sessions = generateBars(scenario, intervalToMs(sorted[0]!));
        const result = run(sessions, streams, scenario);
        expect(result.aggregator.intervals).toEqual(sorted);
        expect(result.store.getBars('SPY', sorted[0]!).toArray()).toEqual(sessions.flatMap((s) => s.bars));
        for (const interval of sorted.slice(1)) {
          expect(result.store.getBars('SPY', interval).toArray(), interval).toEqual(
            referenceAggregation(sessions, intervalToMs(interval)),
          );
        }
        checkEmissions(
          result,
          sessions,
          sorted,
          sessions.flatMap((s) => s.bars.map((b) => b.time)),
        );
        const report = result.aggregator.getQualityReport();
        sessions.forEach(({ session, bars }, i) => {
          for (const record of report[i]?.series ?? []) {
            expect(record, `${record.interval} in its own unit`).toMatchObject({
              baseInterval: sorted[0],
              ...ownUnitCounts(session, bars, intervalToMs(record.interval), intervalToMs(sorted[0]!)),
            });
          }
        });
      }),
      { numRuns: 60 },
    );
  });

  it('the gap filler forward-fills exactly the short gaps between real bars; derived bars stay real-only', () => {
    const gapArb = fc.record({
      maxGapBars: fc.integer({ min: 1, max: 15 }),
      fillToSessionClose: fc.boolean(),
    });
    const streams: Interval[] = ['1m', '5m', '1h'];
    fc.assert(
      fc.property(scenarioArb, gapArb, (scenario, gapFill) => {
        const sessions = generateBars(scenario, MINUTE);
        const result = run(sessions, streams, scenario, gapFill);

        const expectedBase: Bar[] = [];
        const filledPerSession: number[] = [];
        for (const { session, bars } of sessions) {
          let filled = 0;
          const fill = (fromTime: number, toTime: number, price: number) => {
            const missing = (toTime - fromTime) / MINUTE;
            if (missing < 1 || missing > gapFill.maxGapBars) return;
            for (let t = fromTime; t < toTime; t += MINUTE) {
              expectedBase.push({
                time: t,
                open: price,
                high: price,
                low: price,
                close: price,
                volume: 0,
                filled: true,
              });
              filled++;
            }
          };
          bars.forEach((bar, i) => {
            const prev = bars[i - 1];
            if (prev) fill(prev.time + MINUTE, bar.time, prev.close);
            expectedBase.push(bar);
          });
          const lastBar = bars.at(-1);
          if (lastBar && gapFill.fillToSessionClose)
            fill(lastBar.time + MINUTE, session.close, lastBar.close);
          filledPerSession.push(filled);
        }
        expect(result.store.getBars('SPY', '1m').toArray()).toEqual(expectedBase);
        for (const interval of streams.slice(1)) {
          expect(result.store.getBars('SPY', interval).toArray(), interval).toEqual(
            referenceAggregation(sessions, intervalToMs(interval)),
          );
        }
        const report = result.aggregator.getQualityReport();
        sessions.forEach(({ session, bars }, i) => {
          const [base, ...derived] = report[i]?.series ?? [];
          const slots = (session.close - session.open) / MINUTE;
          expect(base).toMatchObject({ expected: slots, received: bars.length, filled: filledPerSession[i] });
          for (const record of derived) expect(record).toMatchObject({ received: bars.length, filled: 0 });
        });
        // every base bar, filled or real, is emitted once with its close time
        const baseEmissions = result.emissions.filter((e) => e.interval === '1m');
        expect(baseEmissions.map((e) => e.closeTime)).toEqual(expectedBase.map((b) => b.time + MINUTE));
      }),
      { numRuns: 60 },
    );
  });
});
