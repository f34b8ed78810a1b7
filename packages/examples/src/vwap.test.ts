import { type BarInput, type Signal, SignalAction } from '@strat/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { configIssuesOf } from './testing/config-issues-of';
import { FakeSession, localSessionDates, replay } from './testing/fake-session';
import { type VwapConfig, VwapStrategy } from './vwap';

const { BUY, SELL } = SignalAction;
const OPEN_NY = Date.UTC(2024, 2, 4, 14, 30); // Monday 4 March 2024, 09:30 in New York
const MINUTE = 60_000;

function started(config: VwapConfig, session = new FakeSession()): VwapStrategy {
  const strategy = new VwapStrategy('vwap', config);
  expect(strategy.setup(session)).toBe(true);
  return strategy;
}

/** Bars from [close, volume] pairs, one minute apart from `start`; high = low = close. */
function bars(rows: Array<[number, number]>, start = OPEN_NY): BarInput[] {
  return rows.map(([close, volume], i) => ({
    time: start + i * MINUTE,
    open: close,
    high: close,
    low: close,
    close,
    volume,
  }));
}

/** The session dates of CME Globex: the New York date, the next one from 18:00 on. */
const GLOBEX_DATES = localSessionDates('America/New_York', 18 * 3_600_000);

function run(
  input: BarInput[],
  config: Partial<VwapConfig> = {},
  sessionDateOf?: (time: number) => string,
): Array<{ index: number; signal: Signal }> {
  const session = new FakeSession(sessionDateOf === undefined ? {} : { sessionDateOf }).openSeries(
    'AAA',
    '1m',
  );
  const strategy = started({ symbols: ['AAA'], ...config }, session);
  return replay(strategy, session, 'AAA', '1m', input);
}

function actions(
  input: BarInput[],
  config: Partial<VwapConfig> = {},
  sessionDateOf?: (time: number) => string,
): Array<[number, string]> {
  return run(input, config, sessionDateOf).map(({ index, signal }) => [index, signal.action]);
}

