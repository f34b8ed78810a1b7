import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const script = fileURLToPath(new URL('./run.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'strat-bench-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pnpm bench', () => {
  it('runs a workload and its baseline in child processes, prints the table and writes results.json', async () => {
    const out = join(dir, 'results.json');
    const { stdout } = await run(process.execPath, [script, '--quick', '--only', 'W1', '--out', out]);
    expect(stdout).toMatch(/^W1 +bars\/s +[\d,]+ bars\/s +[\d,]+ bars\/s +[\d.]+x +>= 1,000,000 bars\/s/m);
    const results = JSON.parse(readFileSync(out, 'utf8'));
    expect(results).toMatchObject({ mode: 'quick', failures: [] });
    expect(Object.keys(results.machine)).toEqual(
      expect.arrayContaining(['cpu', 'cores', 'node', 'date', 'loadAverage']),
    );
    const row = results.results.find((r: { metric: string }) => r.metric === 'bars/s');
    expect(row).toMatchObject({ workload: 'W1', unit: 'bars/s', target: '>= 1,000,000' });
    expect(row.value).toBeGreaterThan(0);
    expect(row.baseline).toBeGreaterThan(0);
    expect(row.ratio).toBeCloseTo(row.value / row.baseline, 9);
    // 105 NYSE sessions from January to May 2024 (holidays closed) of 390 minutes.
    expect(results.workloads.W1.details.runs[0].bars).toBe(40_950);
  });

  it('rejects an unknown workload with the usage and exit code 2', async () => {
    const failure = await run(process.execPath, [script, '--only', 'W9']).catch((error) => error);
    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain('no workload matches --only W9');
    expect(failure.stderr).toContain('Usage: pnpm bench');
  });
});
