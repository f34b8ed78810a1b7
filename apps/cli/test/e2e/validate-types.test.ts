import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStrat, scratchDir } from '../strat-process';

// Runs, and would throw on every bar: only the types say so before a run.
const TYPO = [
  "import { BaseStrategy, type Interval, type Signal, type Subscription } from '@strat/core';",
  '',
  'export class TypoStrategy extends BaseStrategy {',
  "  getSubscriptions(): Subscription[] { return [['AAPL', '1m']]; }",
  '  onBars(symbol: string, interval: Interval): Signal[] {',
  '    const bars = this.context.getBars(symbol, interval);',
  '    return bars.clse > 0 ? [] : [];',
  '  }',
  '}',
  '',
].join('\n');

const FINE = [
  "import { BaseStrategy, type Interval, type Signal, type Subscription } from '@strat/core';",
  '',
  'export class FineStrategy extends BaseStrategy {',
  "  getSubscriptions(): Subscription[] { return [['AAPL', '1m']]; }",
  '  onBars(symbol: string, interval: Interval): Signal[] {',
  '    return this.context.getBars(symbol, interval).length > 0 ? [] : [];',
  '  }',
  '}',
  '',
].join('\n');

let scratch: ReturnType<typeof scratchDir>;

/** A project of its own (it has strategies/), inside the repository so that @strat/core and typescript resolve. */
function project(files: Record<string, string>): { dir: string; config: (module: string) => string } {
  const dir = mkdtempSync(join(scratch.dir, 'project-'));
  mkdirSync(join(dir, 'strategies'));
  writeFileSync(
    join(dir, 'package.json'),
    '{ "name": "types-project", "private": true, "type": "module" }\n',
  );
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'strategies', name), text);
  return {
    dir,
    config: (module) => {
      const path = join(dir, `${module}.json`);
      writeFileSync(
        path,
        JSON.stringify({
          mode: 'backtest',
          backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
          session_data_config: { symbols: ['AAPL'], streams: ['1m'], strategies: [{ module }] },
        }),
      );
      return path;
    },
  };
}

beforeAll(() => {
  scratch = scratchDir('validate-types');
});

afterAll(() => scratch.remove());

// Each run builds a TypeScript program: slow on a loaded machine.
describe('strat validate --types', { timeout: 180_000 }, () => {
  it("prints each type error of the config's strategies at its file:line:column and exits 2", async () => {
    const { dir, config } = project({ 'typo.ts': TYPO });
    const path = config('strategies.typo');
    // Without --types the typo goes unnoticed: the module loads and sets up.
    const plain = await runStrat(['validate', path], { cwd: dir });
    expect(plain.code, plain.stderr).toBe(0);
    const result = await runStrat(['validate', path, '--types'], { cwd: dir });
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout.startsWith(`ok   ${path} (1 strategy`)).toBe(true);
    expect(result.stdout).toMatch(/\nFAIL types: 1 error in 1 strategy file \(TypeScript 5\.\d+\.\d+\)\n/);
    expect(result.stdout).toContain(
      "\n  strategies/typo.ts:7:17 - error TS2551: Property 'clse' does not exist on type 'BarSeries'. Did you mean 'close'?\n",
    );
    const json = await runStrat(['validate', path, '--types', '--json'], { cwd: dir });
    expect(json.code, json.stderr).toBe(2);
    const report = JSON.parse(json.stdout);
    expect(report.ok).toBe(false);
    expect(report.types).toEqual([
      expect.objectContaining({
        project: dir,
        files: [join(dir, 'strategies', 'typo.ts')],
        errors: [
          expect.objectContaining({
            file: join(dir, 'strategies', 'typo.ts'),
            line: 7,
            column: 17,
            code: 2551,
          }),
        ],
      }),
    ]);
  });

  it('says ok for strategies that type-check, with the options of the tsconfig.json it found', async () => {
    const { dir, config } = project({ 'fine.ts': FINE });
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, module: 'ESNext', moduleResolution: 'Bundler', skipLibCheck: true },
      }),
    );
    const result = await runStrat(['validate', config('strategies.fine'), '--types'], { cwd: dir });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /\nok {3}types: 1 strategy file \(TypeScript 5\.\d+\.\d+, tsconfig\.json\)\n$/,
    );
  });

  it('says how to install TypeScript when the project has none, and exits 2', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'strat-no-ts-'));
    try {
      mkdirSync(join(outside, 'strategies'));
      writeFileSync(join(outside, 'strategies', 'plain.ts'), 'export class PlainStrategy {}\n');
      const path = join(outside, 'plain.json');
      writeFileSync(
        path,
        JSON.stringify({
          mode: 'backtest',
          backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
          session_data_config: {
            symbols: ['AAPL'],
            streams: ['1m'],
            strategies: [{ module: 'strategies.plain' }],
          },
        }),
      );
      const result = await runStrat(['validate', path, '--types'], { cwd: outside });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toBe(
        `error: TypeScript is not installed in ${outside}: install it there (npm install --save-dev typescript) ` +
          'for strat validate --types, which checks your strategies with your own TypeScript\n',
      );
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
