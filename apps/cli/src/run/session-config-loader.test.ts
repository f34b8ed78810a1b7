import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, StratError } from '@strat/core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSessionConfig } from './session-config-loader';

const dir = mkdtempSync(join(tmpdir(), 'strat-loader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
}

const config = {
  mode: 'backtest',
  backtest_config: { start_date: '2024-01-02', end_date: '2024-01-05', speed_multiplier: 50 },
  session_data_config: { symbols: ['AAPL'], streams: ['1m'], strategies: [] },
};

describe('loadSessionConfig', () => {
  it('reads a config and applies overrides over it, defaults included', () => {
    const path = write('a.json', `\ufeff${JSON.stringify(config)}`);
    expect(loadSessionConfig(path).backtest_config).toEqual(config.backtest_config);
    const overridden = loadSessionConfig(path, { speed: 0, from: '2024-01-03', to: '2024-01-04' });
    expect(overridden.backtest_config).toEqual({
      start_date: '2024-01-03',
      end_date: '2024-01-04',
      speed_multiplier: 0,
    });
    expect(overridden.session_data_config.streaming.window).toBeGreaterThan(0);
  });

  it('adds backtest_config for a live config turned into a backtest', () => {
    const path = write('live.json', { ...config, mode: 'live', backtest_config: undefined });
    const overridden = loadSessionConfig(path, { mode: 'backtest', from: '2024-01-02', to: '2024-01-02' });
    expect(overridden.backtest_config).toEqual({
      start_date: '2024-01-02',
      end_date: '2024-01-02',
      speed_multiplier: 0,
    });
  });

  it('reports an override that does not fit with its JSON path', () => {
    const path = write('b.json', config);
    try {
      loadSessionConfig(path, { to: '2024-01-01' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).issues).toEqual([
        { path: 'backtest_config.end_date', message: 'end_date 2024-01-01 is before start_date 2024-01-02' },
      ]);
      expect((error as ConfigError).message).toContain(
        `Invalid session config in ${path} (after --to 2024-01-01)`,
      );
    }
  });

  it('takes --to as live_config.end_date in a live session and refuses the backtest-only overrides', () => {
    const path = write('live-run.json', {
      ...config,
      mode: 'live',
      live_config: { feed_url: 'ws://127.0.0.1:8765', clock: 'feed' },
    });
    const overridden = loadSessionConfig(path, { to: '2024-01-03' });
    expect(overridden.live_config).toMatchObject({ feed_url: 'ws://127.0.0.1:8765', end_date: '2024-01-03' });
    expect(overridden.backtest_config).toEqual(config.backtest_config);
    const fromBacktest = loadSessionConfig(write('bt.json', config), { mode: 'live', to: '2024-01-04' });
    expect(fromBacktest.live_config?.end_date).toBe('2024-01-04');
    expect(() => loadSessionConfig(path, { speed: 600 })).toThrow(/--speed applies to backtests only/);
    expect(() => loadSessionConfig(path, { from: '2024-01-02', speed: 0 })).toThrow(
      /--speed and --from apply to backtests only/,
    );
  });

  it('names a missing file without a stack', () => {
    expect(() => loadSessionConfig(join(dir, 'missing.json'))).toThrow(StratError);
    expect(() => loadSessionConfig(join(dir, 'missing.json'))).toThrow(
      /Cannot read session config .*missing\.json: no such file/,
    );
  });
});
