import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const probe = fileURLToPath(new URL('../../test/console-probe.ts', import.meta.url));

describe('worker output', () => {
  it("sends a worker strategy's console.log to stderr, keeping stdout for the program's results", () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', probe], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.status).toBe(0);
    expect(child.stdout).toBe('RESULT-ONLY\n');
    expect(child.stderr).toContain('STRATEGY-SAYS AAPL');
  });
});
