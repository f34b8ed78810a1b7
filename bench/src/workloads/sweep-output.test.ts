import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSessionConfig } from '@strat/core';
import { applyCombination, checkSessionConfig, parseSweepParam, sweepConfigIssues } from '@strat/runtime';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { BENCH_DIR } from '../session-configs.mjs';
import { benchScratchDir } from '../strat-process.mjs';
import { S1_COMBINATIONS, S1_PARAMS, S1_SIZES, s1Config } from './s1-sweep-workers.mjs';
import { s2Config } from './s2-sweep-queue.mjs';
import { queueOverheadPerJob, sweepRowsOf } from './sweep-output.mjs';

const scratch = benchScratchDir('sweep-output-test');
afterAll(() => scratch.remove());

describe('the queue overhead per job', () => {
  it('is the growth of the queued sweep per added job less the local one', () => {
    const walls = { local: { small: 3000, large: 4800 }, queue: { small: 500, large: 4400 } };
    // queue: +3,900 ms for 180 more jobs, local: +1,800 ms.
    expect(queueOverheadPerJob(walls, { small: 20, large: 200 })).toBeCloseTo(2100 / 180, 9);
  });

  it('leaves out what does not grow with the jobs (pool start-up, connecting)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0.5, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 5000, noNaN: true }),
        fc.double({ min: 0, max: 5000, noNaN: true }),
        (small, more, localPerJob, extraPerJob, localFixed, queueFixed) => {
          const large = small + more;
          const queuePerJob = localPerJob + extraPerJob;
          const walls = {
            local: { small: localFixed + small * localPerJob, large: localFixed + large * localPerJob },
            queue: { small: queueFixed + small * queuePerJob, large: queueFixed + large * queuePerJob },
          };
          expect(queueOverheadPerJob(walls, { small, large })).toBeCloseTo(extraPerJob, 6);
        },
      ),
    );
  });

  it('needs two different sizes', () => {
    const walls = { local: { small: 1, large: 1 }, queue: { small: 1, large: 1 } };
    expect(() => queueOverheadPerJob(walls, { small: 50, large: 50 })).toThrow(/more jobs/);
  });
});

describe("a sweep's JSON output", () => {
  const write = (name: string, rows: unknown[]) => {
    const path = join(scratch.dir, name);
    writeFileSync(path, JSON.stringify({ format: 'strat-sweep/1', rows }));
    return path;
  };

  it('gives its rows when every combination finished once', () => {
    const rows = [
      { index: 0, combination: { 'a.x': 1 }, stats: { sharpe: 1 }, ms: 12 },
      { index: 1, combination: { 'a.x': 2 }, stats: { sharpe: 2 }, ms: 13 },
    ];
    expect(sweepRowsOf(write('ok.json', rows), 2)).toEqual(rows);
  });

  it('refuses failed combinations and missing or repeated ones', () => {
    const ok = { combination: {}, stats: {} };
    const failed = write('failed.json', [{ index: 0, combination: {}, error: 'the session ended failed' }]);
    expect(() => sweepRowsOf(failed, 1)).toThrow(
      '1 of 1 combinations failed (first: the session ended failed)',
    );
    expect(() => sweepRowsOf(write('short.json', [{ index: 0, ...ok }]), 2)).toThrow(
      'the sweep gave 1 rows (1 different combinations), expected 2',
    );
    const twice = write('twice.json', [
      { index: 0, ...ok },
      { index: 0, ...ok },
    ]);
    expect(() => sweepRowsOf(twice, 2)).toThrow('the sweep gave 2 rows (1 different combinations)');
  });
});

describe('the sweep configs of S1 and S2', () => {
  it('S1: W1 trading on paper, whose 16 combinations the strategy accepts', async () => {
    const config = parseSessionConfig(s1Config(S1_SIZES.quick));
    const params = S1_PARAMS.map(parseSweepParam);
    expect(sweepConfigIssues(config, params)).toEqual([]);
    expect(params.reduce((n, p) => n * p.values.length, 1)).toBe(S1_COMBINATIONS);
    const check = await checkSessionConfig(
      applyCombination(config, { 'sma.fast_period': 20, 'sma.slow_period': 30 }),
      { configDir: scratch.dir, modules: 'start' },
    );
    expect(check.problems).toEqual([]);
  });

  it("S2: the bench's empty strategy, loaded from a folder in bench/.tmp", async () => {
    const config = parseSessionConfig(s2Config());
    expect(sweepConfigIssues(config, [parseSweepParam('noop.variant=1:50')])).toEqual([]);
    expect(scratch.dir.startsWith(join(BENCH_DIR, '.tmp'))).toBe(true);
    const check = await checkSessionConfig(applyCombination(config, { 'noop.variant': 7 }), {
      configDir: scratch.dir,
      modules: 'start',
    });
    expect(check.problems).toEqual([]);
  });
});
