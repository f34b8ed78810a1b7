#!/usr/bin/env node
// Release smoke test: pack every publishable package, install the tarballs with npm into a fresh
// project outside the workspace, then import (ESM) and require (CJS) each one and run a tiny strategy
// through @strat/core's public API. Proves that third parties can install individual packages.
// Writes smoke-results.json ({ passed, failed, checks }) at the repo root for .ci/run's summary.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'strat-smoke-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
const checks = [];

function check(name, fn) {
  try {
    fn();
    checks.push({ name, ok: true });
    console.log(`  ok   ${name}`);
  } catch (error) {
    checks.push({ name, ok: false, error: String(error?.stderr ?? error?.message ?? error) });
    console.log(`  FAIL ${name}\n${String(error?.stderr ?? error?.message ?? error)}`);
  }
}

const run = (cmd, args, cwd) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

const packages = readdirSync(join(root, 'packages'))
  .map((dir) => ({
    dir: join(root, 'packages', dir),
    manifest: JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')),
  }))
  .filter((p) => !p.manifest.private);

console.log(`release smoke test in ${work}`);
check('pack every publishable package', () => {
  for (const p of packages) run('pnpm', ['pack', '--pack-destination', tarballs], p.dir);
});
const files = readdirSync(tarballs).filter((f) => f.endsWith('.tgz'));
check('install the tarballs with npm into an empty project', () => {
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'smoke', private: true, version: '1.0.0' }),
  );
  run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...files.map((f) => join(tarballs, f))],
    project,
  );
});

for (const p of packages) {
  const name = p.manifest.name;
  check(`${name}: import (ESM)`, () => {
    writeFileSync(
      join(project, 'esm.mjs'),
      `const m = await import(${JSON.stringify(name)});\nif (Object.keys(m).length === 0) throw new Error('no exports');\n`,
    );
    run('node', ['esm.mjs'], project);
  });
  check(`${name}: require (CJS)`, () => {
    writeFileSync(
      join(project, 'cjs.cjs'),
      `const m = require(${JSON.stringify(name)});\nif (Object.keys(m).length === 0) throw new Error('no exports');\n`,
    );
    run('node', ['cjs.cjs'], project);
  });
}

const strategySource = (importLine) => `${importLine}
class Breakout extends BaseStrategy {
  getSubscriptions() { return [['DEMO', '1m']]; }
  onBars(symbol, interval) {
    const bars = this.context.getBars(symbol, interval);
    if (bars.length < 2) return [];
    return bars.close.last() > bars.high.get(bars.length - 2)
      ? [new Signal({ symbol, action: SignalAction.BUY, reason: 'breakout', price: bars.close.last() })]
      : [];
  }
}
const bars = [
  { time: 0, open: 10, high: 11, low: 9, close: 10.5, volume: 100 },
  { time: 60000, open: 10.5, high: 12, low: 10, close: 11.9, volume: 100 },
  { time: 120000, open: 11.9, high: 13, low: 11, close: 12.5, volume: 100 },
];
const series = barSeriesFromBars('DEMO', '1m', bars);
const strategy = new Breakout('breakout', {});
const ctx = {
  mode: 'backtest', speedMultiplier: 0, logger: createLogger('smoke', 'silent'),
  getCurrentTime: () => 180000, getBars: () => series, hasBars: () => true, getBarQuality: () => 100, getSymbols: () => ['DEMO'],
};
if (strategy.setup(ctx) !== true) throw new Error('setup failed');
const signals = strategy.onBars('DEMO', '1m');
if (signals.length !== 1 || signals[0].action !== 'BUY' || signals[0].price !== 12.5) throw new Error('unexpected signals ' + JSON.stringify(signals));
`;
check('@strat/core: a strategy subclass runs (ESM)', () => {
  writeFileSync(
    join(project, 'strategy.mjs'),
    strategySource(
      `import { BaseStrategy, Signal, SignalAction, barSeriesFromBars, createLogger } from '@strat/core';`,
    ),
  );
  run('node', ['strategy.mjs'], project);
});
check('@strat/core: a strategy subclass runs (CJS)', () => {
  writeFileSync(
    join(project, 'strategy.cjs'),
    strategySource(
      `const { BaseStrategy, Signal, SignalAction, barSeriesFromBars, createLogger } = require('@strat/core');`,
    ),
  );
  run('node', ['strategy.cjs'], project);
});

rmSync(work, { recursive: true, force: true });
const passed = checks.filter((c) => c.ok).length;
const failed = checks.length - passed;
writeFileSync(join(root, 'smoke-results.json'), `${JSON.stringify({ passed, failed, checks }, null, 2)}\n`);
console.log(`release smoke: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
