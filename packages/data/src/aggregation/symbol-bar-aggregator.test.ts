import { type Bar, ConfigError, type Interval, StratError } from '@strat/core';
import { readQuality } from '@strat/core/internal';
import { describe, expect, it } from 'vitest';
import { SessionData } from '../store/session-data';
import { type GapFillOptions, SymbolBarAggregator } from './symbol-bar-aggregator';

const MINUTE = 60_000;
/** 2024-03-11 09:30 America/New_York (EDT, UTC-4). */
const OPEN = Date.UTC(2024, 2, 11, 13, 30);
const at = (minutes: number) => OPEN + minutes * MINUTE;

interface Setup {
  store: SessionData;
  aggregator: SymbolBarAggregator;
  /** `interval index @minutes-after-OPEN` per emitted bar. */
  log: string[];
  quality: string[];
}

function setup(streams: Interval[], gapFill?: GapFillOptions): Setup {
  const store = new SessionData({ window: 512, shared: false });
  const log: string[] = [];
  const quality: string[] = [];
  const aggregator = new SymbolBarAggregator({
    store,
    symbol: 'SPY',
    streams,
    gapFill,
    onBar: (_symbol, interval, index, closeTime) =>
      log.push(`${interval} ${index} @${(closeTime - OPEN) / MINUTE}`),
    onQuality: (_symbol, interval, percent) => quality.push(`${interval} ${percent.toFixed(2)}`),
  });
  return { store, aggregator, log, quality };
}

/** Pushes a bar at `minute` whose values encode the minute: open m, high m+0.5, low m-0.5, close m+0.25, volume 10+m. */
function push(aggregator: SymbolBarAggregator, minute: number): void {
  aggregator.pushBase(at(minute), minute, minute + 0.5, minute - 0.5, minute + 0.25, 10 + minute);
}

const bar = (
  time: number,
  open: number,
  high: number,
  low: number,
  close: number,
  volume: number,
  filled = false,
) => ({ time, open, high, low, close, volume, filled }) satisfies Bar;

