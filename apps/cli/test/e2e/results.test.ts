import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SessionSummary } from '@strat/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStrat, scratchDir } from '../strat-process';

let scratch: ReturnType<typeof scratchDir>;

beforeAll(() => {
  scratch = scratchDir('results');
});

afterAll(() => scratch.remove());

function writeConfig(name: string, execution: boolean): string {
  const path = join(scratch.dir, name);
  writeFileSync(
    path,
    JSON.stringify({
      mode: 'backtest',
      backtest_config: { start_date: '2024-01-02', end_date: '2024-01-04' },
      session_data_config: {
        symbols: ['AAPL', 'MSFT'],
        streams: ['1m'],
        strategies: [
          {
            module: '@strat/examples/sma-cross',
            name: 'sma',
            config: { symbols: ['AAPL', 'MSFT'], interval: '1m', fast_period: 5, slow_period: 20 },
          },
          { module: '@strat/examples/rsi', name: 'rsi', config: { symbols: ['AAPL'], interval: '1m' } },
        ],
      },
      data_config: { source: 'generator', seed: 5 },
      ...(execution ? { execution: { commission: { per_unit: 0.01 }, sizing: { percent_equity: 40 } } } : {}),
    }),
  );
  return path;
}

describe('strat run --results / --report and strat report', () => {
  it('prints the paper results, writes the results folder and a report that strat report rebuilds byte for byte', async () => {
    const config = writeConfig('paper.json', true);
    const dir = join(scratch.dir, 'out', 'paper');
    const report = join(scratch.dir, 'out', 'paper.html');
    const result = await runStrat(['run', config, '--results', dir, '--report', report, '--quiet']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Paper results');
    expect(result.stdout).toMatch(/│ sma +│ +\d+ │/);
    expect(result.stdout).toMatch(/│ total +│ +\d+ │/);
    expect(result.stdout).toContain(`results: ${dir}\n`);
    expect(result.stdout).toContain(`report: ${report}\n`);
    for (const file of ['results.json', 'trades.csv', 'fills.csv', 'equity.csv', 'bars.csv']) {
      expect(existsSync(join(dir, file)), file).toBe(true);
    }
    const results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(results.format).toBe('strat-results/1');
    expect(results.strategies.map((s: { strategy: string }) => s.strategy)).toEqual(['sma', 'rsi']);
    const trades = readFileSync(join(dir, 'trades.csv'), 'utf8').trim().split('\n').length - 1;
    expect(trades).toBeGreaterThan(5);
    expect(result.stdout).toMatch(new RegExp(`│ total +│ +${trades} │`));
    const html = readFileSync(report, 'utf8');
    expect(html.startsWith('<!doctype html>') || html.startsWith('<!DOCTYPE html>')).toBe(true);

    const again = join(scratch.dir, 'out', 'again.html');
    const rebuilt = await runStrat(['report', dir, '-o', again]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toBe(`report: ${again}\n`);
    expect(readFileSync(again, 'utf8')).toBe(html);
  });

  it('keeps stdout for the JSON summary alone with --json, results included', async () => {
    const config = writeConfig('paper-json.json', true);
    const dir = join(scratch.dir, 'out', 'json');
    const result = await runStrat(['run', config, '--results', dir, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as SessionSummary;
    expect(summary.results?.strategies.map((s) => s.strategy)).toEqual(['sma', 'rsi']);
    expect(summary.results?.total.trades).toBeGreaterThan(5);
    expect(result.stderr).toContain(`results: ${dir}`);
  });

  it('refuses --results and --report without an execution section before anything runs (exit 2)', async () => {
    const config = writeConfig('plain.json', false);
    const dir = join(scratch.dir, 'out', 'never');
    const result = await runStrat(['run', config, '--results', dir, '--report', join(dir, 'r.html')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      '--results and --report need paper execution: add an "execution" section',
    );
    expect(result.stdout).toBe('');
    expect(existsSync(dir)).toBe(false);
  });

  it('strat report explains a folder that is missing or not a results folder (exit 2)', async () => {
    const missing = await runStrat(['report', join(scratch.dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such folder');
    const notResults = await runStrat(['report', scratch.dir]);
    expect(notResults.code).toBe(2);
    expect(notResults.stderr).toContain('not a results folder (no results.json');
  });
});
