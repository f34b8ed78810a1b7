import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStrat, scratchDir } from '../strat-process';

let scratch: ReturnType<typeof scratchDir>;

beforeAll(() => {
  scratch = scratchDir('generate-paths');
});

afterAll(() => scratch.remove());

/** Generates two symbols from `cwd` and returns the `data_config` the command printed, and where it says to put the config. */
async function generate(cwd: string) {
  const result = await runStrat(
    [
      'data',
      'generate',
      '--symbols',
      'AAPL,MSFT',
      '--from',
      '2024-01-02',
      '--to',
      '2024-01-03',
      '--out',
      'data',
    ],
    { cwd },
  );
  expect(result.code, result.stderr).toBe(0);
  const match =
    /Read them in a session config in (.+) \(a config reads data paths from its own folder\) with\n"data_config": (.+)\n/.exec(
      result.stdout,
    );
  expect(match, result.stdout).not.toBeNull();
  return { where: match?.[1], dataConfig: JSON.parse(match?.[2] ?? 'null') };
}

function config(dataConfig: unknown) {
  return {
    mode: 'backtest',
    backtest_config: { start_date: '2024-01-02', end_date: '2024-01-03' },
    session_data_config: {
      symbols: ['AAPL', 'MSFT'],
      streams: ['1m'],
      strategies: [{ module: '@strat/examples/rsi', config: { symbols: ['AAPL', 'MSFT'] } }],
    },
    data_config: dataConfig,
  };
}

describe('strat data generate: the data_config it prints', () => {
  it('reads the files from a config in session_configs/ when the project has that folder', async () => {
    const project = join(scratch.dir, 'project');
    mkdirSync(join(project, 'session_configs'), { recursive: true });
    mkdirSync(join(project, 'strategies'));
    const { where, dataConfig } = await generate(project);
    expect(where).toBe('session_configs/');
    expect(dataConfig.files.map((f: { path: string }) => f.path)).toEqual([
      '../data/AAPL-1m.csv',
      '../data/MSFT-1m.csv',
    ]);
    const file = join(project, 'session_configs', 'generated.json');
    writeFileSync(file, JSON.stringify(config(dataConfig)));
    const validated = await runStrat(['validate', file]);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    expect(validated.stdout).toContain('ok ');
  });

  it('else from a config in the current folder', async () => {
    const plain = join(scratch.dir, 'plain');
    mkdirSync(plain);
    const { where, dataConfig } = await generate(plain);
    expect(where).toBe('this folder');
    expect(dataConfig.files.map((f: { path: string }) => f.path)).toEqual([
      'data/AAPL-1m.csv',
      'data/MSFT-1m.csv',
    ]);
    const file = join(plain, 'generated.json');
    writeFileSync(file, JSON.stringify(config(dataConfig)));
    const validated = await runStrat(['validate', file]);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
  });
});
