import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, parseSessionConfig, type SessionConfigInput } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { SchemaBreakoutStrategy } from '../../test/fixtures/schema_breakout';
import { fixturesDir } from '../../test/helpers';
import { checkSessionConfig } from '../config-check/check-session-config';
import type { StampedSignal } from '../thread/stamped-signal';
import { Session } from './session';

function configWith(strategy: Record<string, unknown>): SessionConfigInput {
  return {
    mode: 'backtest',
    backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02', speed_multiplier: 0 },
    session_data_config: { symbols: ['AAPL'], streams: ['1m'], strategies: [strategy] },
    data_config: { source: 'generator', seed: 5 },
  } as SessionConfigInput;
}

async function signalsOf(session: Session): Promise<StampedSignal[]> {
  const signals: StampedSignal[] = [];
  session.on('signal', (batch) => signals.push(...batch));
  try {
    await session.start();
  } finally {
    await session.shutdown();
  }
  return signals;
}

const quiet = { configDir: fixturesDir, strategyRoots: [fixturesDir], logSink: () => {} };

describe('sessions built in code', () => {
  it('run a class named in the config as its module would run, inline and in a worker', async () => {
    const config = { symbols: ['AAPL'], lookback: 10 };
    const byModule = await signalsOf(
      Session.fromConfig(configWith({ module: './schema_breakout.ts', config }), quiet),
    );
    expect(byModule.length).toBeGreaterThan(0);
    for (const executor of ['inline', 'worker'] as const) {
      const byClass = await signalsOf(
        Session.fromConfig(configWith({ strategy: SchemaBreakoutStrategy, executor, config }), quiet),
      );
      expect(byClass).toEqual(byModule);
    }
  });

  it('read a config file when given its path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strat-from-config-'));
    const file = join(dir, 'session.json');
    writeFileSync(
      file,
      JSON.stringify(configWith({ module: '@strat/examples/rsi', config: { symbols: ['AAPL'] } })),
    );
    const session = Session.fromConfig(file, { logSink: () => {} });
    expect(session.config.session_data_config.strategies[0]?.module).toBe('@strat/examples/rsi');
    await session.shutdown();
  });

  it('validate a raw config with JSON paths; new Session says to use fromConfig for one', () => {
    expect(() => Session.fromConfig(configWith({ strategy: 'SchemaBreakout' }))).toThrow(
      'session_data_config.strategies[0].strategy: expected a strategy class (a module path goes in "module"), got "SchemaBreakout"',
    );
    expect(() => Session.fromConfig(configWith({ module: 'a.b', strategy: SchemaBreakoutStrategy }))).toThrow(
      'session_data_config.strategies[0].module: give either "module" or "strategy" (a class), not both',
    );
    expect(() => new Session(configWith({ module: 'a.b' }) as never)).toThrow(
      /new Session\(\) needs a parsed config .*Session\.fromConfig/,
    );
  });

  it('fail with the strategy config problems at their JSON paths, before any bar', async () => {
    const session = Session.fromConfig(
      configWith({
        strategy: SchemaBreakoutStrategy,
        executor: 'worker',
        config: { symbols: [], lookback: 0 },
      }),
      quiet,
    );
    const failure = signalsOf(session);
    await expect(failure).rejects.toThrow(ConfigError);
    await expect(failure).rejects.toMatchObject({
      issues: [
        {
          path: 'session_data_config.strategies[0].config.symbols',
          message: 'expected at least 1 item, got 0',
        },
        { path: 'session_data_config.strategies[0].config.lookback', message: 'expected at least 1, got 0' },
      ],
    });
  });
});

describe('the config check of strategy configs', () => {
  it('validates each config against its class schema once the module is imported', async () => {
    const config = parseSessionConfig(
      configWith({ module: './schema_breakout.ts', config: { symbols: ['AAPL'], lookbak: 3 } }),
    );
    const options = { configDir: fixturesDir, strategyRoots: [fixturesDir] };
    expect((await checkSessionConfig(config, { ...options, modules: 'resolve' })).problems).toEqual([]);
    for (const modules of ['import', 'start'] as const) {
      expect((await checkSessionConfig(config, { ...options, modules })).problems).toEqual([
        {
          path: 'session_data_config.strategies[0].config.lookbak',
          message: 'unknown field "lookbak" (did you mean "lookback"?)',
        },
      ]);
    }
    const byClass = parseSessionConfig(configWith({ strategy: SchemaBreakoutStrategy, config: {} }));
    expect((await checkSessionConfig(byClass, { ...options, modules: 'import' })).problems).toEqual([
      {
        path: 'session_data_config.strategies[0].config.symbols',
        message: 'missing required field (expected an array)',
      },
    ]);
  });

  it('checks scanner configs against their schema too', async () => {
    const config = parseSessionConfig({
      ...configWith({ module: '@strat/examples/rsi', config: { symbols: ['AAPL'] } }),
      session_data_config: {
        symbols: ['AAPL'],
        streams: ['1m'],
        strategies: [{ module: '@strat/examples/rsi', config: { symbols: ['AAPL'] } }],
        scanners: [
          { module: '@strat/examples/volume-spike-scanner', config: { universe: ['AAPL'], multiple: 0 } },
        ],
      },
    });
    const check = await checkSessionConfig(config, { configDir: fixturesDir, modules: 'import' });
    expect(check.problems).toEqual([
      { path: 'session_data_config.scanners[0].config.multiple', message: 'expected more than 0, got 0' },
    ]);
    const session = new Session(config, quiet);
    await expect(signalsOf(session)).rejects.toMatchObject({
      issues: [
        { path: 'session_data_config.scanners[0].config.multiple', message: 'expected more than 0, got 0' },
      ],
    });
  });
});
