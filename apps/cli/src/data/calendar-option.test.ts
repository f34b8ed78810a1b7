import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { calendarForConfig, parseCalendarOption } from './calendar-option';
import { generateCsvFiles } from './generate-csv';
import { inspectCsv } from './inspect-csv';

const dir = mkdtempSync(join(tmpdir(), 'strat-calendar-option-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

/** A custom exchange: 09:00-17:00 UTC on weekdays, closed on 2024-03-06 (its own holiday). */
const CUSTOM = { preset: 'custom', timezone: 'UTC', open: '09:00', close: '17:00', holidays: ['2024-03-06'] };

describe('--calendar', () => {
  it('takes a preset by name', () => {
    expect(parseCalendarOption('24x7')).toEqual({ config: { preset: '24x7' }, name: '24x7' });
  });

  it("takes a file with a calendar section, or a session config's calendar", () => {
    const section = file('calendar.json', CUSTOM);
    expect(parseCalendarOption(section)).toMatchObject({ config: CUSTOM, name: `custom (${section})` });
    const session = file('session.json', { mode: 'backtest', session_data_config: { calendar: CUSTOM } });
    expect(parseCalendarOption(session).config).toMatchObject(CUSTOM);
    // A session config without a calendar has the default one.
    const plain = file('plain.json', { mode: 'backtest', session_data_config: { symbols: ['X'] } });
    expect(parseCalendarOption(plain)).toMatchObject({ config: { preset: 'us_equities' } });
  });

  it('refuses what is neither, saying why and where', () => {
    expect(() => parseCalendarOption('nyse')).toThrow(
      'expected a preset (us_equities, cme_globex_equity, 24x7) or a JSON file with a calendar section or a session config; nyse: no such file.',
    );
    const bad = file('bad.json', { preset: 'custom', timezone: 'UTC', open: '9am' });
    expect(() => parseCalendarOption(bad)).toThrow(
      /has no valid calendar: .*open: .*close: preset "custom" has no default close/,
    );
    const badSession = file('bad-session.json', { session_data_config: { calendar: { preset: 'lse' } } });
    expect(() => parseCalendarOption(badSession)).toThrow(/session_data_config\.calendar\.preset: /);
    const notJson = file('not.json', '{ nope');
    expect(() => parseCalendarOption(notJson)).toThrow(/not\.json: .*JSON/);
  });

  it("lets data inspect measure a file against a user's own calendar: its holiday named, not missing", async () => {
    const rows = ['timestamp,open,high,low,close,volume'];
    for (const day of ['2024-03-05', '2024-03-07']) {
      for (let hour = 9; hour < 17; hour++)
        rows.push(`${day}T${String(hour).padStart(2, '0')}:00:00Z,1,2,0.5,1.5,10`);
    }
    const csv = file('x-1h.csv', `${rows.join('\n')}\n`);
    const calendar = parseCalendarOption(file('own.json', CUSTOM));
    const report = await inspectCsv({ file: csv, calendar, interval: '1h' });
    expect(report.calendar).toBe(calendar.name);
    expect(report.holidays.map((h) => h.date)).toEqual(['2024-03-06']);
    expect(report.emptySessions).toEqual([]);
    expect(report.sessions.length).toBe(2);
    expect(report.quality).toBe(100);
    // The same file against the default calendar: no holiday that day, a session without bars.
    const nyse = await inspectCsv({ file: csv, calendar: 'us_equities', interval: '1h' });
    expect(nyse.holidays).toEqual([]);
    expect(nyse.emptySessions).toEqual(['2024-03-06']);
  });

  it("lets data generate write bars on a user's own calendar, and says which calendar a config needs", async () => {
    const own = parseCalendarOption(file('gen.json', CUSTOM));
    const files = await generateCsvFiles({
      symbols: ['X'],
      from: '2024-03-05',
      to: '2024-03-07',
      interval: '1h',
      outDir: join(dir, 'gen'),
      seed: 3,
      missingBarRate: 0,
      calendar: own,
    });
    const written = files.map((f) => f.path);
    expect(written.length).toBe(1);
    const report = await inspectCsv({ file: written[0] as string, calendar: own, interval: '1h' });
    // 09:00-17:00 UTC on the 5th and 7th; the 6th is the calendar's own holiday.
    expect(report).toMatchObject({ bars: 16, quality: 100, barsOutsideSessions: 0, emptySessions: [] });
    expect(report.first).toBe('2024-03-05T09:00:00.000Z');
    expect(report.holidays.map((h) => h.date)).toEqual(['2024-03-06']);
    expect(calendarForConfig(own)).toBe(JSON.stringify(CUSTOM));
    expect(calendarForConfig(parseCalendarOption('24x7'))).toBe('{ "preset": "24x7" }');
    expect(calendarForConfig(parseCalendarOption('us_equities'))).toBeUndefined();
  });
});
