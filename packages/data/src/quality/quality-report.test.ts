import { describe, expect, it } from 'vitest';
import {
  mergeQualityReports,
  type SeriesQualityRecord,
  type SessionQualityReport,
  summarizeQuality,
} from './quality-report';

const record = (symbol: string, received: number): SeriesQualityRecord => ({
  symbol,
  interval: '1m',
  expected: 10,
  received,
  filled: 0,
  percent: received * 10,
  baseInterval: '1m',
  expectedBars: 10,
  receivedBars: received,
  partialBars: 0,
});

describe('mergeQualityReports', () => {
  it('groups per-symbol reports by session, sessions in time order', () => {
    const day1: SessionQualityReport = {
      sessionOpen: 1000,
      sessionClose: 2000,
      complete: true,
      series: [record('AAA', 9)],
    };
    const day2: SessionQualityReport = {
      sessionOpen: 5000,
      sessionClose: 6000,
      complete: false,
      series: [record('AAA', 3)],
    };
    const bbbDay2: SessionQualityReport = { ...day2, complete: true, series: [record('BBB', 10)] };
    const merged = mergeQualityReports([[day1, day2], [bbbDay2]]);
    expect(merged).toEqual([
      day1,
      {
        sessionOpen: 5000,
        sessionClose: 6000,
        complete: false,
        series: [record('AAA', 3), record('BBB', 10)],
      },
    ]);
    expect(mergeQualityReports([[bbbDay2], [day1]]).map((s) => s.sessionOpen)).toEqual([1000, 5000]);
    // the inputs are left untouched
    expect(day2.series).toHaveLength(1);
  });
});

describe('summarizeQuality', () => {
  it('sums each series over the sessions in both units; the percent stays the base-bar measure', () => {
    const fiveMinutes = (expectedBars: number, receivedBars: number, partialBars: number, received: number) =>
      ({
        symbol: 'AAA',
        interval: '5m',
        expected: expectedBars * 5,
        received,
        filled: 0,
        percent: (received / (expectedBars * 5)) * 100,
        baseInterval: '1m',
        expectedBars,
        receivedBars,
        partialBars,
      }) satisfies SeriesQualityRecord;
    const sessions: SessionQualityReport[] = [
      {
        sessionOpen: 0,
        sessionClose: 390,
        complete: true,
        series: [record('AAA', 9), fiveMinutes(78, 78, 0, 390)],
      },
      {
        sessionOpen: 1000,
        sessionClose: 1390,
        complete: true,
        series: [record('AAA', 5), fiveMinutes(78, 70, 4, 340)],
      },
    ];
    expect(summarizeQuality(sessions)).toEqual([
      { ...record('AAA', 14), expected: 20, expectedBars: 20, percent: 70 },
      {
        ...fiveMinutes(156, 148, 4, 730),
        percent: (730 / 780) * 100,
      },
    ]);
  });
});
