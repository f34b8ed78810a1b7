#!/usr/bin/env node
// `pnpm demo`: builds what the demo needs (turbo, cached) without printing its logs, then runs the
// demo backtest (`pnpm --filter @strat/cli demo`), so the first lines on screen are the demo's own.
// A failed build prints everything turbo printed and exits with its code.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pnpm = process.platform === 'win32' ? 'pnpm.cmd' : 'pnpm';

const build = spawnSync(
  pnpm,
  [
    'exec',
    'turbo',
    'run',
    'build',
    '--filter=@strat/cli',
    '--filter=@strat/examples',
    '--output-logs=errors-only',
  ],
  { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' },
);
if (build.status !== 0) {
  process.stderr.write(`${build.stdout ?? ''}${build.stderr ?? ''}`);
  process.stderr.write(`pnpm demo: the build failed (${build.error?.message ?? `exit ${build.status}`})\n`);
  process.exit(build.status ?? 1);
}

const demo = spawnSync(pnpm, ['--silent', '--filter', '@strat/cli', 'run', 'demo'], {
  cwd: root,
  stdio: 'inherit',
  shell: process.platform === 'win32',
});
process.exit(demo.status ?? 1);
