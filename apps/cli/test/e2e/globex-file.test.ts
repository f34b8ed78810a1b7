import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionSummary } from '@strat/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvInspection } from '../../src/data/inspect-csv';
import { runStrat, scratchDir } from '../strat-process';

describe('a CME Globex 1-minute file (issue 15: "reports correct sessions")', () => {
  const scratch = scratchDir('globex-file');
  let file = '';

  beforeAll(async () => {
    // Christmas week 2024: Monday's session opens Sunday 18:00, Christmas Eve halts at 13:15, Christmas is closed.
    const made = await runStrat([
      'data',
      'generate',
      '--symbols',
      'ES',
      '--from',
      '2024-12-23',
      '--to',
      '2024-12-27',
      '--calendar',
      'cme_globex_equity',
      '--interval',
      '1m',
      '--out',
      scratch.dir,
    ]);
    expect(made.code, made.stderr).toBe(0);
    file = join(scratch.dir, 'ES-1m.csv');
  });
  afterAll(() => scratch.remove());

  it('has one session per date the bars end on, the evening bars in the next day, Christmas closed not missing', async () => {
    const json = await runStrat(['data', 'inspect', file, '--calendar', 'cme_globex_equity', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const report = JSON.parse(json.stdout) as CsvInspection;
    expect(report.first).toBe('2024-12-22T23:00:00.000Z'); // Sunday 18:00 New York: Monday's session
    expect(report.sessions.map((s) => [s.date, s.bars, s.expected, s.quality])).toEqual([
      ['2024-12-23', 23 * 60, 23 * 60, 100],
      ['2024-12-24', 19.25 * 60, 19.25 * 60, 100],
      ['2024-12-26', 23 * 60, 23 * 60, 100],
      ['2024-12-27', 23 * 60, 23 * 60, 100],
    ]);
    expect(report).toMatchObject({
      interval: '1m',
      quality: 100,
      emptySessions: [],
      holidays: [{ date: '2024-12-25', name: 'Christmas' }],
      barsOutsideSessions: 0,
      barsOnClosedDays: 0,
    });
  });

  it('gives strat run one daily bar per session, each complete (quality 100 % in its own unit)', async () => {
    const config = join(scratch.dir, 'globex.json');
    writeFileSync(
      config,
      JSON.stringify({
        mode: 'backtest',
        backtest_config: { start_date: '2024-12-23', end_date: '2024-12-27' },
        session_data_config: {
          symbols: ['ES'],
          streams: ['1m', '1d'],
          calendar: { preset: 'cme_globex_equity' },
          strategies: [],
        },
        data_config: { source: 'csv', files: [{ path: 'ES-1m.csv', symbol: 'ES' }] },
      }),
    );
    const run = await runStrat(['run', config, '--json', '--log-level', 'error']);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as SessionSummary;
    expect(summary.bars).toMatchObject({
      sessions: 4,
      barsDone: (3 * 23 + 19.25) * 60,
      barsOutsideSessions: 0,
      holidays: [{ date: '2024-12-25', name: 'Christmas' }],
    });
    expect(summary.quality.map((q) => [q.interval, q.expectedBars, q.receivedBars, q.percent])).toEqual([
      ['1m', (3 * 23 + 19.25) * 60, (3 * 23 + 19.25) * 60, 100],
      ['1d', 4, 4, 100],
    ]);
  });
});
