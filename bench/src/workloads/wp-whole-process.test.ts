import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvBarSource, GeneratorBarSource, TradingCalendar } from '@strat/data';
import { afterAll, describe, expect, it } from 'vitest';
import { BENCH_SEED } from '../session-configs.mjs';
import { findGrademark, measureProcess, measureWPBaseline, writeIssueCsv } from './wp-whole-process.mjs';

const dir = mkdtempSync(join(tmpdir(), 'strat-bench-wp-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const round2 = (x: number) => Number(x.toFixed(2));

describe('the WP CSV', () => {
  it("holds the generator's bars in the issue's layout: Date and Time in New York, end-labelled", async () => {
    // 20,000 rows reach past the DST change of 9 March 2014.
    const path = join(dir, 'spy.csv');
    const written = await writeIssueCsv(path, 20_000);
    expect(written).toEqual({ rows: 20_000, startDate: '2014-01-02', endDate: '2014-03-18' });
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines[0]).toBe('Date,Time,Open,High,Low,Close,Volume');
    expect(lines[1]).toMatch(/^2014-01-02,09:31:00,/);
    expect(lines).toHaveLength(20_002);

    const calendar = TradingCalendar.usEquities();
    const csv = new CsvBarSource({
      calendar,
      files: [
        {
          path,
          symbol: 'SPY',
          columns: { date: 'Date', time: 'Time' },
          timezone: 'America/New_York',
          time_label: 'end',
        },
      ],
    });
    const read: number[][] = [];
    for await (const c of csv.read('SPY', -Infinity, Infinity)) {
      for (let i = 0; i < c.length; i++) read.push([c.time[i] ?? 0, c.close[i] ?? 0, c.volume[i] ?? 0]);
    }
    const expected: number[][] = [];
    const generator = new GeneratorBarSource({ calendar, seed: BENCH_SEED });
    for await (const c of generator.read(
      'SPY',
      Date.parse('2014-01-02T00:00:00Z'),
      Date.parse('2014-04-01T00:00:00Z'),
    )) {
      for (let i = 0; i < c.length && expected.length < 20_000; i++) {
        expected.push([c.time[i] ?? 0, round2(c.close[i] ?? 0), c.volume[i] ?? 0]);
      }
      if (expected.length === 20_000) break;
    }
    expect(read).toEqual(expected);
    // After the change, 09:30 New York is 13:30 UTC.
    expect(read.some(([t]) => new Date(t ?? 0).toISOString() === '2014-03-10T13:30:00.000Z')).toBe(true);
  });
});

describe('measureProcess', () => {
  const script = join(dir, 'allocate.mjs');
  writeFileSync(
    script,
    "const b = Buffer.alloc(Number(process.argv[2]) * 1e6, 1); console.log('held', b.length); if (process.argv[3]) { console.error('bad'); process.exit(3); }\n",
  );

  it.each([
    ['/usr/bin/time -v', true],
    ['process.resourceUsage()', false],
  ])('reads the peak resident set and the page faults with %s', async (peakFrom, useGnuTime) => {
    if (useGnuTime && !existsSync('/usr/bin/time')) return;
    const run = await measureProcess(script, ['120'], { useGnuTime });
    expect(run.peakFrom).toBe(peakFrom);
    expect(run.stdout).toBe('held 120000000\n');
    expect(run.peakRssMb).toBeGreaterThan(120);
    expect(run.peakRssMb).toBeLessThan(1000);
    expect(run.wallMs).toBeGreaterThan(0);
    expect(run.cpuMs).toBeGreaterThan(0);
    // 120 MB filled is about 29,000 pages touched for the first time.
    expect(run.minorFaults).toBeGreaterThan(120e6 / 4096);
    expect(run.minorFaults).toBeLessThan(1e6);
  });

  it('names the command and its stderr when it fails', async () => {
    await expect(measureProcess(script, ['1', 'fail'], { useGnuTime: false })).rejects.toThrow(
      /allocate\.mjs 1 fail exited with 3:\nbad/,
    );
  });
});

describe('the grademark baseline', () => {
  /** A folder with the named packages "installed" (empty modules). */
  function installed(name: string, packages: string[]) {
    const folder = join(dir, name);
    for (const p of packages) {
      mkdirSync(join(folder, 'node_modules', p), { recursive: true });
      writeFileSync(
        join(folder, 'node_modules', p, 'package.json'),
        JSON.stringify({ name: p, version: '0.0.1' }),
      );
      writeFileSync(join(folder, 'node_modules', p, 'index.js'), 'module.exports = {};\n');
    }
    mkdirSync(folder, { recursive: true });
    return folder;
  }

  it('is skipped, saying so, when grademark or data-forge is not installed', async () => {
    expect(findGrademark({ STRAT_BENCH_GRADEMARK: installed('none', []) })).toEqual({
      skipped: 'skipped: grademark not installed',
    });
    expect(findGrademark({ STRAT_BENCH_GRADEMARK: installed('alone', ['grademark']) })).toEqual({
      skipped: 'skipped: grademark found, but not data-forge (its peer dependency)',
    });
    const all = installed('all', ['grademark', 'data-forge']);
    expect(findGrademark({ STRAT_BENCH_GRADEMARK: all })).toEqual({ from: join(all, 'package.json') });

    const saved = process.env.STRAT_BENCH_GRADEMARK;
    process.env.STRAT_BENCH_GRADEMARK = installed('none', []);
    try {
      expect(await measureWPBaseline('quick')).toMatchObject({
        values: {},
        skipped: 'skipped: grademark not installed',
        note: expect.stringContaining('set STRAT_BENCH_GRADEMARK'),
      });
    } finally {
      if (saved === undefined) delete process.env.STRAT_BENCH_GRADEMARK;
      else process.env.STRAT_BENCH_GRADEMARK = saved;
    }
  });
});
