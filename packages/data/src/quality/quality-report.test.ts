import { describe, expect, it } from 'vitest';
import { mergeQualityReports, type SeriesQualityRecord, type SessionQualityReport } from './quality-report';

const record = (symbol: string, received: number): SeriesQualityRecord => ({
  symbol,
  interval: '1m',
  expected: 10,
  received,
  filled: 0,
  percent: received * 10,
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
