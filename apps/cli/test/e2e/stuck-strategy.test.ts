import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SessionSummary } from '@strat/runtime';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseJournal, runStrat, scratchDir, startStrat } from '../strat-process';

// A strategy stuck in one notification beside a healthy one, data-driven, through the real `strat`
// process: before the bounded stop, SIGTERM and Ctrl-C left such a run hanging for ever, and a run
// that went on without a dead strategy exited 0.

let scratch: ReturnType<typeof scratchDir>;
const HEALTHY = 'simple_ma_cross';

beforeAll(() => {
  scratch = scratchDir('stuck');
  copyFileSync(
    fileURLToPath(new URL('../fixtures/stuck_strategy.ts', import.meta.url)),
    join(scratch.dir, 'stuck_strategy.ts'),
  );
});

afterAll(() => scratch.remove());

interface Shape {
  how: 'loop' | 'await' | 'crash';
  /** Leave the stuck strategy out: the healthy one's full journal. */
  healthyOnly?: boolean;
  notificationLimitMs?: number;
}

/** Two weeks of AAPL and MSFT; the stuck strategy handles 1,000 AAPL bars (2.5 sessions) first. */
function writeConfig(name: string, shape: Shape): { config: string; marker: string } {
  const config = join(scratch.dir, `${name}.json`);
  const marker = join(scratch.dir, `${name}.stuck`);
  const healthy = {
    module: `strategies.examples.${HEALTHY}`,
    config: { symbols: ['AAPL', 'MSFT'], interval: '1m', fast_period: 2, slow_period: 4 },
  };
  const stuck = {
    module: './stuck_strategy.ts',
    name: 'stuck',
    ...(shape.notificationLimitMs === undefined ? {} : { notification_limit_ms: shape.notificationLimitMs }),
    config: { symbol: 'AAPL', interval: '1m', how: shape.how, at_call: 1000, marker_file: marker },
  };
  writeFileSync(
    config,
    JSON.stringify({
      mode: 'backtest',
      backtest_config: { start_date: '2024-01-02', end_date: '2024-01-12', speed_multiplier: 0 },
      session_data_config: {
        symbols: ['AAPL', 'MSFT'],
        streams: ['1m'],
        strategies: shape.healthyOnly ? [healthy] : [stuck, healthy],
      },
      data_config: { source: 'generator', seed: 17 },
    }),
  );
  return { config, marker };
}

let fullJournal: Array<Record<string, unknown>> | undefined;

/** The healthy strategy's journal of the whole run, alone. */
async function healthyFullJournal(): Promise<Array<Record<string, unknown>>> {
  if (fullJournal === undefined) {
    const { config } = writeConfig('healthy-alone', { how: 'loop', healthyOnly: true });
    const journal = join(scratch.dir, 'healthy-alone.jsonl');
    const result = await runStrat([
      'run',
      config,
      '--strategy-root',
      scratch.dir,
      '--out',
      journal,
      '--quiet',
    ]);
    expect(result.code, result.stderr).toBe(0);
    fullJournal = parseJournal(readFileSync(journal, 'utf8'));
    expect(fullJournal.length).toBeGreaterThan(100);
  }
  return fullJournal;
}

function strategyState(summary: SessionSummary, strategy: string): string | undefined {
  return summary.metrics.per_strategy.find((m) => m.strategy === strategy)?.state;
}

describe('stopping a run while a strategy is stuck', () => {
  it.each([
    { signal: 'SIGTERM', code: 143, how: 'loop' },
    { signal: 'SIGINT', code: 130, how: 'await' },
  ] as const)(
    '$signal ends it with $code, the stuck strategy timed out, the healthy one journalled',
    async ({ signal, code, how }) => {
      const { config, marker } = writeConfig(`stop-${how}`, { how });
      const journal = join(scratch.dir, `stop-${how}.jsonl`);
      const run = startStrat(['run', config, '--strategy-root', scratch.dir, '--out', journal, '--json']);
      // Stuck (the notification limit, 30 s by default, is far off): then the stop alone must end the run.
      await vi.waitFor(() => expect(existsSync(marker)).toBe(true), { timeout: 30_000, interval: 50 });
      run.child.kill(signal);
      const result = await run.done;

      expect(result.code, result.stderr).toBe(code);
      expect(result.stderr).toContain(
        '[error] stuck: strategy timed out: did not stop within 5000 ms; terminated (its teardown did not run)',
      );
      const summary = JSON.parse(result.stdout) as SessionSummary;
      expect(summary.state).toBe('stopped');
      expect(strategyState(summary, 'stuck')).toBe('timed_out');
      expect(strategyState(summary, HEALTHY)).toBe('stopped');

      const lines = parseJournal(readFileSync(journal, 'utf8'));
      expect(lines.length).toBe(summary.signals);
      const healthy = lines.filter((line) => line.strategy === HEALTHY);
      expect(healthy.length).toBeGreaterThan(0);
      expect(healthy.length).toBe(summary.metrics.per_strategy[1]?.signals_generated);
      const full = (await healthyFullJournal()).filter((line) => line.strategy === HEALTHY);
      expect(healthy).toEqual(full.slice(0, healthy.length));
    },
  );
});

describe('a run that goes on without a dead strategy', () => {
  it('exits 1 when a strategy timed out, and says so', async () => {
    const { config } = writeConfig('timed-out', { how: 'loop', notificationLimitMs: 300 });
    const journal = join(scratch.dir, 'timed-out.jsonl');
    const result = await runStrat([
      'run',
      config,
      '--strategy-root',
      scratch.dir,
      '--out',
      journal,
      '--quiet',
    ]);

    expect(result.code, result.stderr).toBe(1);
    expect(result.stdout).toMatch(
      /^Session completed, 1 strategy timed out: backtest 2024-01-02 to 2024-01-12, data-driven\n/,
    );
    expect(result.stdout).toMatch(/│ stuck \(timed out\) │ worker +│ +1,000 │/);
    expect(result.stderr).toContain(
      '[error] stuck: strategy timed out: onBars on AAPL 1m (bar closing 2024-01-04T18:11:00.000Z) ' +
        'ran past the notification limit of 300 ms; terminated (its teardown did not run)',
    );
    // The healthy strategy's journal is its whole run.
    const healthy = parseJournal(readFileSync(journal, 'utf8')).filter((line) => line.strategy === HEALTHY);
    expect(healthy).toEqual((await healthyFullJournal()).filter((line) => line.strategy === HEALTHY));
  });

  it('exits 1 when a strategy crashed', async () => {
    const { config } = writeConfig('crashed', { how: 'crash' });
    const result = await runStrat(['run', config, '--strategy-root', scratch.dir, '--json']);
    expect(result.code, result.stderr).toBe(1);
    const summary = JSON.parse(result.stdout) as SessionSummary;
    expect(summary.state).toBe('completed');
    expect(strategyState(summary, 'stuck')).toBe('crashed');
    expect(strategyState(summary, HEALTHY)).toBe('stopped');
    expect(result.stderr).toContain('[error] stuck: strategy crashed: its worker died: the strategy blew up');
  });
});
