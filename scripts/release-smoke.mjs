#!/usr/bin/env node
// Release smoke test: pack every publishable package, install the tarballs with npm into a fresh
// project outside the workspace, then import (ESM) and require (CJS) each one and run a tiny strategy
// through @strat/core's public API. Then, as a third party would: a Session with a TypeScript strategy
// (refused with a clear message while tsx, the runtime's optional peer, is missing; run once it is
// there), the same class named in a Session built in code (worker and inline) and tested with
// runStrategy, the runtime README's first example, and the `strat` command of @strat/cli installed from its
// tarball. Proves that third parties can install individual packages.
// Writes smoke-results.json ({ passed, failed, checks }) at the repo root for .ci/run's summary.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
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

const published = ['packages', 'apps']
  .flatMap((group) => readdirSync(join(root, group)).map((dir) => join(root, group, dir)))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
  .filter((p) => !p.manifest.private);
// The libraries (imported by code); the CLI is installed after them, in its own step.
const packages = published.filter((p) => p.manifest.bin === undefined);
const cli = published.find((p) => p.manifest.name === '@strat/cli');

console.log(`release smoke test in ${work}`);
const tarballOf = new Map();
check('pack every publishable package', () => {
  for (const p of published) {
    const before = new Set(existsSync(tarballs) ? readdirSync(tarballs) : []);
    run('pnpm', ['pack', '--pack-destination', tarballs], p.dir);
    const made = readdirSync(tarballs).find((f) => f.endsWith('.tgz') && !before.has(f));
    if (made === undefined) throw new Error(`no tarball for ${p.manifest.name}`);
    tarballOf.set(p.manifest.name, join(tarballs, made));
  }
  if (cli === undefined) throw new Error('@strat/cli is not publishable');
});
check('install the library tarballs with npm into an empty project', () => {
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'smoke', private: true, version: '1.0.0' }),
  );
  run(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      ...packages.map((p) => tarballOf.get(p.manifest.name)),
    ],
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

// A third party's TypeScript strategy, loaded by a Session built in code and by `strat run`.
mkdirSync(join(project, 'strategies'), { recursive: true });
writeFileSync(
  join(project, 'strategies', 'breakout.ts'),
  `import { BaseStrategy, type Interval, Signal, SignalAction } from '@strat/core';

export class BreakoutStrategy extends BaseStrategy<{ symbol: string; lookback?: number }> {
  // Where a session built in code (\`{ strategy: BreakoutStrategy }\`) finds the class for a worker thread.
  static readonly moduleUrl = import.meta.url;

  getSubscriptions() {
    return [[this.config.symbol, '5m']] as const;
  }

  onBars(symbol: string, interval: Interval): Signal[] {
    const bars = this.context.getBars(symbol, interval);
    const lookback: number = this.config.lookback ?? 12;
    const newest = bars.length - 1;
    if (newest < lookback) return [];
    let high = -Infinity;
    for (let i = newest - lookback; i < newest; i++) high = Math.max(high, bars.high.get(i));
    const close = bars.close.get(newest);
    return close > high ? [new Signal({ symbol, action: SignalAction.BUY, price: close, reason: 'breakout' })] : [];
  }
}
`,
);
const sessionConfig = {
  mode: 'backtest',
  backtest_config: { start_date: '2024-01-02', end_date: '2024-01-04' },
  session_data_config: {
    symbols: ['AAPL'],
    streams: ['1m', '5m'],
    strategies: [{ module: 'strategies.breakout', config: { symbol: 'AAPL' } }],
  },
};
writeFileSync(join(project, 'session.json'), `${JSON.stringify(sessionConfig, null, 2)}\n`);
writeFileSync(
  join(project, 'session.mjs'),
  `import { Session } from '@strat/runtime';
const session = Session.fromFile('session.json', { logLevel: 'silent', journalPath: 'session-signals.jsonl' });
const errors = [];
session.on('strategyError', (e) => errors.push(e.message));
try {
  const summary = await session.start();
  console.log(JSON.stringify({ state: summary.state, signals: summary.signals, errors }));
} catch (error) {
  console.log(JSON.stringify({ rejected: String(error?.message ?? error), errors }));
}
`,
);
const runSession = () => JSON.parse(run('node', ['session.mjs'], project).trim().split('\n').at(-1));

check('@strat/runtime: a TypeScript strategy without tsx installed fails, saying to install it', () => {
  if (existsSync(join(project, 'node_modules', 'tsx')))
    throw new Error('tsx was installed with the libraries');
  const outcome = runSession();
  const told = [outcome.rejected ?? '', ...outcome.errors].join('\n');
  if (
    !/needs tsx, an optional peer dependency of @strat\/runtime/.test(told) ||
    !told.includes('npm install --save-dev tsx')
  ) {
    throw new Error(`no clear message about tsx: ${JSON.stringify(outcome)}`);
  }
});

check('install the @strat/cli tarball (it brings tsx)', () => {
  run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', tarballOf.get('@strat/cli')],
    project,
  );
  if (!existsSync(join(project, 'node_modules', 'tsx', 'package.json')))
    throw new Error('tsx is not installed');
});

