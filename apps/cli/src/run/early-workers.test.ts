import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { earlyStrategyWorkers } from './early-workers';

const argv = (...args: string[]) => ['node', 'strat', ...args];

describe('earlyStrategyWorkers', () => {
  it('one thread for `strat run`, none for other commands, for --executor inline or for help', () => {
    expect(earlyStrategyWorkers(argv('run', 'a.json'))).toBe(1);
    expect(earlyStrategyWorkers(argv('run', 'a.json', '--executor', 'worker', '--out', 'j.jsonl'))).toBe(1);
    expect(earlyStrategyWorkers(argv('run', 'a.json', '--executor', 'inline'))).toBe(0);
    expect(earlyStrategyWorkers(argv('run', '--executor=inline', 'a.json'))).toBe(0);
    expect(earlyStrategyWorkers(argv('run', '--help'))).toBe(0);
    expect(earlyStrategyWorkers(argv('run', 'a.json', '-h'))).toBe(0);
    // After `--`, everything is an argument.
    expect(earlyStrategyWorkers(argv('run', '--', '--help'))).toBe(1);
    for (const other of [[], ['sweep', 'a.json'], ['validate', 'run'], ['--version'], ['data', 'import']]) {
      expect(earlyStrategyWorkers(argv(...other))).toBe(0);
    }
  });

  it('@strat/runtime/prewarm (built) loads nothing of @strat/core or zod: cli.ts imports it before everything else', () => {
    // A resolve hook in the child prints every module the import loads.
    const hooks =
      'export async function resolve(s, c, next) { const r = await next(s, c); ' +
      "process.stderr.write('LOADED ' + r.url + '\\n'); return r; }";
    const script =
      "import { register } from 'node:module';" +
      `register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});` +
      "const m = await import('@strat/runtime/prewarm');" +
      "process.stdout.write(Object.keys(m).sort().join(','));";
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: new URL('..', import.meta.url),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout).toBe('prewarmStrategyWorkers,releasePrewarmedStrategyWorkers');
    const loaded = child.stderr
      .split('\n')
      .filter((line) => line.startsWith('LOADED '))
      .map((line) => line.slice('LOADED '.length));
    expect(loaded.some((url) => url.includes('/packages/runtime/dist/prewarm.js'))).toBe(true);
    expect(loaded.filter((url) => url.includes('/core/') || url.includes('zod'))).toEqual([]);
    expect(
      loaded.filter((url) => url.startsWith('file:') && !url.includes('/packages/runtime/dist/')),
    ).toEqual([]);
  });
});