describe('SymbolBarAggregator', () => {
  it('emits base before derived and shorter before longer at equal close times, and in close-time order', () => {
    const { store, aggregator, log } = setup(['1h', '1m', '15m', '5m']);
    expect(aggregator.intervals).toEqual(['1m', '5m', '15m', '1h']);
    aggregator.startSession(OPEN, at(60));
    for (let m = 0; m < 15; m++) push(aggregator, m);
    push(aggregator, 20);
    aggregator.endSession();

    const base = Array.from({ length: 15 }, (_, m) => `1m ${m} @${m + 1}`);
    expect(log).toEqual([
      ...base.slice(0, 5),
      '5m 0 @5',
      ...base.slice(5, 10),
      '5m 1 @10',
      ...base.slice(10, 15),
      '5m 2 @15',
      '15m 0 @15',
      '1m 15 @21',
      '5m 3 @25',
      '15m 1 @30',
      '1h 0 @60',
    ]);
    expect(store.getBars('SPY', '15m').toArray()).toEqual([
      bar(OPEN, 0, 14.5, -0.5, 14.25, 10 * 15 + 105),
      bar(at(15), 20, 20.5, 19.5, 20.25, 30),
    ]);
    expect(store.getBars('SPY', '1h').toArray()).toEqual([
      bar(OPEN, 0, 20.5, -0.5, 20.25, 10 * 15 + 105 + 30),
    ]);
  });

  it('publishes a derived bar missing its last slot only once time passes the bucket end', () => {
    const { store, aggregator, log } = setup(['1m', '5m']);
    aggregator.startSession(OPEN, at(30));
    for (let m = 0; m < 4; m++) push(aggregator, m);
    aggregator.advanceTo(at(5) - 1);
    expect(store.getBars('SPY', '5m').length).toBe(0);
    aggregator.advanceTo(at(5));
    expect(log.at(-1)).toBe('5m 0 @5');
    expect(store.getBars('SPY', '5m').toArray()).toEqual([bar(OPEN, 0, 3.5, -0.5, 3.25, 46)]);
    // bucket [5, 10) gets no bar: nothing is published for it
    aggregator.advanceTo(at(12));
    push(aggregator, 12);
    aggregator.endSession();
    expect(store.getBars('SPY', '5m').time.toArray()).toEqual(Float64Array.from([OPEN, at(10)]));
    expect(log.slice(-2)).toEqual(['1m 4 @13', '5m 1 @15']);
  });

  it('closes a bucket that lost its last slot when the next bar arrives, before that bar', () => {
    const { aggregator, log } = setup(['1m', '5m']);
    aggregator.startSession(OPEN, at(30));
    push(aggregator, 3);
    push(aggregator, 7);
    expect(log).toEqual(['1m 0 @4', '5m 0 @5', '1m 1 @8']);
  });

  it('makes one 1d bar per session labelled at the open, and clips the last bucket at the close, across DST', () => {
    const { store, aggregator, log } = setup(['1m', '1h', '4h', '1d']);
    const sessions = [
      { open: Date.UTC(2024, 2, 8, 14, 30), close: Date.UTC(2024, 2, 8, 21, 0) }, // EST
      { open: Date.UTC(2024, 2, 11, 13, 30), close: Date.UTC(2024, 2, 11, 20, 0) }, // EDT
    ];
    for (const { open, close } of sessions) {
      aggregator.startSession(open, close);
      for (let t = open; t < close; t += MINUTE) aggregator.pushBase(t, 1, 2, 0.5, 1.5, 1);
      // the session's last minute completes every bucket: nothing is left for endSession
      expect(log.slice(-4)).toEqual([
        `1m ${store.getBars('SPY', '1m').lastIndex} @${(close - OPEN) / MINUTE}`,
        `1h ${store.getBars('SPY', '1h').lastIndex} @${(close - OPEN) / MINUTE}`,
        `4h ${store.getBars('SPY', '4h').lastIndex} @${(close - OPEN) / MINUTE}`,
        `1d ${store.getBars('SPY', '1d').lastIndex} @${(close - OPEN) / MINUTE}`,
      ]);
      aggregator.endSession();
    }
    expect(store.getBars('SPY', '1d').toArray()).toEqual([
      bar(sessions[0]!.open, 1, 2, 0.5, 1.5, 390),
      bar(sessions[1]!.open, 1, 2, 0.5, 1.5, 390),
    ]);
    // 4h buckets: 09:30-13:30 and 13:30-16:00 local, in UTC on each side of the DST switch
    expect(
      store
        .getBars('SPY', '4h')
        .toArray()
        .map((b) => [new Date(b.time).toISOString(), b.volume]),
    ).toEqual([
      ['2024-03-08T14:30:00.000Z', 240],
      ['2024-03-08T18:30:00.000Z', 150],
      ['2024-03-11T13:30:00.000Z', 240],
      ['2024-03-11T17:30:00.000Z', 150],
    ]);
    // 1h: 7 bars per session, the last one 15:30-16:00
    const hours = store.getBars('SPY', '1h').toArray();
    expect(hours).toHaveLength(14);
    expect(new Date(hours[13]!.time).toISOString()).toBe('2024-03-11T19:30:00.000Z');
    expect(hours[13]!.volume).toBe(30);
  });

  it('forward-fills short gaps between real bars (not before the first bar), counted and emitted in order', () => {
    const { store, aggregator, log } = setup(['1m', '5m'], { enabled: true, maxGapBars: 2 });
    aggregator.startSession(OPEN, at(30));
    push(aggregator, 2); // first bar: minutes 0 and 1 stay missing
    push(aggregator, 3);
    push(aggregator, 6); // gap of 2 (minutes 4, 5): filled with minute 3's close
    push(aggregator, 10); // gap of 3 (minutes 7, 8, 9): longer than maxGapBars, left alone
    aggregator.endSession(); // minutes 11..29 are not filled: fillToSessionClose is off

    const filledPrice = 3.25;
    expect(store.getBars('SPY', '1m').toArray()).toEqual([
      bar(at(2), 2, 2.5, 1.5, 2.25, 12),
      bar(at(3), 3, 3.5, 2.5, 3.25, 13),
      bar(at(4), filledPrice, filledPrice, filledPrice, filledPrice, 0, true),
      bar(at(5), filledPrice, filledPrice, filledPrice, filledPrice, 0, true),
      bar(at(6), 6, 6.5, 5.5, 6.25, 16),
      bar(at(10), 10, 10.5, 9.5, 10.25, 20),
    ]);
    // derived bars aggregate real bars only
    expect(store.getBars('SPY', '5m').toArray()).toEqual([
      bar(OPEN, 2, 3.5, 1.5, 3.25, 25),
      bar(at(5), 6, 6.5, 5.5, 6.25, 16),
      bar(at(10), 10, 10.5, 9.5, 10.25, 20),
    ]);
    expect(log).toEqual([
      '1m 0 @3',
      '1m 1 @4',
      '1m 2 @5',
      '5m 0 @5',
      '1m 3 @6',
      '1m 4 @7',
      '5m 1 @10',
      '1m 5 @11',
      '5m 2 @15',
    ]);
    const [base, fiveMinutes] = aggregator.getQualityReport()[0]!.series;
    expect(base).toEqual({
      symbol: 'SPY',
      interval: '1m',
      expected: 30,
      received: 4,
      filled: 2,
      percent: (4 / 30) * 100,
      baseInterval: '1m',
      expectedBars: 30,
      receivedBars: 4,
      partialBars: 0,
    });
    // in its own unit: six 5m bars expected, three built (minutes 2-3, 6 and 10), each from fewer than 5 real minutes
    expect(fiveMinutes).toEqual({
      symbol: 'SPY',
      interval: '5m',
      expected: 30,
      received: 4,
      filled: 0,
      percent: (4 / 30) * 100,
      baseInterval: '1m',
      expectedBars: 6,
      receivedBars: 3,
      partialBars: 3,
    });
  });

  it('fills to the session close only when asked and only within maxGapBars', () => {
    const run = (sessionMinutes: number, fillToSessionClose: boolean) => {
      const { store, aggregator } = setup(['1m'], { enabled: true, maxGapBars: 2, fillToSessionClose });
      aggregator.startSession(OPEN, at(sessionMinutes));
      push(aggregator, 0);
      aggregator.endSession();
      return store
        .getBars('SPY', '1m')
        .toArray()
        .map((b) => `${(b.time - OPEN) / MINUTE}${b.filled ? 'f' : ''}`);
    };
    expect(run(3, true)).toEqual(['0', '1f', '2f']);
    expect(run(3, false)).toEqual(['0']);
    expect(run(4, true)).toEqual(['0']);
  });

  it('counts quality per series and reports changes of the rounded percent only', () => {
    const { store, aggregator, quality } = setup(['1m', '5m']);
    aggregator.startSession(OPEN, at(10));
    for (const m of [0, 1, 3, 4, 5, 6, 7, 8, 9]) push(aggregator, m);
    expect(quality).toEqual([
      '1m 75.00',
      '1m 80.00',
      '5m 80.00',
      '1m 83.33',
      '1m 85.71',
      '1m 87.50',
      '1m 88.89',
      '1m 90.00',
      '5m 90.00',
    ]);
    expect(readQuality(store.getSeries('SPY', '1m')!)).toBe(90);
    expect(readQuality(store.getSeries('SPY', '5m')!)).toBe(90);
    aggregator.endSession();

    // a new session resets the counters (and reports the jump back to 100)
    aggregator.startSession(at(24 * 60), at(24 * 60 + 390));
    expect(quality.slice(-2)).toEqual(['1m 100.00', '5m 100.00']);
    expect(readQuality(store.getSeries('SPY', '1m')!)).toBe(100);
    // the clock alone makes bars expected
    push(aggregator, 24 * 60);
    aggregator.advanceTo(at(24 * 60 + 5));
    expect(readQuality(store.getSeries('SPY', '1m')!)).toBe(20);
    expect(readQuality(store.getSeries('SPY', '5m')!)).toBe(20);
    quality.length = 0;
    for (let m = 5; m < 390; m++) push(aggregator, 24 * 60 + m);
    aggregator.endSession();

    // the callback fired exactly when Math.round(percent) moved, far less often than per bar
    const expectedCalls: string[] = [];
    let rounded = 20;
    for (let m = 5; m < 390; m++) {
      const percent = ((m - 3) / (m + 1)) * 100;
      if (Math.round(percent) !== rounded) {
        rounded = Math.round(percent);
        expectedCalls.push(`1m ${percent.toFixed(2)}`);
      }
    }
    const baseCalls = quality.filter((q) => q.startsWith('1m '));
    expect(baseCalls).toEqual(expectedCalls);
    expect(baseCalls.length).toBeLessThan(100);

    const report = aggregator.getQualityReport();
    expect(
      report.map((s) => [s.complete, s.series.map((r) => [r.interval, r.expected, r.received])]),
    ).toEqual([
      [
        true,
        [
          ['1m', 10, 9],
          ['5m', 10, 9],
        ],
      ],
      [
        true,
        [
          ['1m', 390, 386],
          ['5m', 390, 386],
        ],
      ],
    ]);
  });

  it('counts each series in its own interval too: a clipped last bucket is complete with fewer slots', () => {
    const { aggregator } = setup(['1m', '5m', '1h']);
    aggregator.startSession(OPEN, at(65)); // 1h buckets: 0-60 and 60-65 (clipped)
    for (let m = 0; m < 65; m++) if (m !== 7) push(aggregator, m);
    aggregator.endSession();
    const [session] = aggregator.getQualityReport();
    expect(
      session!.series.map((r) => [
        r.interval,
        r.baseInterval,
        r.expectedBars,
        r.receivedBars,
        r.partialBars,
        r.expected,
        r.received,
      ]),
    ).toEqual([
      ['1m', '1m', 65, 64, 0, 65, 64],
      ['5m', '1m', 13, 13, 1, 65, 64],
      ['1h', '1m', 2, 2, 1, 65, 64],
    ]);
  });

  it('reports the running session as incomplete, with its numbers so far', () => {
    const { aggregator } = setup(['1m', '15m']);
    aggregator.startSession(OPEN, at(390));
    push(aggregator, 0);
    push(aggregator, 2);
    const [session] = aggregator.getQualityReport();
    expect(session).toMatchObject({ sessionOpen: OPEN, sessionClose: at(390), complete: false });
    expect(session!.series.map((r) => [r.interval, r.expected, r.received])).toEqual([
      ['1m', 3, 2],
      ['15m', 0, 0],
    ]);
    expect(session!.series.map((r) => [r.interval, r.expectedBars, r.receivedBars])).toEqual([
      ['1m', 3, 2],
      ['15m', 0, 0],
    ]);
  });

  it('rejects bars outside a session, out of order or outside the session hours', () => {
    const { aggregator } = setup(['1m']);
    expect(() => push(aggregator, 0)).toThrow(expect.objectContaining({ code: 'SESSION_NOT_STARTED' }));
    aggregator.startSession(OPEN, at(10));
    push(aggregator, 3);
    expect(() => push(aggregator, 3)).toThrow(
      /SPY 1m at 2024-03-11T13:33:00.000Z is not after the previous bar/,
    );
    expect(() => push(aggregator, 10)).toThrow(
      expect.objectContaining({
        code: 'BAR_OUT_OF_ORDER',
        message: expect.stringMatching(/outside the session/),
      }),
    );
    expect(() => aggregator.startSession(at(5), at(20))).toThrow(/starts before the previous session closed/);
    expect(() => aggregator.startSession(at(30), at(30))).toThrow(StratError);
  });

  it('builds the same bars, events and quality from rows of a chunk (pushBaseAt) as from loose values', () => {
    const minutes = [0, 1, 2, 4, 7, 8, 9, 14, 15, 29, 30, 31, 44, 59];
    const chunk = {
      symbol: 'SPY',
      length: minutes.length,
      time: Float64Array.from(minutes, (m) => at(m)),
      open: Float64Array.from(minutes, (m) => m),
      high: Float64Array.from(minutes, (m) => m + 0.5),
      low: Float64Array.from(minutes, (m) => m - 0.5),
      close: Float64Array.from(minutes, (m) => m + 0.25),
      volume: Float64Array.from(minutes, (m) => 10 + m),
    };
    const gapFill = { enabled: true, maxGapBars: 2 };
    const loose = setup(['1m', '5m', '15m', '1h'], gapFill);
    const rows = setup(['1m', '5m', '15m', '1h'], gapFill);
    for (const s of [loose, rows]) s.aggregator.startSession(OPEN, at(60));
    for (const m of minutes) push(loose.aggregator, m);
    for (let i = 0; i < minutes.length; i++) rows.aggregator.pushBaseAt(chunk, i);
    // A misplaced row is refused the same way, and leaves the aggregator as it was.
    expect(() => rows.aggregator.pushBaseAt(chunk, 3)).toThrow(/is not after the previous bar/);
    for (const s of [loose, rows]) s.aggregator.endSession();

    expect(rows.log).toEqual(loose.log);
    expect(rows.quality).toEqual(loose.quality);
    expect(rows.aggregator.getQualityReport()).toEqual(loose.aggregator.getQualityReport());
    for (const interval of ['1m', '5m', '15m', '1h'] as const) {
      expect(rows.store.getBars('SPY', interval).toArray()).toEqual(
        loose.store.getBars('SPY', interval).toArray(),
      );
    }
    expect(loose.store.getBars('SPY', '1h').toArray()).toEqual([bar(OPEN, 0, 59.5, -0.5, 59.25, 393)]);
  });
  it('validates streams and gap filler settings with config paths', () => {
    const store = new SessionData({ shared: false });
    const make = (streams: Interval[], gapFill?: GapFillOptions) => () =>
      new SymbolBarAggregator({ store, symbol: 'SPY', streams, onBar: () => {}, gapFill });
    const issuesOf = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).issues;
      }
      throw new Error('expected a ConfigError');
    };
    expect(issuesOf(make([]))).toEqual([
      { path: 'session_data_config.streams', message: 'needs at least one interval' },
    ]);
    expect(issuesOf(make(['5m', '7m', '1h', '60m']))).toEqual([
      { path: 'session_data_config.streams', message: '7m is not a whole multiple of the base stream 5m' },
      { path: 'session_data_config.streams', message: '60m is listed twice (or equals another interval)' },
    ]);
    // Buckets are clipped at the session's close: a weekly stream would hold daily bars.
    expect(issuesOf(make(['1m', '1d', '1w'])).map((i) => i.message)).toEqual([
      '1w is longer than a day: bars are built within one trading session, so streams go up to 1d ' +
        '(bars spanning several sessions, such as weekly ones, are not supported yet)',
    ]);
    expect(issuesOf(make(['2d'])).map((i) => i.message)[0]).toMatch(/^2d is longer than a day/);
    expect(make(['1m', '1d'])).not.toThrow();
    expect(issuesOf(make(['1m'], { enabled: true, maxGapBars: 0 }))[0]?.path).toBe(
      'session_data_config.gap_filler.max_gap_bars',
    );
    expect(make(['1m'], { enabled: false, maxGapBars: 0 })).not.toThrow();
  });
});
