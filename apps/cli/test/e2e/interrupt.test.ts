import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionSummary } from '@strat/runtime';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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

/** How long a run may take to show what a test waits for (a whole session takes about 40 s). */
const WAIT = { timeout: 40_000, interval: 50 };

function journalLines(path: string): number {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0;
}

/** The simulated time (the stamp, epoch ms) of the newest journalled signal; NaN before the first. */
function newestSignalTime(path: string): number {
  const lines = existsSync(path) ? parseJournal(readFileSync(path, 'utf8')) : [];
  return Date.parse(String(lines.at(-1)?.time));
}

describe('Ctrl-C during strat run', () => {
  it('stops cleanly: exit 130, partial summary, a journal of complete lines matching an uninterrupted run', async () => {
    const journal = join(scratch.dir, 'interrupted.jsonl');
    const run = startStrat(['run', configPath, '--out', journal, '--json']);
    // Plain progress lines (stderr is not a terminal) and a few journalled signals, then Ctrl-C.
    await vi.waitFor(() => {
      expect(run.output.stderr).toContain('progress: ');
      expect(journalLines(journal)).toBeGreaterThanOrEqual(3);
    }, WAIT);
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
    const journal = join(scratch.dir, 'quiet.jsonl');
    const run = startStrat(['run', configPath, '--quiet', '--out', journal]);
    // A signal stamped 30 simulated minutes after the 14:30Z open proves 3 s of wall time at 600x,
    // longer than the 2 s between progress lines: without --quiet, one would have been written.
    const threeSecondsIn = Date.UTC(2024, 0, 2, 15, 0);
    await vi.waitFor(() => expect(newestSignalTime(journal)).toBeGreaterThanOrEqual(threeSecondsIn), WAIT);
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
