import type { SessionSummary } from '@strat/runtime';
import { describe, expect, it } from 'vitest';
import { colorsFor } from '../terminal/colors';
import { deadStrategiesNote, formatMicros, formatWallTime, renderRunSummary } from './summary-table';

const plain = colorsFor({ isTTY: false }, {});

function summary(overrides: Partial<SessionSummary> = {}): SessionSummary {
  const metrics = {
    strategy: 'rsi_strategy',
    executor: 'worker' as const,
    state: 'stopped' as const,
    notifications_processed: 14_820,
    signals_generated: 102,
    errors: 2,
    queue_size: 0,
    avg_processing_time_us: 0.57,
    max_processing_time_us: 305.7,
    p99_processing_time_us: 5.15,
    overruns: 3,
  };
  return {
    state: 'completed',
    mode: 'backtest',
    speedMultiplier: 0,
    startDate: '2024-01-02',
    endDate: '2024-01-26',
    bars: {
      barsDone: 51_870,
      barsPublished: 62_244,
      barsOutsideSessions: 0,
      barsOnClosedDays: 0,
      closedDaysWithBars: [],
      holidays: [],
      lateBars: 0,
      barsReceived: 51_870,
      sessions: 19,
      startDate: '2024-01-02',
      endDate: '2024-01-26',
      stopped: false,
      wallMs: 400,
      replayMs: 380,
    },
    barsPerSecond: 47_429.7,
    wallMs: 1_093.6,
    signals: 102,
    metrics: {
      total_notifications_processed: 14_820,
      total_signals_generated: 102,
      total_errors: 0,
      total_overruns: 3,
      total_queue_size: 0,
      active_strategies: 0,
      strategies: 1,
      subscriptions: 2,
      slowest_strategy: undefined,
      per_strategy: [metrics],
    },
    quality: [
      {
        symbol: 'AAPL',
        interval: '1m',
        expected: 390,
        received: 386,
        filled: 4,
        percent: (386 / 390) * 100,
        baseInterval: '1m',
        expectedBars: 390,
        receivedBars: 386,
        partialBars: 0,
      },
    ],
    source: {
      rowsRead: 392,
      rowsSkipped: 1,
      problems: [{ file: 'a.csv', line: 7, message: 'high 9 is below low 10' }],
    },
    symbolsAdded: [],
    journal: undefined,
    feed: undefined,
    strategyErrors: [],
    error: undefined,
    ...overrides,
  };
}

