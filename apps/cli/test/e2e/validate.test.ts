import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configsDir, runStrat, scratchDir } from '../strat-process';

let scratch: ReturnType<typeof scratchDir>;

const validBase = {
  mode: 'backtest',
  backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
  session_data_config: {
    symbols: ['AAPL'],
    streams: ['1m', '5m'],
    strategies: [{ module: 'strategies.examples.simple_ma_cross', config: { symbols: ['AAPL'] } }],
  },
};

function writeConfig(name: string, content: unknown): string {
  const path = join(scratch.dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return path;
}

beforeAll(() => {
  scratch = scratchDir('validate');
  writeFileSync(join(scratch.dir, 'no_class.ts'), 'export const WINDOW = 20;\nexport function helper() {}\n');
});

afterAll(() => scratch.remove());

describe('strat validate', () => {
  it('passes every repository config with one ok line each', async () => {
    const files = readdirSync(configsDir).filter((f) => f.endsWith('.json'));
    // The live config reads its feed credentials from the environment (a warning line when they are missing).
    const result = await runStrat(['validate', ...files.map((f) => join('session_configs', f))], {
      env: { STRAT_FEED_KEY: 'key', STRAT_FEED_SECRET: 'secret' },
    });
    expect(result.stderr).toBe('');
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(files.length);
    for (const line of lines) expect(line).toMatch(/^ok {3}session_configs\/\S+\.json \(\d+ strateg/);
    expect(result.stdout).toContain(
      // 2024-01-02..26 has 19 weekdays; Martin Luther King Jr. Day (2024-01-15) is an NYSE holiday.
      'demo.json (3 strategies, 1 scanner, 4 symbols, 18 sessions, generated data)',
    );
    expect(result.stdout).toContain(
      'live_replay.json (2 strategies, 3 symbols, live feed ws://127.0.0.1:8765/ on the feed clock until 2024-01-03)',
    );
  });

  it('checks each strategy config against its schema, and starts each strategy without bars: a subscription nobody streams is a problem', async () => {
    const refused = writeConfig('refused.json', {
      ...validBase,
      session_data_config: {
        ...validBase.session_data_config,
        strategies: [
          {
            module: 'strategies.examples.simple_ma_cross',
            config: { symbols: ['AAPL'], fast_period: 30, slow_period: 20 },
          },
          { module: 'strategies.examples.rsi_strategy', config: { symbols: ['TSLA'], interval: '15m' } },
        ],
      },
    });
    const first = await runStrat(['validate', refused]);
    expect(first.code).toBe(2);
    expect(first.stdout).toContain(
      '  - session_data_config.strategies[0].config.fast_period: must be less than slow_period (20), got 30',
    );
    const run0 = await runStrat(['run', refused, '-q']);
    expect(run0.code).toBe(2);
    expect(run0.stderr).toContain(
      'session_data_config.strategies[0].config.fast_period: must be less than slow_period (20), got 30',
    );
    const unstreamed = writeConfig('unstreamed.json', {
      ...validBase,
      session_data_config: {
        ...validBase.session_data_config,
        strategies: [
          { module: 'strategies.examples.rsi_strategy', config: { symbols: ['TSLA'], interval: '15m' } },
        ],
      },
    });
    const second = await runStrat(['validate', unstreamed]);
    expect(second.code).toBe(2);
    expect(second.stdout).toContain(
      '  - session_data_config.strategies[0].config: rsi_strategy subscribes to TSLA 15m, which the session does not stream (symbols AAPL; streams 1m, 5m)',
    );
    const run = await runStrat(['run', unstreamed, '-q']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('rsi_strategy subscribes to TSLA 15m, which the session does not stream');
  });

  it('loads modules only from strategies/ and allowed packages: a config cannot pick other project code', async () => {
    const config = (module: string) =>
      writeConfig(`rogue-${module.replaceAll(/[^a-z]/g, '')}.json`, {
        ...validBase,
        session_data_config: { ...validBase.session_data_config, strategies: [{ module }] },
      });
    for (const module of ['apps.cli.dist.cli', 'node_modules.vitest.dist.cli', './no_class.ts']) {
      const result = await runStrat(['validate', config(module)]);
      expect(result.code, result.stdout).toBe(2);
      expect(result.stdout).toMatch(/lies outside the strategy roots/);
    }
    const pkg = await runStrat(['validate', config('vitest')]);
    expect(pkg.code).toBe(2);
    expect(pkg.stdout).toContain('package "vitest" is not on the allowed list (@strat/examples)');
    const run = await runStrat(['run', config('apps.cli.dist.cli'), '-q']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/lies outside the strategy roots/);
  });

  it('checks live configs: a 1m base stream is a problem, feed credentials missing or in the file are warnings', async () => {
    const live = {
      mode: 'live',
      live_config: { feed_url: 'ws://127.0.0.1:8765', clock: 'feed', secret: 'in-the-file' },
      session_data_config: validBase.session_data_config,
    };
    const ok = writeConfig('live.json', live);
    const env = { STRAT_FEED_URL: undefined, STRAT_FEED_KEY: undefined, STRAT_FEED_SECRET: undefined };
    const result = await runStrat(['validate', ok], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      `ok   ${ok} (1 strategy, 1 symbol, live feed ws://127.0.0.1:8765/ on the feed clock until stopped)`,
    );
    expect(result.stdout).toContain(
      '  warning live_config.key: missing: live mode needs the feed API key; set live_config.key or the STRAT_FEED_KEY environment variable before strat run',
    );
    expect(result.stdout).toContain('  warning live_config.secret: written in the config file');
    expect(result.stdout).not.toContain('in-the-file');
    const withKey = await runStrat(['validate', ok], { env: { ...env, STRAT_FEED_KEY: 'k' } });
    expect(withKey.stdout).not.toContain('warning live_config.key');

    const fiveMinutes = writeConfig('live-5m.json', {
      ...live,
      session_data_config: { ...validBase.session_data_config, streams: ['5m'] },
      backtest_config: { start_date: '2024-01-06', end_date: '2024-01-07' },
    });
    const bad = await runStrat(['validate', fiveMinutes, '--json'], { env });
    expect(bad.code, bad.stderr).toBe(2);
    const report = JSON.parse(bad.stdout) as {
      files: {
        problems: { path: string; message: string }[];
        warnings: { path: string; message: string }[];
      }[];
    };
    expect(report.files[0]?.problems).toEqual([
      {
        path: 'session_data_config.streams',
        message: 'the live feed sends 1m bars, so the shortest stream must be 1m (got 5m)',
      },
    ]);
    // Live, only the replayer reads backtest_config: a weekend is a warning about the replay.
    expect(report.files[0]?.warnings).toContainEqual(
      expect.objectContaining({
        path: 'backtest_config',
        message: expect.stringContaining('in live mode only strat feed serve reads it'),
      }),
    );
  });

  it.each([
    ['bad JSON', '{ "mode": "backtest",\n  "backtest_config": {', '(file)', 'not valid JSON at line 2'],
    ['an unknown field', { ...validBase, speed: 3 }, 'speed', 'unknown field "speed"'],
    [
      'a wrong type',
      { ...validBase, backtest_config: { ...validBase.backtest_config, speed_multiplier: 'fast' } },
      'backtest_config.speed_multiplier',
      'expected a number, got "fast"',
    ],
    [
      'a missing module',
      {
        ...validBase,
        session_data_config: {
          ...validBase.session_data_config,
          strategies: [{ module: 'strategies.examples.nope' }],
        },
      },
      'session_data_config.strategies[0].module',
      'Cannot load strategy module "strategies.examples.nope": no such file',
    ],
    [
      'a module without a strategy class',
      {
        ...validBase,
        session_data_config: {
          ...validBase.session_data_config,
          strategies: [validBase.session_data_config.strategies[0], { module: './no_class.ts' }],
        },
      },
      'session_data_config.strategies[1].module',
      'no strategy class found: expected an export named NoClassStrategy extending BaseStrategy; the module exports WINDOW, helper',
    ],
    [
      'a missing CSV file',
      { ...validBase, data_config: { source: 'csv', files: [{ path: 'data/aapl.csv', symbol: 'AAPL' }] } },
      'data_config.files[0]',
      'data/aapl.csv: cannot open',
    ],
  ])('reports %s with its JSON path and exits 2', async (what, content, path, message) => {
    const file = writeConfig(`${what.replaceAll(' ', '-')}.json`, content);
    // The scratch folder holds the module without a class: it may load from there.
    const result = await runStrat(['validate', file, '--strategy-root', scratch.dir]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toContain(`FAIL ${file}: 1 problem\n`);
    expect(result.stdout).toContain(`  - ${path}: `);
    expect(result.stdout).toContain(message);
  });

  it('checks every file, lists every problem, and reports as JSON on request', async () => {
    const good = join('session_configs', 'test_single_strategy.json');
    const bad = writeConfig('several.json', {
      ...validBase,
      mode: 'bactest',
      session_data_config: { ...validBase.session_data_config, symbols: 'AAPL', streams: ['7x'] },
    });
    const result = await runStrat(['validate', good, bad]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toContain(`ok   ${good}`);
    expect(result.stdout).toContain(`FAIL ${bad}: 3 problems`);
    const json = await runStrat(['validate', good, bad, '--json']);
    expect(json.code, json.stderr).toBe(2);
    const report = JSON.parse(json.stdout) as {
      ok: boolean;
      files: { file: string; problems: { path: string }[] }[];
    };
    expect(report.ok).toBe(false);
    expect(report.files.map((f) => f.problems.map((p) => p.path))).toEqual([
      [],
      ['mode', 'session_data_config.symbols', 'session_data_config.streams[0]'],
    ]);
  });

  it('finds a CSV whose columns do not match and symbols no file provides', async () => {
    writeFileSync(join(scratch.dir, 'prices.csv'), 'when,o,h,l,c,v\n2024-01-02T14:30:00Z,1,1,1,1,1\n');
    const file = writeConfig('csv-mapping.json', {
      ...validBase,
      session_data_config: { ...validBase.session_data_config, symbols: ['AAPL', 'MSFT'] },
      data_config: { source: 'csv', files: [{ path: 'prices.csv', symbol: 'AAPL' }] },
    });
    const result = await runStrat(['validate', file]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stdout).toContain('FAIL');
    expect(result.stdout).toContain('  - data_config.files[0]: prices.csv:1: ');
    expect(result.stdout).toContain(
      '  - session_data_config.symbols[1]: no file in data_config.files provides MSFT',
    );
  });
});