describe('VwapStrategy signals', () => {
  it('trades closes crossing the VWAP (threshold 0)', () => {
    // VWAP: 100, 99.5 (close 99 < 99.5 after 100 >= 100: SELL), 100 (close 101 > 100: BUY)
    expect(
      actions(
        bars([
          [100, 100],
          [99, 100],
          [101, 100],
        ]),
        { threshold_pct: 0 },
      ),
    ).toEqual([
      [1, SELL],
      [2, BUY],
    ]);
  });

  it('needs the close beyond the band, not just the VWAP (threshold 1 %)', () => {
    // bar 2: VWAP 100, upper band 101, close 101 is not above it
    // bar 3: VWAP 100.75, upper band 101.7575, close 103 -> BUY (101 <= 101 before)
    expect(
      actions(
        bars([
          [100, 100],
          [99, 100],
          [101, 100],
          [103, 100],
        ]),
        { threshold_pct: 1 },
      ),
    ).toEqual([[3, BUY]]);
  });

  it('never repeats the same action in a row', () => {
    const rows: Array<[number, number]> = [
      [100, 100],
      [99, 100],
      [101, 100],
      [99, 1000],
      [103, 1000],
    ];
    // threshold 0: SELL, BUY, SELL, BUY alternate, so all pass
    expect(actions(bars(rows), { threshold_pct: 0 }).map(([, a]) => a)).toEqual([SELL, BUY, SELL, BUY]);
    // a BUY, a drop into the band (no SELL) and a new break upwards: the second BUY is suppressed
    // (threshold 0.5 %: VWAP 105 then 105 with the close back inside the band, then 107.5)
    const again: Array<[number, number]> = [
      [100, 100],
      [110, 100],
      [105, 100],
      [115, 100],
    ];
    expect(actions(bars(again), { threshold_pct: 0.5 })).toEqual([[1, BUY]]);
  });

  it('starts the VWAP over each New York day and compares nothing across the boundary', () => {
    const dayOne = bars([
      [100, 100],
      [100, 100],
    ]);
    // next morning the price opens far below yesterday's VWAP, and below its own typical price
    // (48.33): not a SELL, since its first bar has nothing of the same session to compare with
    const nextMorning = OPEN_NY + 86_400_000;
    const dayTwo: BarInput[] = [
      { time: nextMorning, open: 50, high: 60, low: 40, close: 45, volume: 100 },
      { time: nextMorning + MINUTE, open: 52, high: 52, low: 52, close: 52, volume: 100 },
    ];
    const got = run([...dayOne, ...dayTwo], { threshold_pct: 0 });
    expect(got.map(({ index, signal }) => [index, signal.action])).toEqual([[3, BUY]]);
    // day two alone: (48.33 * 100 + 52 * 100) / 200
    expect(got[0]?.signal.metadata.vwap).toBeCloseTo((145 / 3 + 52) / 2, 12);
  });

  it('with the deprecated session_timezone, resets at midnight of that zone, not of UTC, and warns', () => {
    // 14:58 and 14:59 UTC are the 4th in Tokyo, 15:00 is the 5th there (and still the 4th in UTC)
    const input = bars(
      [
        [100, 100],
        [100, 100],
        [80, 100],
        [90, 100],
      ],
      Date.UTC(2024, 2, 4, 14, 58),
    );
    // Tokyo: the 80 bar opens a new session (VWAP 80), then 90 > 85 -> BUY
    expect(actions(input, { threshold_pct: 0, session_timezone: 'Asia/Tokyo' })).toEqual([[3, BUY]]);
    // UTC: one session; 80 falls below 93.3 -> SELL, then 90 < 92.5 stays below
    expect(actions(input, { threshold_pct: 0, session_timezone: 'UTC' })).toEqual([[2, SELL]]);
    // The session's dates are ignored then (Globex would start a session at 18:00 New York, 23:00Z).
    expect(actions(input, { threshold_pct: 0, session_timezone: 'UTC' }, GLOBEX_DATES)).toEqual([[2, SELL]]);
    const session = new FakeSession();
    started({ symbols: ['AAA'], session_timezone: 'Asia/Tokyo' }, session);
    expect(session.messages('warn')).toEqual([
      expect.stringMatching(/^session_timezone is deprecated: .*calendar day of Asia\/Tokyo/),
    ]);
    const calendar = new FakeSession();
    started({ symbols: ['AAA'] }, calendar);
    expect(calendar.messages('warn')).toEqual([]);
  });

  it('resets when the session date of the calendar changes (the 18:00 bars of Globex are the next day)', () => {
    // Same New York day, two Globex session dates: the 18:00 bar opens the next session.
    const input = bars(
      [
        [100, 100],
        [100, 100],
        [80, 100],
        [90, 100],
      ],
      Date.UTC(2024, 2, 5, 22, 58),
    );
    expect(actions(input, { threshold_pct: 0 }, GLOBEX_DATES)).toEqual([[3, BUY]]);
    expect(actions(input, { threshold_pct: 0 })).toEqual([[2, SELL]]);
  });

  it('under a Globex calendar resets at the session start (18:00), not at midnight', () => {
    // 17:58, 17:59, 18:00, 18:01 New York time (EST) on Tuesday 5 March 2024.
    const input = bars(
      [
        [100, 100],
        [100, 100],
        [80, 100],
        [90, 100],
      ],
      Date.UTC(2024, 2, 5, 22, 58),
    );
    // 18:00 opens Wednesday's session: VWAP 80, then 90 > 85 -> BUY
    expect(actions(input, { threshold_pct: 0 }, GLOBEX_DATES)).toEqual([[3, BUY]]);
    // Calendar days: one session; 80 falls below the VWAP -> SELL
    expect(actions(input, { threshold_pct: 0 })).toEqual([[2, SELL]]);
    // Midnight is inside a Globex session: no reset there.
    const overMidnight = bars(
      [
        [100, 100],
        [100, 100],
        [80, 100],
        [90, 100],
      ],
      Date.UTC(2024, 2, 6, 4, 58),
    );
    expect(actions(overMidnight, { threshold_pct: 0 }, GLOBEX_DATES)).toEqual([[2, SELL]]);
  });

  it('leaves bars with zero volume out of the VWAP', () => {
    const input = bars([
      [100, 100],
      [100, 0],
      [200, 0], // a zero-volume print far away does not drag the VWAP up (it stays 100)...
      [99, 100], // ...so this close is below it: SELL with VWAP (100 + 99) / 2
    ]);
    const got = run(input, { threshold_pct: 0 });
    expect(got.map(({ index, signal }) => [index, signal.action])).toEqual([
      [2, BUY],
      [3, SELL],
    ]);
    expect(got[1]?.signal.metadata.vwap).toBe(99.5);
    expect(got[0]?.signal.metadata.vwap).toBe(100);
  });

  it('gives nothing before any volume traded in the session', () => {
    expect(
      actions(
        bars([
          [100, 0],
          [90, 0],
          [110, 0],
        ]),
        { threshold_pct: 0 },
      ),
    ).toEqual([]);
  });

  it('reports price, reason and metadata', () => {
    const [first] = run(
      bars([
        [100, 100],
        [99, 100],
      ]),
      { threshold_pct: 0.1 },
    );
    expect(first?.signal.toJSON()).toEqual({
      symbol: 'AAA',
      action: SELL,
      price: 99,
      reason: 'close crossed below VWAP - 0.1%',
      metadata: { vwap: 99.5, interval: '1m' },
    });
  });

  it('skips bars whose series quality is below min_quality', () => {
    const session = new FakeSession().openSeries('AAA', '1m');
    const strategy = started({ symbols: ['AAA'], threshold_pct: 0 }, session);
    session.setQuality('AAA', '1m', 50);
    expect(
      replay(
        strategy,
        session,
        'AAA',
        '1m',
        bars([
          [100, 100],
          [99, 100],
        ]),
      ),
    ).toEqual([]);
  });
});

const referenceDay = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The session date written out: the New York day, or for Globex the New York day six hours later (18:00 -> 00:00). */
function referenceDate(time: number, globex: boolean): string {
  return referenceDay.format(globex ? time + 6 * 3_600_000 : time);
}

