import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionSummary } from '@strat/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJournal, runStrat, scratchDir, startStrat } from '../strat-process';

let scratch: ReturnType<typeof scratchDir>;
let configPath: string;

beforeAll(() => {
  scratch = scratchDir('interrupt');
  configPath = join(scratch.dir, 'slow.json');
  // Clock-driven at 600x: a minute bar every 100 ms, so one session would take about 40 s.
  writeFileSync(
    configPath,
    JSON.stringify({
      mode: 'backtest',
      backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02', speed_multiplier: 600 },
      session_data_config: {
        symbols: ['AAPL', 'MSFT'],
        streams: ['1m'],
        streaming: { time_budget_ms: 2000 },
        strategies: [
          {
            module: 'strategies.examples.simple_ma_cross',
            config: { symbols: ['AAPL', 'MSFT'], interval: '1m', fast_period: 2, slow_period: 4 },
          },
          {
            module: 'strategies.examples.vwap_strategy',
            config: { symbols: ['AAPL', 'MSFT'], interval: '1m', threshold_pct: 0.05 },
          },
        ],
      },
      data_config: { source: 'generator', seed: 11 },
    }),
  );
});

afterAll(() => scratch.remove());

async function waitFor(condition: () => boolean, what: string, timeoutMs = 40_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function journalLines(path: string): number {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0;
}

describe('Ctrl-C during strat run', () => {
  it('stops cleanly: exit 130, partial summary, a journal of complete lines matching an uninterrupted run', async () => {
    const journal = join(scratch.dir, 'interrupted.jsonl');
    const run = startStrat(['run', configPath, '--out', journal, '--json']);
    // Plain progress lines (stderr is not a terminal) and a few journalled signals, then Ctrl-C.
    await waitFor(
      () => run.output.stderr.includes('progress: ') && journalLines(journal) >= 3,
      'progress and signals',
    );
    run.child.kill('SIGINT');
    const result = await run.done;

    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('interrupted: stopping after the current bar');
    expect(result.stderr).toMatch(
      /progress: \d+\/780 bars \(\d+%\) \| 2024-01-02 \d\d:\d\dZ \| \d+ bars\/s \| ETA /,
    );
    const summary = JSON.parse(result.stdout) as SessionSummary;
    expect(summary.state).toBe('stopped');
    expect(summary.bars?.stopped).toBe(true);
    expect(summary.bars?.barsDone).toBeLessThan(780);
    expect(summary.metrics.per_strategy.every((m) => m.state === 'stopped')).toBe(true);

    const text = readFileSync(journal, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    const interrupted = parseJournal(text);
    expect(interrupted.length).toBe(summary.signals);
    expect(interrupted.length).toBeGreaterThanOrEqual(3);

    // The same config data-driven to the end: each strategy's interrupted signals are the first of its full list.
    const fullJournal = join(scratch.dir, 'full.jsonl');
    const full = await runStrat(['run', configPath, '--speed', '0', '--out', fullJournal, '--quiet']);
    expect(full.code, full.stderr).toBe(0);
    const complete = parseJournal(readFileSync(fullJournal, 'utf8'));
    for (const strategy of ['simple_ma_cross', 'vwap_strategy']) {
      const mine = interrupted.filter((line) => line.strategy === strategy);
      const all = complete.filter((line) => line.strategy === strategy);
      expect(mine.map((line) => line.seq)).toEqual(mine.map((_, i) => i + 1));
      expect(mine).toEqual(all.slice(0, mine.length));
    }
    expect(complete.length).toBeGreaterThan(interrupted.length);
  });

  it('prints the partial summary table when interrupted without --json', async () => {
    const run = startStrat(['run', configPath, '--quiet']);
    await waitFor(() => run.output.stderr.includes('[info]') || run.output.stderr === '', 'start');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    run.child.kill('SIGINT');
    const result = await run.done;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stdout).toMatch(
      /^Session interrupted: backtest 2024-01-02 to 2024-01-02, clock-driven at 600x \(partial results\)/,
    );
    expect(result.stdout).toContain('Strategies');
    expect(result.stderr).not.toContain('progress: ');
  });
});
