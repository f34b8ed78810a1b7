import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStrat, scratchDir } from '../strat-process';

let scratch: ReturnType<typeof scratchDir>;

beforeAll(() => {
  scratch = scratchDir('package-examples');
});

afterAll(() => scratch.remove());

/** A session naming the example classes by the package subpaths the @strat/examples README documents. */
function writeConfig(): string {
  const path = join(scratch.dir, 'package-examples.json');
  writeFileSync(
    path,
    JSON.stringify({
      mode: 'backtest',
      backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
      session_data_config: {
        symbols: ['AAPL', 'MSFT'],
        streams: ['1m', '5m'],
        scanners: [
          {
            module: '@strat/examples/volume-spike-scanner',
            schedule: '5m',
            config: { universe: ['AAPL', 'MSFT'], multiple: 2 },
          },
        ],
        strategies: [
          { module: '@strat/examples/sma-cross', config: { symbols: ['AAPL'], interval: '5m' } },
          { module: '@strat/examples/rsi', config: { symbols: ['AAPL'] } },
          { module: '@strat/examples/vwap', config: { symbols: ['MSFT'] } },
        ],
      },
      data_config: { source: 'generator', seed: 3 },
    }),
  );
  return path;
}

describe('the documented @strat/examples subpaths', () => {
  it('each load their class by the name the loader expects: no warning in validate or run', async () => {
    const config = writeConfig();
    const validated = await runStrat(['validate', config]);
    expect(validated.code, validated.stderr).toBe(0);
    expect(validated.stdout).not.toContain('warning');
    expect(validated.stdout).toMatch(/^ok {3}\S+package-examples\.json \(3 strategies, 1 scanner/);

    const run = await runStrat(['run', config]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('Session completed');
    expect(run.stderr).not.toMatch(/no export named/);
    expect(run.stderr).not.toContain('[warn]');
  });
});
