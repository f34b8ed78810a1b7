import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionSummary } from '@strat/runtime';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runStrat, scratchDir, startStrat } from '../strat-process';

let scratch: ReturnType<typeof scratchDir>;

beforeAll(() => {
  scratch = scratchDir('sweep');
});

afterAll(() => scratch.remove());

function writeConfig(name: string, sma: { fast_period: number; slow_period: number }, days = 2): string {
  const path = join(scratch.dir, name);
  writeFileSync(
    path,
    JSON.stringify({
      mode: 'backtest',
      backtest_config: { start_date: '2024-01-02', end_date: `2024-01-0${1 + days}` },
      session_data_config: {
        symbols: ['AAPL'],
        streams: ['1m'],
        strategies: [
          {
            module: '@strat/examples/sma-cross',
            name: 'sma',
            config: { symbols: ['AAPL'], interval: '1m', ...sma },
          },
          {
            module: '@strat/examples/rsi',
            name: 'rsi',
            config: { symbols: ['AAPL'], interval: '1m', rsi_period: 14 },
          },
        ],
      },
      data_config: { source: 'generator', seed: 9 },
      execution: { initial_cash: 20_000, commission: { per_unit: 0.01 } },
    }),
  );
  return path;
}

interface SweepJson {
  format: string;
  objective: string;
  combinations: number;
  parameters: string[];
  rows: Array<{
    rank: number;
    index: number;
    combination: Record<string, number>;
    stats: Record<string, number>;
  }>;
}

