import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { SessionSummary } from '@strat/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, runStrat, scratchDir } from '../strat-process';

let scratch: ReturnType<typeof scratchDir>;
const require = createRequire(import.meta.url);

/** Runs an installed tool's bin with node in `cwd`. */
function runTool(pkg: string, bin: string, args: string[], cwd: string) {
  const manifestPath = require.resolve(`${pkg}/package.json`, { paths: [repoRoot] });
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> | string };
  const relativeBin = typeof manifest.bin === 'string' ? manifest.bin : (manifest.bin[bin] as string);
  return spawnSync(process.execPath, [join(manifestPath, '..', relativeBin), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
  });
}

beforeAll(() => {
  // A project of its own (strategies/ marks its root) inside the repository, so @strat/core resolves.
  scratch = scratchDir('project');
  mkdirSync(join(scratch.dir, 'strategies'));
  writeFileSync(join(scratch.dir, 'vitest.config.mjs'), 'export default { test: {} };\n');
  writeFileSync(
    join(scratch.dir, 'tsconfig.json'),
    JSON.stringify({
      extends: join(repoRoot, 'tsconfig.base.json'),
      compilerOptions: { noEmit: true },
      include: ['strategies'],
    }),
  );
});

afterAll(() => scratch.remove());

describe('strat new strategy', () => {
  // The longest name allowed: the generated code must still fit the formatter's line width.
  const name = 'momentum_breakout_with_filters';

  it('scaffolds a strategy whose test passes, which type-checks, and which strat run runs', async () => {
    const created = await runStrat(['new', 'strategy', name], { cwd: scratch.dir });
    expect(created.stderr).toBe('');
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain(`created strategies/production/${name}.ts`);
    expect(created.stdout).toContain(`created strategies/production/${name}.test.ts`);
    expect(created.stdout).toContain(`created session_configs/${name}.json`);
    expect(created.stdout).toContain(`strat run session_configs/${name}.json`);
    const source = readFileSync(join(scratch.dir, 'strategies', 'production', `${name}.ts`), 'utf8');
    expect(source).toContain('export class MomentumBreakoutWithFiltersStrategy extends BaseStrategy<');
    // Both files are the repository's template and its test with the names replaced, nothing else.
    const template = (file: string) => readFileSync(join(repoRoot, 'strategies', 'production', file), 'utf8');
    const renamed = (text: string) =>
      text
        .replaceAll('template_strategy', name)
        .replaceAll('TemplateStrategy', 'MomentumBreakoutWithFiltersStrategy')
        .replaceAll('TemplateConfig', 'MomentumBreakoutWithFiltersConfig');
    expect(source).toBe(renamed(template('template_strategy.ts')));
    expect(readFileSync(join(scratch.dir, 'strategies', 'production', `${name}.test.ts`), 'utf8')).toBe(
      renamed(template('template_strategy.test.ts')),
    );

    const tests = runTool('vitest', 'vitest', ['run'], scratch.dir);
    expect(tests.stdout + tests.stderr).toContain('2 passed');
    expect(tests.status).toBe(0);

    const types = runTool('typescript', 'tsc', ['-p', '.'], scratch.dir);
    expect(types.stdout + types.stderr).toBe('');
    expect(types.status).toBe(0);

    for (const file of [
      `strategies/production/${name}.ts`,
      `strategies/production/${name}.test.ts`,
      `session_configs/${name}.json`,
    ]) {
      const original = readFileSync(join(scratch.dir, file), 'utf8');
      const check = spawnSync(
        process.execPath,
        [
          require.resolve('@biomejs/biome/bin/biome', { paths: [repoRoot] }),
          'check',
          '--write',
          `--stdin-file-path=${file}`,
        ],
        { cwd: repoRoot, input: original, encoding: 'utf8' },
      );
      expect(check.stdout, `${file} as biome formats it`).toBe(original);
    }

    const run = await runStrat(
      ['run', join('session_configs', `${name}.json`), '--json', '--out', 'journal.jsonl'],
      {
        cwd: scratch.dir,
      },
    );
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as SessionSummary;
    expect(summary.state).toBe('completed');
    expect(summary.metrics.per_strategy[0]).toMatchObject({ strategy: name, errors: 0 });
    expect(summary.signals).toBeGreaterThan(0);
    expect(readFileSync(join(scratch.dir, 'journal.jsonl'), 'utf8').split('\n').length - 1).toBe(
      summary.signals,
    );
  });

  it('never overwrites, and says why', async () => {
    const again = await runStrat(['new', 'strategy', name], { cwd: scratch.dir });
    expect(again.code, again.stderr).toBe(2);
    expect(again.stderr).toContain(`not overwriting strategies/production/${name}.ts`);
    // A partial clash writes nothing either.
    writeFileSync(join(scratch.dir, 'session_configs', 'clash.json'), '{}');
    const clash = await runStrat(['new', 'strategy', 'clash'], { cwd: scratch.dir });
    expect(clash.code, clash.stderr).toBe(2);
    expect(existsSync(join(scratch.dir, 'strategies', 'production', 'clash.ts'))).toBe(false);
  });

  it.each(['MeanReversion', 'mean-reversion', '2fast', 'a__b', 'x'.repeat(31)])(
    'refuses the name %s',
    async (bad) => {
      const result = await runStrat(['new', 'strategy', bad], { cwd: scratch.dir });
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr).toContain(`"${bad}" is not a valid strategy name: use snake_case`);
    },
  );

  it('leaves the session config out with --no-config', async () => {
    const result = await runStrat(['new', 'strategy', 'plain_one', '--no-config'], { cwd: scratch.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(scratch.dir, 'strategies', 'production', 'plain_one.ts'))).toBe(true);
    expect(existsSync(join(scratch.dir, 'session_configs', 'plain_one.json'))).toBe(false);
  });
});
