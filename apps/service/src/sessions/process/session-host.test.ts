import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSessionConfig } from '@strat/core';
import { findProjectRoot } from '@strat/runtime';
import { describe, expect, it } from 'vitest';
import { hostSession, type ServiceChannel } from './session-host';
import type { SessionControl, SessionProcessInit, SessionReport } from './session-process-protocol';

const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** A channel in this thread: reports collected in order, controls sent by the test. */
class FakeChannel implements ServiceChannel {
  readonly reports: SessionReport[] = [];
  exits = 0;
  #listener: ((control: SessionControl) => void) | undefined;
  #waiters: (() => void)[] = [];

  send(report: SessionReport, done?: () => void): void {
    this.reports.push(structuredClone(report));
    for (const waiter of this.#waiters.splice(0)) waiter();
    done?.();
  }

  onControl(listener: (control: SessionControl) => void): void {
    this.#listener = listener;
  }

  exit(): void {
    this.exits++;
  }

  control(control: SessionControl): void {
    this.#listener?.(control);
  }

  async waitFor(type: SessionReport['type']): Promise<SessionReport> {
    for (;;) {
      const found = this.reports.find((r) => r.type === type);
      if (found !== undefined) return found;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }
}

function init(config: unknown, overrides: Partial<SessionProcessInit> = {}): SessionProcessInit {
  return {
    config: parseSessionConfig(config),
    configDir: PROJECT_ROOT,
    projectRoot: PROJECT_ROOT,
    logLevel: 'warn',
    stopTimeoutMs: 5000,
    feedEnv: {},
    statusIntervalMs: 20,
    ...overrides,
  };
}

const BACKTEST = {
  mode: 'backtest',
  backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02', speed_multiplier: 0 },
  session_data_config: {
    symbols: ['AAPL', 'MSFT'],
    streams: ['1m'],
    streaming: { executor: 'inline' },
    strategies: [
      {
        module: 'strategies.examples.simple_ma_cross',
        executor: 'inline',
        config: { symbols: ['AAPL', 'MSFT'], interval: '1m', fast_period: 2, slow_period: 3 },
      },
    ],
  },
  data_config: { source: 'generator', seed: 7 },
};

describe('hostSession', () => {
  it('reports ready, then on start the signals in order and the end with the summary; shuts down on request', async () => {
    const channel = new FakeChannel();
    hostSession(channel, init(BACKTEST));
    expect(channel.reports[0]).toMatchObject({
      type: 'ready',
      status: { state: 'created', symbols: ['AAPL', 'MSFT'] },
    });
    const early = await (async () => {
      channel.control({ type: 'addSymbol', requestId: 1, symbol: 'NVDA' });
      return channel.waitFor('symbolAdded');
    })();
    expect(early).toEqual({
      type: 'symbolAdded',
      requestId: 1,
      added: false,
      symbols: ['AAPL', 'MSFT'],
      notRunning: 'created',
    });
    channel.control({ type: 'start' });
    const end = await channel.waitFor('end');
    if (end.type !== 'end') throw new Error('not an end');
    expect(end.end.error).toBeUndefined();
    expect(end.end.summary).toMatchObject({ state: 'completed' });
    expect(end.end.status).toMatchObject({ state: 'completed', symbols: ['AAPL', 'MSFT'] });
    expect(end.end.summary?.metrics.per_strategy.map((m) => m.executor)).toEqual(['worker']);
    const signals = channel.reports.flatMap((r) => (r.type === 'signals' ? r.bodies : []));
    expect(signals.length).toBe(end.end.summary?.signals);
    expect(JSON.parse(signals[0] as string)).toMatchObject({ strategy: 'simple_ma_cross', symbol: 'AAPL' });
    expect(channel.reports.findIndex((r) => r.type === 'end')).toBe(channel.reports.length - 1);

    channel.control({ type: 'shutdown' });
    await channel.waitFor('closed');
    expect(channel.exits).toBe(1);
  });

  it('stops a running session and adds a symbol to it', async () => {
    const channel = new FakeChannel();
    hostSession(
      channel,
      init({ ...BACKTEST, backtest_config: { ...BACKTEST.backtest_config, speed_multiplier: 30 } }),
    );
    channel.control({ type: 'start' });
    for (;;) {
      const status = channel.reports.filter((r) => r.type === 'status').pop();
      if (status?.type === 'status' && status.status.state === 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    channel.control({ type: 'addSymbol', requestId: 7, symbol: 'NVDA' });
    expect(await channel.waitFor('symbolAdded')).toEqual({
      type: 'symbolAdded',
      requestId: 7,
      added: true,
      symbols: ['AAPL', 'MSFT', 'NVDA'],
    });
    expect(channel.reports).toContainEqual(
      expect.objectContaining({ type: 'event', name: 'symbolAdded', symbols: ['AAPL', 'MSFT', 'NVDA'] }),
    );
    channel.control({ type: 'stop' });
    const end = await channel.waitFor('end');
    expect(end).toMatchObject({ end: { summary: { state: 'stopped', symbolsAdded: ['NVDA'] } } });
    channel.control({ type: 'shutdown' });
    await channel.waitFor('closed');
  });

  it('refuses a config it cannot build a session from, with the issues, and exits', async () => {
    const channel = new FakeChannel();
    hostSession(
      channel,
      init(
        { mode: 'live', session_data_config: { symbols: ['AAPL'] } },
        { feedEnv: { STRAT_FEED_KEY: 'k' } },
      ),
    );
    expect(channel.reports).toEqual([
      {
        type: 'refused',
        error: expect.objectContaining({
          config: true,
          code: 'CONFIG_INVALID',
          issues: [
            expect.objectContaining({ path: 'live_config.feed_url' }),
            expect.objectContaining({ path: 'live_config.secret' }),
          ],
        }),
      },
    ]);
    expect(channel.exits).toBe(1);
  });
});