describe('strat sweep', () => {
  it('runs every combination, ranks them, and each row is what strat run gives for it', async () => {
    const config = writeConfig('grid.json', { fast_period: 5, slow_period: 20 });
    const out = join(scratch.dir, 'grid.json.out.json');
    const result = await runStrat([
      'sweep',
      config,
      '-p',
      'sma.fast_period=3,6',
      '-p',
      'sma.slow_period=15:25:10',
      '--workers',
      '2',
      '--out',
      out,
      '--report',
      join(scratch.dir, 'grid.html'),
    ]);
    expect(result.code, result.stderr).toBe(0);
    const page = readFileSync(join(scratch.dir, 'grid.html'), 'utf8');
    expect(page.match(/<td class="h\d"/g)).toHaveLength(4);
    expect(page).toContain('sharpe by <b>sma.fast_period</b> (columns) and <b>sma.slow_period</b> (rows)');
    expect(result.stderr).toContain(
      'sweeping 4 combinations of sma.fast_period, sma.slow_period on 2 workers, ranked by sharpe',
    );
    expect(result.stdout).toMatch(/Sweep results \(4 of 4 combinations in [\d.]+ s, best 10 by sharpe\)/);
    const sweep = JSON.parse(readFileSync(out, 'utf8')) as SweepJson;
    expect(sweep.format).toBe('strat-sweep/1');
    expect(sweep.rows.map((r) => r.index).sort()).toEqual([0, 1, 2, 3]);
    expect(sweep.rows.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    const sharpes = sweep.rows.map((r) => r.stats.sharpe as number);
    expect([...sharpes].sort((a, b) => b - a)).toEqual(sharpes);
    // Different parameters, different outcomes.
    expect(new Set(sweep.rows.map((r) => r.stats.totalReturn)).size).toBeGreaterThan(1);

    // The best and the worst row against strat run of their combination.
    for (const row of [sweep.rows[0], sweep.rows[3]]) {
      if (row === undefined) throw new Error('missing row');
      const single = writeConfig(`single-${row.index}.json`, {
        fast_period: row.combination['sma.fast_period'] as number,
        slow_period: row.combination['sma.slow_period'] as number,
      });
      const run = await runStrat(['run', single, '--json', '--quiet', '--executor', 'inline']);
      expect(run.code, run.stderr).toBe(0);
      const summary = JSON.parse(run.stdout) as SessionSummary;
      expect(row.stats).toEqual(summary.results?.total);
    }
  });

  it('samples --random combinations with a seed, the same ones each time, and writes CSV', async () => {
    const config = writeConfig('random.json', { fast_period: 5, slow_period: 20 }, 1);
    const runs = [];
    for (const name of ['a.csv', 'b.csv']) {
      const out = join(scratch.dir, name);
      const result = await runStrat([
        'sweep',
        config,
        '-p',
        'sma.fast_period=2:9',
        '--random',
        '3',
        '--seed',
        '4',
        '--out',
        out,
        '--quiet',
      ]);
      expect(result.code, result.stderr).toBe(0);
      runs.push(readFileSync(out, 'utf8'));
    }
    const lines = (runs[0] as string).trim().split('\n');
    expect(lines[0]).toMatch(/^rank,index,sma\.fast_period,sharpe,/);
    expect(lines).toHaveLength(4);
    expect(runs[1]).toBe(runs[0]);
  });

  it('refuses, before running anything, parameters that name nothing and values the strategy refuses', async () => {
    const config = writeConfig('bad.json', { fast_period: 5, slow_period: 20 });
    const unknown = await runStrat([
      'sweep',
      config,
      '-p',
      'sma.fast_perod=3,6',
      '-p',
      'smaa.slow_period=30',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('The sweep cannot run');
    expect(unknown.stderr).toContain(
      'has no key "fast_perod" (keys: symbols, interval, fast_period, slow_period)',
    );
    expect(unknown.stderr).toContain('no enabled strategy is named "smaa" (strategies: sma, rsi)');
    expect(unknown.stdout).not.toContain('Sweep results');

    const refused = await runStrat(['sweep', config, '-p', 'sma.fast_period=5,30']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('Combinations the strategies refuse');
    expect(refused.stderr).toContain('sma.fast_period=30');
    expect(refused.stderr).not.toContain('sweeping');

    const range = await runStrat(['sweep', config, '-p', 'sma.fast_period=9:3']);
    expect(range.code).toBe(2);
    expect(range.stderr).toContain('empty range "9:3"');

    const metric = await runStrat(['sweep', config, '-p', 'sma.fast_period=3', '--objective', 'shrp']);
    expect(metric.code).toBe(2);
    expect(metric.stderr).toContain('unknown metric "shrp"');
  });

  it('walks forward: the winner of each training window, scored on the sessions after it', async () => {
    const config = writeConfig('walk.json', { fast_period: 5, slow_period: 20 }, 4);
    const out = join(scratch.dir, 'walk.json.out.json');
    const result = await runStrat([
      'sweep',
      config,
      '-p',
      'sma.fast_period=3,8',
      '--walk-forward',
      '2d:1d',
      '--out',
      out,
      '--quiet',
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /Walk-forward \(2 of 2 windows of 2 training and 1 test sessions in [\d.]+ s, best by sharpe\)/,
    );
    expect(result.stdout).toMatch(
      /mean sharpe: in-sample -?[\d.]+, out-of-sample -?[\d.]+ over 2 windows; test windows compounded/,
    );
    const walk = JSON.parse(readFileSync(out, 'utf8')) as {
      format: string;
      windows: Array<{
        trainStart: string;
        trainEnd: string;
        testStart: string;
        testEnd: string;
        best: Record<string, number>;
        in_sample: Record<string, number>;
        out_of_sample: Record<string, number>;
      }>;
    };
    expect(walk.format).toBe('strat-walk-forward/1');
    expect(walk.windows.map((w) => [w.trainStart, w.trainEnd, w.testStart, w.testEnd])).toEqual([
      ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-04'],
      ['2024-01-03', '2024-01-04', '2024-01-05', '2024-01-05'],
    ]);
    // Window 2: its winner is the better of the two on the training sessions, its score that winner's strat run on the test session.
    const second = walk.windows[1];
    if (second === undefined) throw new Error('missing window');
    const runOn = async (fast: number, from: string, to: string) => {
      const file = writeConfig(`walk-${fast}-${from}.json`, { fast_period: fast, slow_period: 20 }, 4);
      const run = await runStrat([
        'run',
        file,
        '--from',
        from,
        '--to',
        to,
        '--json',
        '--quiet',
        '--executor',
        'inline',
      ]);
      expect(run.code, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as SessionSummary).results?.total;
    };
    const trained = [
      await runOn(3, second.trainStart, second.trainEnd),
      await runOn(8, second.trainStart, second.trainEnd),
    ];
    const best = (trained[0]?.sharpe ?? 0) >= (trained[1]?.sharpe ?? 0) ? 3 : 8;
    expect(second.best).toEqual({ 'sma.fast_period': best });
    expect(second.in_sample).toEqual(trained[best === 3 ? 0 : 1]);
    expect(second.out_of_sample).toEqual(await runOn(best, second.testStart, second.testEnd));

    const short = await runStrat(['sweep', config, '-p', 'sma.fast_period=3,8', '--walk-forward', '4d:2d']);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain(
      '2024-01-02 to 2024-01-05 holds 4 sessions: a window needs 6 (4 to train, 2 to test)',
    );
  });

  it('stops on Ctrl-C, keeping and writing the finished combinations', async () => {
    const config = writeConfig('interrupt.json', { fast_period: 5, slow_period: 20 });
    const out = join(scratch.dir, 'interrupted.csv');
    const run = startStrat(['sweep', config, '-p', 'sma.fast_period=2:19', '--workers', '1', '--out', out]);
    await vi.waitFor(() => expect(run.output.stderr).toMatch(/sweep [1-9]\d*\/18 done/), {
      timeout: 60_000,
      interval: 50,
    });
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('interrupted: no new sessions start');
    const rows = readFileSync(out, 'utf8').trim().split('\n').length - 1;
    expect(rows).toBeGreaterThanOrEqual(1);
    expect(rows).toBeLessThan(18);
    expect(result.stdout).toMatch(new RegExp(`Sweep results \\(${rows} of 18 combinations`));
  });
});
