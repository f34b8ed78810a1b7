import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStrat, scratchDir, startStrat } from '../strat-process';

let scratch: ReturnType<typeof scratchDir>;
let configPath: string;

const SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'AMZN'];
const STRATEGIES = ['simple_ma_cross', 'vwap_strategy'];

beforeAll(() => {
  scratch = scratchDir('sigkill');
  configPath = join(scratch.dir, 'two-workers.json');
  // Data-driven, two worker strategies that both signal: about 15,600 signals (4.5 MB of journal) over
  // 41 sessions. Long enough for the journal to reach its file in several writes while the run goes
  // on: the pipeline releases signals as batches complete (1,024 steps each, not one per session),
  // so a run of a few batches journals everything in one write at its end and no kill can cut it.
  writeFileSync(
    configPath,
    JSON.stringify({
      mode: 'backtest',
      backtest_config: { start_date: '2024-01-02', end_date: '2024-02-29', speed_multiplier: 0 },
      session_data_config: {
        symbols: SYMBOLS,
        streams: ['1m'],
        streaming: { executor: 'worker' },
        strategies: [
          {
            module: 'strategies.examples.simple_ma_cross',
            config: { symbols: SYMBOLS, interval: '1m', fast_period: 2, slow_period: 5 },
          },
          {
            module: 'strategies.examples.vwap_strategy',
            config: { symbols: SYMBOLS, interval: '1m', threshold_pct: 0.05 },
          },
        ],
      },
      data_config: { source: 'generator', seed: 5 },
    }),
  );
});

afterAll(() => scratch.remove());

/** A small seeded generator (mulberry32): the same kill points on every run of the test. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function sizeOf(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

/** Where a killed run is cut: once its journal holds `bytes` bytes, or `ms` after it started. */
type KillPoint = { bytes: number } | { ms: number };

/**
 * Runs `strat run` and SIGKILLs it at `point` (or lets it end, if it ends first). Resolves with
 * the journal as it was left and whether the kill arrived while the run was still going.
 */
async function killedRun(journal: string, point: KillPoint): Promise<{ text: string; killed: boolean }> {
  const run = startStrat(['run', configPath, '--out', journal, '--quiet']);
  let ended = false;
  void run.done.then(() => {
    ended = true;
  });
  if ('ms' in point) {
    await pause(point.ms);
  } else {
    while (!ended && sizeOf(journal) < point.bytes) await pause(1);
  }
  run.child.kill('SIGKILL');
  const result = await run.done;
  return {
    text: existsSync(journal) ? readFileSync(journal, 'utf8') : '',
    killed: result.signal === 'SIGKILL',
  };
}

function linesOf(text: string, strategy: string): string[] {
  return text.split('\n').filter((line) => line.includes(`"strategy":"${strategy}"`));
}

describe('SIGKILL during strat run', () => {
  it("leaves, at any point, the beginning of the full run's journal: complete JSON lines, a prefix strategy by strategy", async () => {
    const fullPath = join(scratch.dir, 'full.jsonl');
    const full = await runStrat(['run', configPath, '--out', fullPath, '--quiet']);
    expect(full.code, full.stderr).toBe(0);
    const complete = readFileSync(fullPath, 'utf8');
    const fullLines = complete.split('\n').slice(0, -1);
    expect(fullLines.length).toBeGreaterThan(15_000);
    for (const strategy of STRATEGIES) expect(linesOf(complete, strategy).length).toBeGreaterThan(100);

    const random = seededRandom(20240102);
    let cutMidJournal = 0;
    for (let i = 0; i < 8; i++) {
      // Mostly where the journal grows; every fourth run at a moment from the start (often during start-up).
      const point: KillPoint =
        i % 4 === 3
          ? { ms: Math.floor(random() * 2500) }
          : { bytes: Math.floor((0.02 + 0.9 * random()) * complete.length) };
      const journal = join(scratch.dir, `killed-${i}.jsonl`);
      const { text, killed } = await killedRun(journal, point);
      const where = `run ${i}, killed at ${JSON.stringify(point)}`;

      // A kill inside a write cuts it where the system stopped (a page boundary): the journal can end
      // in the beginning of one line, the one being written. Every line before it is complete JSON.
      const end = text.lastIndexOf('\n') + 1;
      const lines = text.slice(0, end).split('\n').slice(0, -1);
      for (const line of lines) expect(() => JSON.parse(line), `${where}: ${line}`).not.toThrow();
      // Every strategy's lines are the first lines of that strategy in the full run...
      for (const strategy of STRATEGIES) {
        const mine = linesOf(text.slice(0, end), strategy);
        expect(mine, `${where}: ${strategy}`).toEqual(linesOf(complete, strategy).slice(0, mine.length));
      }
      // ... and, the journal being written in its final order, the file is the full one's beginning
      // (a cut line included): no strategy's lines can be missing while another's go on.
      expect(complete.startsWith(text), where).toBe(true);
      if (killed && lines.length > 0 && lines.length < fullLines.length) cutMidJournal++;
    }
    // The journal-size kill points all fall before its end: at least one run must have been cut there.
    expect(cutMidJournal).toBeGreaterThan(0);
  });
});
