import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvFileConfigSchema, type Interval } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { DataProcessor } from '../processor/data-processor';
import { CsvBarSource } from '../sources/csv/csv-bar-source';
import { GeneratorBarSource } from '../sources/generator/generator-bar-source';
import { SessionData } from '../store/session-data';
import { TradingCalendar } from './trading-calendar';

const HOUR = 3_600_000;

async function replay(calendar: TradingCalendar, streams: Interval[], startDate: string, endDate: string) {
  const store = new SessionData({ window: 20_000 });
  const source = new GeneratorBarSource({ calendar, seed: 11, missing_bar_rate: 0 });
  const processor = new DataProcessor({
    store,
    source,
    calendar,
    symbols: ['ES'],
    streams,
    startDate,
    endDate,
  });
  const summary = await processor.run();
  return { store, summary, quality: processor.getQualityReport() };
}

describe('calendar oracles (issue 15)', () => {
  it('a US daily file with every NYSE trading day 1995-2014 reports 100 % quality under us_equities', async () => {
    const calendar = TradingCalendar.usEquities();
    const sessions = calendar.sessions('1995-01-01', '2014-12-31');
    const rows = sessions.map(
      (s, i) => `${s.date},${100 + (i % 7)},${102 + (i % 7)},${99 + (i % 7)},${101 + (i % 7)},1000`,
    );
    const dir = mkdtempSync(join(tmpdir(), 'strat-us-daily-'));
    writeFileSync(join(dir, 'daily.csv'), ['Date,Open,High,Low,Close,Volume', ...rows].join('\n'));
    const source = new CsvBarSource({
      files: [csvFileConfigSchema.parse({ path: 'daily.csv', symbol: 'SPY', interval: '1d' })],
      calendar,
      baseDir: dir,
    });
    const processor = new DataProcessor({
      store: new SessionData({ window: 8_000 }),
      source,
      calendar,
      symbols: ['SPY'],
      streams: ['1d'],
      startDate: '1995-01-01',
      endDate: '2014-12-31',
    });
    const summary = await processor.run();
    // 5,036 trading days; a calendar without holidays expected 5,217 (the 96.5 % of the issue).
    expect(sessions.length).toBe(5036);
    expect(summary.sessions).toBe(5036);
    expect(summary.barsOutsideSessions).toBe(0);
    expect(processor.getQualitySummary()).toEqual([
      {
        symbol: 'SPY',
        interval: '1d',
        expected: 5036,
        received: 5036,
        filled: 0,
        percent: 100,
        baseInterval: '1d',
        expectedBars: 5036,
        receivedBars: 5036,
        partialBars: 0,
      },
    ]);
  });

  it('a Globex week (Sunday evening start, daily break, Thanksgiving halts) gives one 1d bar per session and 100 % quality', async () => {
    const calendar = TradingCalendar.fromConfig({ preset: 'cme_globex_equity' });
    const { store, summary, quality } = await replay(
      calendar,
      ['1m', '1h', '1d'],
      '2024-11-25',
      '2024-11-29',
    );
    const sessions = calendar.sessions('2024-11-25', '2024-11-29');
    expect(sessions.map((s) => (s.close - s.open) / HOUR)).toEqual([23, 23, 23, 19, 19.25]);
    const minutes = sessions.reduce((n, s) => n + (s.close - s.open) / 60_000, 0);
    expect(summary.sessions).toBe(5);
    expect(summary.barsDone).toBe(minutes);
    expect(summary.barsOutsideSessions).toBe(0);
    for (const session of quality) {
      for (const series of session.series) expect(series.percent, `${series.interval}`).toBe(100);
    }
    const daily = store.getBars('ES', '1d');
    const oneMinute = store.getBars('ES', '1m');
    expect(daily.length).toBe(5);
    let first = 0;
    for (let d = 0; d < daily.length; d++) {
      const session = sessions[d] as (typeof sessions)[number];
      // The daily bar starts at the session open, the evening before its date (Sunday 18:00 for Monday).
      expect(daily.time.get(d)).toBe(session.open);
      let high = Number.NEGATIVE_INFINITY;
      let low = Number.POSITIVE_INFINITY;
      let volume = 0;
      let last = first;
      while (last < oneMinute.length && oneMinute.time.get(last) < session.close) {
        high = Math.max(high, oneMinute.high.get(last));
        low = Math.min(low, oneMinute.low.get(last));
        volume += oneMinute.volume.get(last);
        last++;
      }
      expect(last - first).toBe((session.close - session.open) / 60_000);
      expect(daily.open.get(d)).toBe(oneMinute.open.get(first));
      expect(daily.close.get(d)).toBe(oneMinute.close.get(last - 1));
      expect(daily.high.get(d)).toBe(high);
      expect(daily.low.get(d)).toBe(low);
      expect(daily.volume.get(d)).toBeCloseTo(volume, 6);
      first = last;
    }
    expect(new Date(daily.time.get(0)).toISOString()).toBe('2024-11-24T23:00:00.000Z');
  });

  it('a Globex Christmas week has no session on the holiday and none in the daily break', async () => {
    const calendar = TradingCalendar.fromConfig({ preset: 'cme_globex_equity' });
    const { store, summary, quality } = await replay(calendar, ['1m', '1d'], '2024-12-23', '2024-12-27');
    expect(summary.sessions).toBe(4);
    expect(quality.map((q) => new Date(q.sessionOpen).toISOString())).toEqual([
      '2024-12-22T23:00:00.000Z',
      '2024-12-23T23:00:00.000Z',
      '2024-12-25T23:00:00.000Z',
      '2024-12-26T23:00:00.000Z',
    ]);
    const oneMinute = store.getBars('ES', '1m');
    for (let i = 0; i < oneMinute.length; i++) {
      const time = oneMinute.time.get(i);
      expect(calendar.sessionAt(time)).toBeDefined();
      expect(calendar.holidayOn(calendar.sessionDateOf(time))).toBeUndefined();
    }
  });

  it('DST inside overnight sessions, March and November: 22 h and 24 h sessions, one daily bar each', async () => {
    const calendar = new TradingCalendar({
      timezone: 'America/New_York',
      open: '18:00',
      close: '17:00',
      weekdays: [0, 1, 2, 3, 4, 5, 6],
    });
    for (const [from, to, hours] of [
      ['2024-03-09', '2024-03-11', [23, 22, 23]],
      ['2024-11-02', '2024-11-04', [23, 24, 23]],
    ] as const) {
      const { store, summary, quality } = await replay(calendar, ['1m', '1d'], from, to);
      const sessions = calendar.sessions(from, to);
      expect(sessions.map((s) => (s.close - s.open) / HOUR)).toEqual(hours);
      expect(summary.barsDone).toBe(hours.reduce((a, b) => a + b, 0) * 60);
      const daily = store.getBars('ES', '1d');
      expect(daily.length).toBe(3);
      expect([0, 1, 2].map((i) => daily.time.get(i))).toEqual(sessions.map((s) => s.open));
      for (const session of quality) {
        for (const series of session.series) expect(series.percent).toBe(100);
      }
    }
  });
});

