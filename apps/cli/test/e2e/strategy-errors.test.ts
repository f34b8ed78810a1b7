import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import type { SessionSummary } from '@strat/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runStrat, scratchDir } from '../strat-process';

// A new user's typo (`bars.clse`) in a TypeScript strategy, below type-only lines that make its
// transpiled lines and columns differ from the file's: only source maps give line 14.
const TYPO = [
  "import { BaseStrategy, type Interval, type Signal, type Subscription } from '@strat/core';",
  '',
  '/** What the strategy reads from its config. */',
  'interface TypoConfig {',
  '  readonly symbol: string;',
  '}',
  '',
  'export class TypoStrategy extends BaseStrategy {',
  '  getSubscriptions(): Subscription[] {',
  "    return [['AAPL', '1m']];",
  '  }',
  '  onBars(symbol: string, interval: Interval): Signal[] {',
  '    const bars = this.context.getBars(symbol, interval) as unknown as Record<string, number[]>;',
  '    const last = (bars.clse as number[]).at(-1) as number;',
  '    return last > 0 ? [] : [];',
  '  }',
  '}',
  '',
].join('\n');
const TYPO_LINE = 14;
const TYPO_COLUMN = 42;

const SETUP_THROWS = [
  "import { BaseStrategy, type Signal, type StrategyContext, type Subscription } from '@strat/core';",
  '',
  'type Settings = { readonly window: number };',
  '',
  'export class BadSetupStrategy extends BaseStrategy {',
  '  override async setup(ctx: StrategyContext): Promise<boolean> {',
  '    await super.setup(ctx);',
  '    const settings = this.config.settings as Settings | undefined;',
  '    return (settings as Settings).window > 0;',
  '  }',
  "  getSubscriptions(): Subscription[] { return [['AAPL', '1m']]; }",
  '  onBars(): Signal[] { return []; }',
  '}',
  '',
].join('\n');

let scratch: ReturnType<typeof scratchDir>;

function writeConfig(name: string, module: string): string {
  const path = join(scratch.dir, `${name}.json`);
  writeFileSync(
    path,
    JSON.stringify({
      mode: 'backtest',
      backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
      session_data_config: { symbols: ['AAPL'], streams: ['1m'], strategies: [{ module }] },
      data_config: { source: 'generator', seed: 7, missing_bar_rate: 0 },
    }),
  );
  return path;
}

beforeAll(() => {
  scratch = scratchDir('strategy-errors');
  writeFileSync(join(scratch.dir, 'typo.ts'), TYPO);
  writeFileSync(join(scratch.dir, 'bad_setup.ts'), SETUP_THROWS);
});

afterAll(() => scratch.remove());

describe.each(['worker', 'inline'] as const)('a strategy that throws in onBars (%s)', (executor) => {
  it('fails the run (exit 1) and says where, in the default output', async () => {
    const config = writeConfig('typo', './typo.ts');
    const file = join(scratch.dir, 'typo.ts');
    const at = `${relative(repoRoot, file)}:${TYPO_LINE}:${TYPO_COLUMN}`;
    const result = await runStrat([
      'run',
      config,
      '-q',
      '--executor',
      executor,
      '--strategy-root',
      scratch.dir,
    ]);
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(
      "[error] typo: onBars threw on AAPL 1m (bar closing 2024-01-02T14:31:00.000Z): Cannot read properties of undefined (reading 'at') " +
        `at ${at}\n`,
    );
    // Messages, never stacks, without --verbose.
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toContain(
      `Strategy errors\n  typo: 390 errors; first: onBars threw at ${at} on AAPL 1m (bar closing 2024-01-02T14:31:00.000Z): ` +
        "Cannot read properties of undefined (reading 'at')\n",
    );
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(
      `error: strategy typo threw 390 errors, the first at ${at}: its signals may be wrong, so the run failed ` +
        '(fix it, or pass --allow-errors to accept errors)',
    );
  });

  it('exits 0 with --allow-errors, the errors still in the summary with their location', async () => {
    const config = writeConfig('typo', './typo.ts');
    const result = await runStrat([
      'run',
      config,
      '--json',
      '--allow-errors',
      '--executor',
      executor,
      '--strategy-root',
      scratch.dir,
    ]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as SessionSummary;
    expect(summary.state).toBe('completed');
    expect(summary.strategyErrors).toEqual([
      {
        strategy: 'typo',
        state: 'stopped',
        errors: 390,
        first: expect.objectContaining({
          phase: 'onBars',
          fatal: false,
          symbol: 'AAPL',
          interval: '1m',
          location: { file: join(scratch.dir, 'typo.ts'), line: TYPO_LINE, column: TYPO_COLUMN },
        }),
      },
    ]);
    expect(result.stderr).not.toContain('error: strategy typo threw');
  });
});

describe.each(['worker', 'inline'] as const)('a strategy whose setup throws (%s)', (executor) => {
  it('says setup failed and where, and shows its own stack with --verbose', async () => {
    const config = writeConfig('bad-setup', './bad_setup.ts');
    const file = join(scratch.dir, 'bad_setup.ts');
    const args = ['run', config, '-q', '--executor', executor, '--strategy-root', scratch.dir];
    const result = await runStrat(args);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toBe(
      'error: Strategy "bad_setup" (./bad_setup.ts): setup failed: TypeError: ' +
        `Cannot read properties of undefined (reading 'window') at ${relative(repoRoot, file)}:9:35 ` +
        '(session_data_config.strategies[0].module)\n',
    );
    const verbose = await runStrat([...args, '--verbose']);
    expect(verbose.code, verbose.stderr).toBe(2);
    expect(verbose.stderr).toContain(
      "caused by: TypeError: Cannot read properties of undefined (reading 'window')\n" +
        `    at BadSetupStrategy.setup (${file}:9:35)\n`,
    );
  });
});

describe.each(['worker', 'inline'] as const)(
  'a compiled JavaScript strategy with a source map (%s)',
  (executor) => {
    it('is reported at the line of its TypeScript source', async () => {
      const ts = createRequire(import.meta.url)('typescript') as typeof import('typescript');
      const folder = join(scratch.dir, `compiled-${executor}`);
      mkdirSync(folder, { recursive: true });
      const { outputText } = ts.transpileModule(TYPO, {
        compilerOptions: {
          module: ts.ModuleKind.ESNext,
          target: ts.ScriptTarget.ES2022,
          inlineSourceMap: true,
          inlineSources: true,
        },
        fileName: join(folder, 'typo.ts'),
      });
      // The transpiled file has no interface and no blank lines: its own line of the typo differs.
      expect(outputText.split('\n').findIndex((line) => line.includes('bars.clse')) + 1).not.toBe(TYPO_LINE);
      writeFileSync(join(folder, 'typo.js'), outputText);
      writeFileSync(join(folder, 'package.json'), '{ "type": "module" }\n');
      const config = writeConfig(`compiled-${executor}`, `./compiled-${executor}/typo.js`);
      const result = await runStrat([
        'run',
        config,
        '--json',
        '--executor',
        executor,
        '--strategy-root',
        scratch.dir,
      ]);
      expect(result.code, result.stderr).toBe(1);
      const summary = JSON.parse(result.stdout) as SessionSummary;
      expect(summary.strategyErrors[0]?.first.location).toEqual({
        file: join(folder, 'typo.ts'),
        line: TYPO_LINE,
        column: TYPO_COLUMN,
      });
    });
  },
);