check('@strat/runtime: a Session runs a TypeScript strategy from the project', () => {
  const outcome = runSession();
  if (
    outcome.rejected !== undefined ||
    outcome.errors.length > 0 ||
    outcome.state !== 'completed' ||
    !(outcome.signals > 0)
  ) {
    throw new Error(`unexpected outcome ${JSON.stringify(outcome)}`);
  }
  const lines = readFileSync(join(project, 'session-signals.jsonl'), 'utf8').trim().split('\n');
  if (lines.length !== outcome.signals)
    throw new Error(`${lines.length} journal lines for ${outcome.signals} signals`);
});

// The same class, imported by a third party's code and named in a config built in code.
writeFileSync(
  join(project, 'session-class.mts'),
  `import { Session } from '@strat/runtime';
import { runStrategy } from '@strat/runtime/testing';
import { BreakoutStrategy } from './strategies/breakout.ts';

const outcomes = {};
for (const executor of ['worker', 'inline']) {
  const session = Session.fromConfig(
    {
      mode: 'backtest',
      backtest_config: { start_date: '2024-01-02', end_date: '2024-01-04' },
      session_data_config: {
        symbols: ['AAPL'],
        streams: ['1m', '5m'],
        strategies: [{ strategy: BreakoutStrategy, executor, config: { symbol: 'AAPL' } }],
      },
    },
    { configDir: import.meta.dirname, logLevel: 'silent', journalPath: \`class-\${executor}.jsonl\` },
  );
  const errors: string[] = [];
  session.on('strategyError', (e) => errors.push(e.message));
  const summary = await session.start();
  outcomes[executor] = { state: summary.state, signals: summary.signals, errors };
}
const run = await runStrategy({
  strategy: BreakoutStrategy,
  config: { symbol: 'DEMO', lookback: 2 },
  interval: '5m',
  bars: { DEMO: [10, 11, 12, 11, 13] },
});
outcomes.test = run.signals.map((s) => \`\${s.action} \${s.price}\`);
console.log(JSON.stringify(outcomes));
`,
);

check(
  '@strat/runtime: a Session built in code from a TypeScript class runs it in a worker and inline',
  () => {
    const outcome = JSON.parse(
      run('node', ['--import', 'tsx', 'session-class.mts'], project).trim().split('\n').at(-1),
    );
    const moduleRun = readFileSync(join(project, 'session-signals.jsonl'), 'utf8');
    for (const executor of ['worker', 'inline']) {
      const { state, signals, errors } = outcome[executor];
      if (state !== 'completed' || errors.length > 0 || !(signals > 0)) {
        throw new Error(`${executor}: unexpected outcome ${JSON.stringify(outcome[executor])}`);
      }
      if (readFileSync(join(project, `class-${executor}.jsonl`), 'utf8') !== moduleRun) {
        throw new Error(`${executor}: the class journalled other signals than its module named in a config`);
      }
    }
    // runStrategy: bars 2 and 4 close above the highest high of the two bars before them
    if (JSON.stringify(outcome.test) !== JSON.stringify(['BUY 12', 'BUY 13'])) {
      throw new Error(`runStrategy gave ${JSON.stringify(outcome.test)}`);
    }
  },
);

check("@strat/runtime: the README's first example runs as written", () => {
  const readme = readFileSync(join(root, 'packages', 'runtime', 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (example === undefined) throw new Error('no TypeScript example in the runtime README');
  writeFileSync(join(project, 'readme-example.mts'), example);
  const output = run('node', ['--import', 'tsx', 'readme-example.mts'], project);
  if (!/^completed /m.test(output)) throw new Error(`the example printed:\n${output}`);
  if (!existsSync(join(project, 'out', 'signals.jsonl'))) throw new Error('no journal at out/signals.jsonl');
});

check('@strat/cli: npx strat --version', () => {
  const version = run('npx', ['--no-install', 'strat', '--version'], project).trim();
  if (version !== cli.manifest.version)
    throw new Error(`printed ${version}, expected ${cli.manifest.version}`);
});

check('@strat/cli: npx strat run with a TypeScript strategy, outside the workspace', () => {
  const result = spawnSync(
    'npx',
    ['--no-install', 'strat', 'run', 'session.json', '--quiet', '--json', '--out', 'cli-signals.jsonl'],
    {
      cwd: project,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`exit ${result.status}\n${result.stderr}`);
  const summary = JSON.parse(result.stdout);
  const journal = readFileSync(join(project, 'cli-signals.jsonl'), 'utf8');
  if (!(summary.signals > 0)) throw new Error(`no signals: ${result.stdout}`);
  if (journal !== readFileSync(join(project, 'session-signals.jsonl'), 'utf8')) {
    throw new Error('strat run journalled other signals than the Session');
  }
});

rmSync(work, { recursive: true, force: true });
const passed = checks.filter((c) => c.ok).length;
const failed = checks.length - passed;
writeFileSync(join(root, 'smoke-results.json'), `${JSON.stringify({ passed, failed, checks }, null, 2)}\n`);
console.log(`release smoke: ${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