describe('bars on closed days', () => {
  it('counts bars on a holiday or weekend apart from bars outside the hours, and names the day', async () => {
    const calendar = TradingCalendar.usEquities();
    const dir = mkdtempSync(join(tmpdir(), 'strat-closed-'));
    // A file in UTC read as New York time: the Friday 2024-01-12 evening rows fall on Saturday, and
    // the holiday 2024-01-15 (MLK day) has rows; 16:30 on a trading day is only outside the hours.
    const rows = [
      '2024-01-12T15:00:00-05:00',
      '2024-01-12T16:30:00-05:00',
      '2024-01-13T10:00:00-05:00',
      '2024-01-15T10:00:00-05:00',
      '2024-01-15T10:01:00-05:00',
      '2024-01-16T10:00:00-05:00',
    ].map((time) => `${time},1,1,1,1,1`);
    writeFileSync(join(dir, 'x.csv'), ['timestamp,open,high,low,close,volume', ...rows].join('\n'));
    const source = new CsvBarSource({
      files: [csvFileConfigSchema.parse({ path: 'x.csv', symbol: 'X' })],
      calendar,
      baseDir: dir,
    });
    const summary = await new DataProcessor({
      store: new SessionData(),
      source,
      calendar,
      symbols: ['X'],
      streams: ['1m'],
      startDate: '2024-01-12',
      endDate: '2024-01-16',
    }).run();
    expect(summary.barsDone).toBe(2);
    expect(summary.barsOutsideSessions).toBe(4);
    expect(summary.barsOnClosedDays).toBe(3);
    expect(summary.closedDaysWithBars).toEqual([
      { date: '2024-01-13', name: 'not a trading weekday', bars: 1 },
      { date: '2024-01-15', name: 'Martin Luther King Jr. Day', bars: 2 },
    ]);
    // The replay's range holds one holiday: named in the summary, closed rather than missing.
    expect(summary.holidays).toEqual([{ date: '2024-01-15', name: 'Martin Luther King Jr. Day' }]);
  });
});