describe('renderRunSummary', () => {
  it('writes counts of thousands with separators and singular nouns for one', () => {
    const base = summary();
    const bars = base.bars as NonNullable<SessionSummary['bars']>;
    const many = renderRunSummary(
      summary({
        bars: { ...bars, sessions: 2_458 },
        source: { rowsRead: 9_000, rowsSkipped: 1_204, problems: base.source.problems },
      }),
      plain,
    );
    expect(many).toContain('(62,244 published in all streams, 2,458 sessions)');
    expect(many).toContain('  1,204 bad data rows skipped, first ones:\n');
    const one = renderRunSummary(summary({ bars: { ...bars, sessions: 1 } }), plain);
    expect(one).toContain('(62,244 published in all streams, 1 session)');
  });

  it('shows the run, the strategies and bar quality', () => {
    const text = renderRunSummary(summary(), plain);
    expect(text).toContain('Session completed: backtest 2024-01-02 to 2024-01-26, data-driven\n');
    expect(text).toContain(
      '  51,870 bars (62,244 published in all streams, 19 sessions) in 1.09 s: 47,430 bars/s\n',
    );
    expect(text).toContain('  replay alone 380 ms: 136,500 bars/s\n');
    expect(text).toContain('  102 signals, no journal (add --out signals.jsonl)\n');
    expect(text).toContain('  1 bad data row skipped:\n    a.csv:7: high 9 is below low 10\n');
    expect(text).toMatch(/│ rsi_strategy │ worker +│ +14,820 │ +102 │ +2 │ +3 │ +0\.6 │ +5\.2 │ +306 │/);
    expect(text).toContain(
      "Bar quality (counts in bars of each row's interval; quality: 1m bars received / expected)\n",
    );
    expect(text).toMatch(/│ AAPL +│ 1m +│ +390 │ +386 │ +│ +4 │ +99\.0% │/);
    expect(text).not.toContain('outside the calendar');
  });

  it("counts each stream's bars in its own interval, with the percent strategies see", () => {
    // 19 sessions of 390 minutes: 7,410 one-minute bars, 1,482 five-minute bars
    const oneMinute = {
      symbol: 'AAPL',
      interval: '1m' as const,
      expected: 7_410,
      received: 7_410,
      filled: 0,
      percent: 100,
      baseInterval: '1m' as const,
      expectedBars: 7_410,
      receivedBars: 7_410,
      partialBars: 0,
    };
    const text = renderRunSummary(
      summary({
        quality: [
          oneMinute,
          { ...oneMinute, interval: '5m', expectedBars: 1_482, receivedBars: 1_482 },
          {
            ...oneMinute,
            symbol: 'MSFT',
            interval: '5m',
            received: 7_400,
            percent: (7_400 / 7_410) * 100,
            expectedBars: 1_482,
            receivedBars: 1_481,
            partialBars: 5,
          },
        ],
      }),
      plain,
    );
    expect(text).toMatch(/│ AAPL +│ 1m +│ +7,410 │ +7,410 │ +│ +0 │ +100% │/);
    expect(text).toMatch(/│ AAPL +│ 5m +│ +1,482 │ +1,482 │ +0 │ +│ +100% │/);
    expect(text).toMatch(/│ MSFT +│ 5m +│ +1,482 │ +1,481 │ +5 │ +│ +99\.9% │/);
    expect(text).not.toMatch(/│ 5m +│ +7,410/);
  });

  it('says how many bars fell outside the calendar (a custom calendar drops them)', () => {
    const base = summary();
    const text = renderRunSummary(
      summary({
        bars: { ...(base.bars as NonNullable<SessionSummary['bars']>), barsOutsideSessions: 1_234 },
      }),
      plain,
    );
    expect(text).toContain(
      "  1,234 bars outside the calendar's sessions skipped (not in session_data_config.calendar's days and hours)\n",
    );
  });

  it('names holidays in the range and bars on closed days', () => {
    const base = summary();
    const bars = base.bars as NonNullable<SessionSummary['bars']>;
    const text = renderRunSummary(
      summary({
        bars: {
          ...bars,
          holidays: [{ date: '2024-01-15', name: 'Martin Luther King Jr. Day' }],
          barsOnClosedDays: 390,
          closedDaysWithBars: [{ date: '2024-01-15', name: 'Martin Luther King Jr. Day', bars: 390 }],
        },
      }),
      plain,
    );
    expect(text).toContain(
      '  closed (holidays, no session, not missing): 2024-01-15 Martin Luther King Jr. Day\n',
    );
    expect(text).toContain(
      '  390 bars on days the exchange is closed (first 2024-01-15, Martin Luther King Jr. Day): the data or its time zone may be wrong, or the calendar\n',
    );
    const many = renderRunSummary(
      summary({
        bars: {
          ...bars,
          holidays: Array.from({ length: 7 }, (_, i) => ({ date: `2024-0${i + 1}-01`, name: `h${i}` })),
        },
      }),
      plain,
    );
    expect(many).toContain('2024-05-01 h4, and 2 more\n');
  });

  it('never reports a run whose strategies threw as a plain success', () => {
    const base = summary();
    const text = renderRunSummary(summary({ metrics: { ...base.metrics, total_errors: 3 } }), plain);
    expect(text.split('\n')[0]).toBe(
      'Session completed with strategy errors: backtest 2024-01-02 to 2024-01-26, data-driven',
    );
  });

  it('marks an interrupted, clock-driven run as partial', () => {
    const text = renderRunSummary(summary({ state: 'stopped', speedMultiplier: 600 }), plain, true);
    expect(text.split('\n')[0]).toBe(
      'Session interrupted: backtest 2024-01-02 to 2024-01-26, clock-driven at 600x (partial results)',
    );
  });

  it('describes a live session without a backtest pace', () => {
    const text = renderRunSummary(summary({ mode: 'live', startDate: '', endDate: '' }), plain);
    expect(text.split('\n')[0]).toBe('Session completed: live');
  });

  it('never reports a run with a dead strategy as a plain success', () => {
    const base = summary();
    const strategy = base.metrics.per_strategy[0] as SessionSummary['metrics']['per_strategy'][number];
    const withStates = (
      states: SessionSummary['metrics']['per_strategy'][number]['state'][],
      state = base.state,
    ) =>
      summary({
        state,
        metrics: {
          ...base.metrics,
          per_strategy: states.map((s, i) => ({ ...strategy, strategy: `s${i}`, state: s })),
        },
      });
    const timedOut = renderRunSummary(withStates(['timed_out', 'stopped']), plain);
    expect(timedOut.split('\n')[0]).toBe(
      'Session completed, 1 strategy timed out: backtest 2024-01-02 to 2024-01-26, data-driven',
    );
    expect(timedOut).toMatch(/│ s0 \(timed out\) │ worker +│/);
    expect(timedOut).toMatch(/│ s1 +│ worker +│/);
    const interrupted = renderRunSummary(withStates(['crashed', 'stopped'], 'stopped'), plain, true);
    expect(interrupted.split('\n')[0]).toBe(
      'Session interrupted: backtest 2024-01-02 to 2024-01-26, data-driven (partial results); 1 strategy crashed',
    );
    expect(interrupted).toMatch(/│ s0 \(crashed\) │/);
    expect(deadStrategiesNote(withStates(['crashed', 'timed_out', 'crashed', 'stopped']))).toBe(
      '2 strategies crashed, 1 timed out',
    );
    expect(deadStrategiesNote(withStates(['stopped', 'stopped']))).toBeUndefined();
  });

  it('formats times', () => {
    expect([formatMicros(0.57), formatMicros(99.94), formatMicros(6128.2)]).toEqual(['0.6', '99.9', '6,128']);
    expect([formatWallTime(850), formatWallTime(1_093.6), formatWallTime(125_000)]).toEqual([
      '850 ms',
      '1.09 s',
      '2m05s',
    ]);
  });

  it('shows a live run: the clock, bars from the feed, reconnects and gaps, no replay rate', () => {
    const live = summary({
      mode: 'live',
      speedMultiplier: 1,
      startDate: '2024-01-02',
      endDate: '2024-01-03',
      bars: {
        barsDone: 1_556,
        barsPublished: 1_867,
        barsOutsideSessions: 0,
        sessions: 2,
        stopped: false,
        wallMs: 5_000,
        replayMs: 4_800,
        lateBars: 2,
        barsReceived: 1_558,
        startDate: '2024-01-02',
        endDate: '2024-01-03',
      } as SessionSummary['bars'],
      source: { rowsRead: 1_558, rowsSkipped: 2, problems: [{ message: 'AAPL bar of 15:01 arrived late' }] },
    });
    const facts = {
      feedUrl: 'ws://127.0.0.1:8765/',
      clock: 'feed' as const,
      speed: 600,
      reconnects: 1,
      staleFeeds: 0,
      gaps: 2,
      gapMinutes: 7,
    };
    const text = renderRunSummary(live, plain, false, facts);
    expect(text).toMatch(/^Session completed: live 2024-01-02 to 2024-01-03, feed clock at 600x\n/);
    expect(text).toContain(
      '  1,556 bars from the feed (1,867 published in all streams, 2 sessions) in 1.09 s; 2 late bars dropped\n',
    );
    expect(text).toContain('  feed ws://127.0.0.1:8765/: 1 reconnect, 2 gaps (7 minutes missed)\n');
    expect(text).toContain('  2 feed bars skipped, first ones:\n    AAPL bar of 15:01 arrived late\n');
    expect(text).not.toContain('replay alone');
    const calm = renderRunSummary({ ...live, state: 'stopped' }, plain, true, {
      ...facts,
      clock: 'wall',
      reconnects: 0,
      gaps: 0,
    });
    expect(calm).toMatch(
      /^Session interrupted: live 2024-01-02 to 2024-01-03, wall clock \(partial results\)/,
    );
    expect(calm).toContain('  feed ws://127.0.0.1:8765/: no reconnects, no gaps\n');
  });
});
