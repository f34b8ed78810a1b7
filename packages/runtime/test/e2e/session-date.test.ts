import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSessionConfig } from '@strat/core';
import { serveFeedFromConfig } from '@strat/data/replay';
import { describe, expect, it, onTestFinished } from 'vitest';
import { Session } from '../../src/session/session';
import type { SessionOptions } from '../../src/session/session-types';
import type { StampedSignal } from '../../src/thread/stamped-signal';
import type { StrategyExecutor } from '../../src/thread/strategy-metrics';

const fixtures = fileURLToPath(new URL('../session-fixtures/', import.meta.url));
const GLOBEX = { preset: 'cme_globex_equity' } as const;
const KEY = 'session-date-key';
const SECRET = 'session-date-secret';

const newYork = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  hourCycle: 'h23',
});

/** The Globex session date written out: the New York date, or the next one from 18:00 on. */
function globexDate(time: number): string {
  const parts = Object.fromEntries(newYork.formatToParts(time).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  if (Number(parts.hour) < 18) return date;
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function sessionData(executor: StrategyExecutor) {
  return {
    symbols: ['ES'],
    streams: ['1m', '1h', '1d'],
    calendar: GLOBEX,
    strategies: [
      {
        module: './session_date_probe.ts',
        executor,
        config: {
          subscriptions: [
            ['ES', '1h'],
            ['ES', '1d'],
          ],
        },
      },
    ],
  };
}

async function run(config: ReturnType<typeof parseSessionConfig>, options: SessionOptions = {}) {
  const session = new Session(config, {
    configDir: fixtures,
    strategyRoots: [fixtures],
    logSink: () => {},
    ...options,
  });
  onTestFinished(() => session.shutdown());
  const signals: StampedSignal[] = [];
  session.on('signal', (batch) => signals.push(...batch));
  const summary = await session.start();
  expect(summary.state).toBe('completed');
  expect(summary.metrics.total_errors).toBe(0);
  return signals.map((s) => s.metadata as { interval: string; time: number; date: string; current: string });
}

function backtest(executor: StrategyExecutor, start: string, end: string, speed = 0) {
  return parseSessionConfig({
    mode: 'backtest',
    backtest_config: { start_date: start, end_date: end, speed_multiplier: speed },
    session_data_config: sessionData(executor),
    data_config: { source: 'generator', seed: 11 },
  });
}

describe('StrategyContext.sessionDate in a session (cme_globex_equity)', () => {
  // Thursday 7 March to Tuesday 12 March 2024: the DST change on Sunday 10 March falls between
  // Friday's close and Monday's session, which opens at Sunday 18:00 EDT (22:00Z, not 23:00Z).
  it('gives every bar the calendar session date, the 18:00 bars the next day, in a worker and inline', async () => {
    const worker = await run(backtest('worker', '2024-03-07', '2024-03-12'));
    const inline = await run(backtest('inline', '2024-03-07', '2024-03-12'));
    expect(inline).toEqual(worker);

    const hourly = worker.filter((m) => m.interval === '1h');
    // 23 hourly bars per session, four sessions (7, 8, 11 and 12 March)
    expect(hourly).toHaveLength(4 * 23);
    for (const m of worker) {
      expect(m.date).toBe(globexDate(m.time));
      expect(m.current).toBe(m.date);
    }
    expect(new Set(hourly.map((m) => m.date))).toEqual(
      new Set(['2024-03-07', '2024-03-08', '2024-03-11', '2024-03-12']),
    );
    // The first hour of Monday's session is Sunday 18:00 EDT: dated Monday.
    const monday = hourly.find((m) => m.date === '2024-03-11');
    expect(new Date(monday?.time ?? 0).toISOString()).toBe('2024-03-10T22:00:00.000Z');
    // One daily bar per session, starting at its open the evening before, with the session's date.
    expect(
      worker.filter((m) => m.interval === '1d').map((m) => [new Date(m.time).toISOString(), m.date]),
    ).toEqual([
      ['2024-03-06T23:00:00.000Z', '2024-03-07'],
      ['2024-03-07T23:00:00.000Z', '2024-03-08'],
      ['2024-03-10T22:00:00.000Z', '2024-03-11'],
      ['2024-03-11T22:00:00.000Z', '2024-03-12'],
    ]);
  }, 120_000);

  it('gives the same dates clock-driven', async () => {
    const dataDriven = await run(backtest('worker', '2024-03-11', '2024-03-11'));
    const clockDriven = await run(backtest('worker', '2024-03-11', '2024-03-11', 200_000));
    expect(clockDriven).toEqual(dataDriven);
    expect(dataDriven.filter((m) => m.interval === '1h').map((m) => m.date)).toEqual(
      Array.from({ length: 23 }, () => '2024-03-11'),
    );
  }, 60_000);

  it('gives the same dates live, over the replayed session', async () => {
    const expected = await run(backtest('worker', '2024-03-11', '2024-03-11'));
    const dir = mkdtempSync(join(tmpdir(), 'strat-session-date-'));
    const path = join(dir, 'history.json');
    writeFileSync(
      path,
      JSON.stringify({
        mode: 'backtest',
        backtest_config: { start_date: '2024-03-11', end_date: '2024-03-11' },
        session_data_config: sessionData('worker'),
        data_config: { source: 'generator', seed: 11 },
      }),
    );
    const server = await serveFeedFromConfig({
      path,
      port: 0,
      // 23 hours in about 7 s: slow enough that a loaded machine delivers every bar in its minute.
      speed: 12_000,
      env: { STRAT_FEED_KEY: KEY, STRAT_FEED_SECRET: SECRET },
    });
    onTestFinished(() => server.close());
    const live = await run(
      parseSessionConfig({
        mode: 'live',
        live_config: { feed_url: server.url, clock: 'feed', end_date: '2024-03-11' },
        session_data_config: sessionData('worker'),
      }),
      { env: { STRAT_FEED_KEY: KEY, STRAT_FEED_SECRET: SECRET } },
    );
    expect(live).toEqual(expected);
  }, 60_000);
});

describe('the VWAP example over a generated Globex week (Sunday evening start, daily break, Thanksgiving halts)', () => {
  it('starts its VWAP over at each session open (18:00 New York), not at midnight', async () => {
    const session = new Session(
      parseSessionConfig({
        mode: 'backtest',
        backtest_config: { start_date: '2024-11-25', end_date: '2024-11-29', speed_multiplier: 0 },
        session_data_config: {
          symbols: ['ES'],
          streams: ['1m'],
          calendar: GLOBEX,
          streaming: { window: 8192 },
          strategies: [
            {
              module: '@strat/examples/vwap',
              executor: 'worker',
              config: { symbols: ['ES'], threshold_pct: 0.02, min_quality: 0 },
            },
          ],
        },
        data_config: { source: 'generator', seed: 11 },
      }),
      { configDir: fixtures, logSink: () => {} },
    );
    onTestFinished(() => session.shutdown());
    const signals: StampedSignal[] = [];
    session.on('signal', (batch) => signals.push(...batch));
    const summary = await session.start();
    expect(summary.state).toBe('completed');
    expect(summary.metrics.total_errors).toBe(0);

    // The VWAP of every bar written out: sums over the bars of the same Globex date (and, to show the
    // test tells them apart, of the same New York calendar day).
    const bars = session.store.getBars('ES', '1m');
    expect(bars.length).toBe(23 * 60 * 3 + 19 * 60 + 19.25 * 60);
    const vwapOf = (key: (time: number) => string) => {
      const out = new Map<number, number>();
      let current = '';
      let priceVolume = 0;
      let volume = 0;
      for (let i = 0; i < bars.length; i++) {
        const time = bars.time.get(i);
        if (key(time) !== current) {
          current = key(time);
          priceVolume = 0;
          volume = 0;
        }
        const v = bars.volume.get(i);
        priceVolume += ((bars.high.get(i) + bars.low.get(i) + bars.close.get(i)) / 3) * v;
        volume += v;
        out.set(time, priceVolume / volume);
      }
      return out;
    };
    const bySession = vwapOf(globexDate);
    const byMidnight = vwapOf((time) => newYork.format(time).slice(0, 10));
    expect(signals.length).toBeGreaterThan(20);
    let differsFromMidnight = 0;
    for (const signal of signals) {
      const vwap = signal.metadata.vwap as number;
      expect(vwap).toBeCloseTo(bySession.get(signal.barTime) as number, 9);
      if (Math.abs(vwap - (byMidnight.get(signal.barTime) as number)) > 1e-6) differsFromMidnight++;
    }
    expect(differsFromMidnight).toBeGreaterThan(0);
  }, 60_000);
});