/** The rules written out over whole arrays, with New York days from `Intl` directly. */
function referenceActions(
  input: BarInput[],
  thresholdPct: number,
  notified: (i: number) => boolean,
  globex = false,
) {
  const out: Array<[number, string]> = [];
  let day = '';
  let priceVolume = 0;
  let volume = 0;
  let previous: { close: number; upper: number; lower: number } | undefined;
  let last: string | undefined;
  input.forEach((bar, i) => {
    const today = referenceDate(bar.time, globex);
    if (today !== day) {
      day = today;
      priceVolume = 0;
      volume = 0;
      previous = undefined;
    }
    if (bar.volume > 0) {
      priceVolume += ((bar.high + bar.low + bar.close) / 3) * bar.volume;
      volume += bar.volume;
    }
    const vwap = volume > 0 ? priceVolume / volume : Number.NaN;
    const now = {
      close: bar.close,
      upper: vwap * (1 + thresholdPct / 100),
      lower: vwap * (1 - thresholdPct / 100),
    };
    if (notified(i) && previous !== undefined) {
      const action =
        previous.close <= previous.upper && now.close > now.upper
          ? BUY
          : previous.close >= previous.lower && now.close < now.lower
            ? SELL
            : undefined;
      if (action !== undefined && action !== last) {
        out.push([i, action]);
        last = action;
      }
    }
    previous = now;
  });
  return out;
}

describe('VwapStrategy against a reference', () => {
  const barRow = fc.record({
    gapHours: fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 20 })),
    low: fc.double({ min: 95, max: 105, noNaN: true }),
    range: fc.double({ min: 0, max: 2, noNaN: true }),
    closeAt: fc.double({ min: 0, max: 1, noNaN: true }),
    volume: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5000 })),
  });

  it('gives the signals of a plain computation over several days, with skipped notifications (New York days and Globex sessions)', () => {
    fc.assert(
      fc.property(
        fc.array(barRow, { minLength: 1, maxLength: 150 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.array(fc.boolean(), { minLength: 150, maxLength: 150 }),
        fc.boolean(),
        fc.constantFrom(
          Date.UTC(2024, 2, 5, 3, 0),
          Date.UTC(2024, 2, 9, 20, 0),
          Date.UTC(2024, 10, 2, 20, 0),
        ),
        (rows, thresholdPct, skipped, globex, start) => {
          // start at 22:00 New York so that midnight comes early, or on the weekends of the DST changes
          let time = start;
          const input: BarInput[] = rows.map((r) => {
            time += r.gapHours * 3_600_000 + MINUTE;
            const close = r.low + r.range * r.closeAt;
            return { time, open: close, high: r.low + r.range, low: r.low, close, volume: r.volume };
          });
          const notified = (i: number) => !skipped[i];
          const session = new FakeSession(globex ? { sessionDateOf: GLOBEX_DATES } : {}).openSeries(
            'AAA',
            '1m',
          );
          const strategy = started({ symbols: ['AAA'], threshold_pct: thresholdPct }, session);
          const got = replay(strategy, session, 'AAA', '1m', input, notified);
          expect(got.map(({ index, signal }) => [index, signal.action])).toEqual(
            referenceActions(input, thresholdPct, notified, globex),
          );
        },
      ),
    );
  });
});

describe('VwapStrategy config', () => {
  const bad: Array<[string, VwapConfig, string]> = [
    ['no symbols', {}, 'symbols'],
    ['a negative threshold', { symbols: ['A'], threshold_pct: -0.1 }, 'threshold_pct'],
    ['a threshold of 100 %', { symbols: ['A'], threshold_pct: 100 }, 'threshold_pct'],
    ['an unknown time zone', { symbols: ['A'], session_timezone: 'New York' }, 'session_timezone'],
    ['the removed session_start', { symbols: ['A'], session_start: '18:00' as never }, 'session_start'],
    ['a bad interval', { symbols: ['A'], interval: '' as never }, 'interval'],
  ];

  it.each(bad)('refuses %s, saying where', (_, config, path) => {
    expect(configIssuesOf(() => new VwapStrategy('vwap', config)).map((i) => i.path)).toEqual([path]);
  });

  it('lists every problem in document order', () => {
    const issues = configIssuesOf(
      () => new VwapStrategy('vwap', { threshold_pct: -1, min_quality: 101, session_timezone: 'New York' }),
    );
    expect(issues.map((i) => i.path)).toEqual([
      'threshold_pct',
      'min_quality',
      'session_timezone',
      'symbols',
    ]);
    expect(issues[2]?.message).toMatch(/^unknown time zone "New York"/);
  });

  it('says what replaced session_start', () => {
    const [issue] = configIssuesOf(
      () => new VwapStrategy('vwap', { symbols: ['A'], session_start: '18:00' as never }),
    );
    expect(issue?.message).toMatch(/^session_start was removed: .*"preset": "cme_globex_equity"/);
  });

  it('applies the defaults', () => {
    expect(started({ symbols: ['A'] }).getSubscriptions()).toEqual([['A', '1m']]);
  });
});
