import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CsvInspection } from '../../src/data/inspect-csv';
import { runStrat, scratchDir } from '../strat-process';

let scratch: ReturnType<typeof scratchDir>;

beforeAll(() => {
  scratch = scratchDir('inspect-intervals');
});

afterAll(() => scratch.remove());

/** 2024-01-02 to 2024-01-12: nine US equity sessions of 390 minutes, no holiday. */
const FROM = '2024-01-02';
const TO = '2024-01-12';
const SESSIONS = ['02', '03', '04', '05', '08', '09', '10', '11', '12'].map((d) => `2024-01-${d}`);

/** Writes generated bars with `strat data generate` and returns the file. */
async function generate(
  symbol: string,
  interval: string,
  extra: string[] = [],
): Promise<{ file: string; bars: number }> {
  const out = join(scratch.dir, symbol);
  const result = await runStrat([
    'data',
    'generate',
    '--symbols',
    symbol,
    '--from',
    FROM,
    '--to',
    TO,
    '--interval',
    interval,
    '--seed',
    '11',
    '--out',
    out,
    ...extra,
  ]);
  expect(result.code, result.stderr).toBe(0);
  const file = join(out, `${symbol}-${interval}.csv`);
  const bars = readFileSync(file, 'utf8').trim().split('\n').length - 1;
  return { file, bars };
}

async function inspect(file: string, ...options: string[]): Promise<CsvInspection> {
  const result = await runStrat(['data', 'inspect', file, '--json', ...options]);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as CsvInspection;
}

describe('strat data inspect infers the interval and measures each file in it', () => {
  it.each([
    { interval: '1m', perSession: 390 },
    { interval: '5m', perSession: 78 },
    { interval: '1h', perSession: 7 }, // 09:30 to 15:30, the last one clipped at the close
    { interval: '1d', perSession: 1 },
  ])('a complete $interval file: every session full, no gap, 100 %', async ({ interval, perSession }) => {
    const { file, bars } = await generate(`FULL${interval.toUpperCase()}`, interval);
    expect(bars).toBe(SESSIONS.length * perSession);
    const report = await inspect(file);
    expect(report).toMatchObject({
      interval,
      intervalSource: 'inferred',
      bars,
      emptySessions: [],
      barsOutsideSessions: 0,
      gapCount: 0,
      quality: 100,
    });
    expect(report.largestGap).toBeUndefined();
    expect(report.hint).toBeUndefined();
    expect(report.sessions).toEqual(
      SESSIONS.map((date) => ({
        date,
        bars: perSession,
        expected: perSession,
        quality: 100,
        gaps: 0,
        largestGap: 0,
      })),
    );
    // --interval given as the same interval changes nothing but where it came from
    expect(await inspect(file, '--interval', interval)).toEqual({ ...report, intervalSource: 'option' });
  });

  it('a 5m file with missing bars: quality and gaps in five-minute bars, without --interval', async () => {
    const { file, bars } = await generate('GAPPY', '5m', ['--missing', '0.05']);
    expect(bars).toBeLessThan(SESSIONS.length * 78);
    const report = await inspect(file);
    expect(report.interval).toBe('5m');
    expect(report.sessions.map((s) => s.expected)).toEqual(SESSIONS.map(() => 78));
    expect(report.sessions.reduce((n, s) => n + s.bars, 0)).toBe(bars);
    expect(report.quality).toBeCloseTo((bars / (SESSIONS.length * 78)) * 100, 9);
    const missing = SESSIONS.length * 78 - bars;
    expect(report.gapCount).toBeGreaterThan(0);
    expect(report.gapCount).toBeLessThanOrEqual(missing);

    const text = await runStrat(['data', 'inspect', file]);
    expect(text.stdout).toContain('interval  5m (inferred from the bar times; --interval to set it)');
    expect(text.stdout).toContain(`quality   ${report.quality.toFixed(1)}% of expected bars`);
  });

  it('a 5m file read as 1m says 20 % and suggests --interval 5m', async () => {
    const { file } = await generate('WRONG', '5m');
    const report = await inspect(file, '--interval', '1m');
    expect(report).toMatchObject({ interval: '1m', intervalSource: 'option', quality: 20 });
    expect(report.hint).toContain(
      'the bars are mostly 5m apart within a session, not 1m (try --interval 5m)',
    );
  });

  it('round the clock: a 1h file of the 24x7 calendar has 24 bars per session', async () => {
    const { file } = await generate('BTC', '1h', ['--calendar', '24x7']);
    const report = await inspect(file, '--calendar', '24x7');
    expect(report).toMatchObject({ interval: '1h', gapCount: 0, quality: 100, emptySessions: [] });
    expect(report.sessions).toHaveLength(11);
    expect(report.sessions.every((s) => s.bars === 24 && s.expected === 24)).toBe(true);
  });

  it('a custom calendar: the text names the rows outside its hours, as --json counts them', async () => {
    const { file, bars } = await generate('NARROW', '5m');
    const calendar = join(scratch.dir, 'narrow-calendar.json');
    writeFileSync(
      calendar,
      JSON.stringify({ preset: 'custom', timezone: 'America/New_York', open: '10:00', close: '15:00' }),
    );
    const report = await inspect(file, '--calendar', calendar);
    // 09:30 to 09:55 and 15:00 to 15:55 fall outside 10:00-15:00: 6 + 12 bars a session
    expect(report.barsOutsideSessions).toBe(SESSIONS.length * 18);
    expect(report.sessions.map((s) => [s.bars, s.expected])).toEqual(SESSIONS.map(() => [60, 60]));
    expect(report.sessions.reduce((n, s) => n + s.bars, 0) + report.barsOutsideSessions).toBe(bars);
    const printed = await runStrat(['data', 'inspect', file, '--calendar', calendar]);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout).toContain(
      `outside   ${SESSIONS.length * 18} bars outside session hours (ignored by sessions)\n`,
    );
    expect(printed.stdout).toContain(`custom (${calendar}) calendar`);
  });

  it('daily bars stamped at midnight UTC fall outside the sessions, and the hint says how to label them', async () => {
    const { file } = await generate('MIDNIGHT', '1d');
    const text = readFileSync(file, 'utf8').replaceAll('T14:30:00Z', 'T00:00:00Z');
    const moved = join(scratch.dir, 'midnight-1d.csv');
    writeFileSync(moved, text);
    const report = await inspect(moved);
    expect(report).toMatchObject({ interval: '1d', barsOutsideSessions: SESSIONS.length, sessions: [] });
    expect(report.hint).toContain(
      "no daily bar starts inside a us_equities session: label each at its session's open",
    );
    // None of the file counts: 0 %, not 100 % of nothing.
    expect(report.quality).toBe(0);
    const printed = await runStrat(['data', 'inspect', moved]);
    expect(printed.stdout).toMatch(/^sessions {2}0 with bars, \d+ without bars /m);
    expect(printed.stdout).toContain('quality   0%: no bar falls inside a session\n');
    expect(printed.stdout).not.toContain('of expected bars in sessions with bars');
  });
});
