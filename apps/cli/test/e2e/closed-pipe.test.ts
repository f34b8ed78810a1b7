import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStrat, scratchDir, startStrat } from '../strat-process';

let scratch: ReturnType<typeof scratchDir>;
let configPath: string;

beforeAll(() => {
  scratch = scratchDir('closed-pipe');
  configPath = join(scratch.dir, 'warns.json');
  // Bars missing at random under a 95 % quality floor: the strategy warns of low quality and of its
  // recovery all through the run (about 280 lines on stderr over two months), and it signals.
  writeFileSync(
    configPath,
    JSON.stringify({
      mode: 'backtest',
      backtest_config: { start_date: '2024-01-02', end_date: '2024-02-29', speed_multiplier: 0 },
      session_data_config: {
        symbols: ['AAPL', 'MSFT'],
        streams: ['1m'],
        streaming: { executor: 'worker' },
        strategies: [
          {
            module: 'strategies.examples.simple_ma_cross',
            config: {
              symbols: ['AAPL', 'MSFT'],
              interval: '1m',
              fast_period: 2,
              slow_period: 5,
              min_quality: 95,
            },
          },
        ],
      },
      data_config: { source: 'generator', seed: 5, missing_bar_rate: 0.06 },
    }),
  );
});

afterAll(() => scratch.remove());

describe('strat run whose output reader goes away (`strat run ... 2>&1 | head`)', () => {
  it('finishes the run: the same journal and exit code as a run read to the end', async () => {
    const fullJournal = join(scratch.dir, 'full.jsonl');
    const full = await runStrat(['run', configPath, '--out', fullJournal]);
    expect(full.code).toBe(0);
    expect(full.stderr.split('\n').length).toBeGreaterThan(50);

    const cutJournal = join(scratch.dir, 'cut.jsonl');
    const run = startStrat(['run', configPath, '--out', cutJournal]);
    // Like `head -1`: read the first line of stderr, then close both pipes; every later write of the
    // process meets a closed pipe (EPIPE).
    await new Promise<void>((resolve) => run.child.stderr?.once('data', () => resolve()));
    run.child.stderr?.destroy();
    run.child.stdout?.destroy();
    const cut = await run.done;

    expect(cut.signal).toBeNull();
    expect(cut.code).toBe(0);
    const journal = readFileSync(cutJournal, 'utf8');
    expect(journal.split('\n').length).toBeGreaterThan(1000);
    expect(journal).toBe(readFileSync(fullJournal, 'utf8'));
  });
});
