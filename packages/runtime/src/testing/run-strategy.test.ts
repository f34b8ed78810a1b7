import { fileURLToPath } from 'node:url';
import { BaseStrategy, ConfigError, type Interval, Signal, SignalAction, z } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { NoUrlBreakoutStrategy, SchemaBreakoutStrategy } from '../../test/fixtures/schema_breakout';
import { fixturesDir } from '../../test/helpers';
import { BarListSource } from './bar-list-source';
import { type RunStrategyOptions, runStrategy, strategyRunConfig } from './run-strategy';

const CLOSES = [10, 11, 10, 12, 13, 9, 9.5, 8];
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

function actions(run: { signals: ReadonlyArray<{ action: string; symbol: string }> }): string[] {
  return run.signals.map((s) => `${s.action} ${s.symbol}`);
}

describe('runStrategy', () => {
  it('runs a class over given closes and returns its signals, stamped at their bars', async () => {
    const run = await runStrategy({
      strategy: SchemaBreakoutStrategy,
      config: { symbols: ['TEST'] },
      bars: CLOSES,
    });
    // bar 3: 12 > 11 (highest of 10, 11, 10); bar 4: another BUY, not repeated; bar 5: 9 < 10
    expect(actions(run)).toEqual(['BUY TEST', 'SELL TEST']);
    const start = Date.UTC(2024, 0, 2);
    expect(run.signals.map((s) => s.barTime)).toEqual([start + 3 * 60_000, start + 5 * 60_000]);
    expect(run.signals[0]).toMatchObject({ strategy: 'schema_breakout', seq: 1, price: 12, interval: '1m' });
    expect(run.errors).toEqual([]);
    expect(run.fills).toEqual([]);
    expect(run.result).toBeUndefined();
    expect(run.summary.state).toBe('completed');
    expect(run.summary.bars?.barsReceived).toBe(CLOSES.length);
  });

  it('gives the same signals in a worker thread (the class names its module)', async () => {
    const options: RunStrategyOptions<typeof SchemaBreakoutStrategy> = {
      strategy: SchemaBreakoutStrategy,
      config: { symbols: ['TEST'] },
      bars: CLOSES,
    };
    const inline = await runStrategy(options);
    const worker = await runStrategy({ ...options, executor: 'worker' });
    expect(worker.signals).toEqual(inline.signals);
  });

  it('paper-trades the signals when given execution: fills at the next bar open, and the results', async () => {
    const run = await runStrategy({
      strategy: SchemaBreakoutStrategy,
      config: { symbols: ['TEST'] },
      bars: CLOSES.map((close, i) => ({ open: close + 0.5, close, volume: 100 + i })),
      execution: { initial_cash: 10_000, sizing: { units: 10 }, commission: { minimum: 1 } },
    });
    // BUY on bar 3 fills at bar 4's open (13 + 0.5); SELL on bar 5 (long only: to flat) at bar 6's (9.5 + 0.5).
    expect(run.fills.map((f) => [f.side, f.quantity, f.price, f.commission, f.positionAfter])).toEqual([
      ['buy', 10, 13.5, 1, 10],
      ['sell', 10, 10, 1, 0],
    ]);
    expect(run.result?.strategy).toBe('schema_breakout');
    expect(run.result?.trades.count).toBe(1);
    expect(run.result?.stats.trades).toBe(1);
    // (10 - 13.5) * 10 units, and two commissions of 1.
    expect(run.result?.stats.finalEquity).toBe(10_000 - 35 - 2);
  });

  it('reports the strategy config problems at their JSON paths', async () => {
    const failure = runStrategy({
      strategy: SchemaBreakoutStrategy,
      // @ts-expect-error the config is typed by the class: tsc finds the misspelt field before the run does
      config: { symbols: ['TEST'], lookback: 0, lookbak: 2 },
      bars: CLOSES,
    });
    await expect(failure).rejects.toThrow(ConfigError);
    await expect(failure).rejects.toMatchObject({
      issues: [
        { path: 'session_data_config.strategies[0].config.lookback', message: 'expected at least 1, got 0' },
        {
          path: 'session_data_config.strategies[0].config.lookbak',
          message: 'unknown field "lookbak" (did you mean "lookback"?)',
        },
      ],
    });
  });

  it('runs over a generated series on the us_equities calendar, deterministically', async () => {
    const options: RunStrategyOptions<typeof SchemaBreakoutStrategy> = {
      strategy: SchemaBreakoutStrategy,
      config: { symbols: ['AAA', 'BBB'], lookback: 20 },
      generate: { symbols: ['AAA', 'BBB'], start_date: '2024-01-02', end_date: '2024-01-03', seed: 7 },
    };
    const first = await runStrategy(options);
    expect(first.summary.bars?.sessions).toBe(2);
    expect(first.signals.length).toBeGreaterThan(0);
    expect(new Set(first.signals.map((s) => s.symbol))).toEqual(new Set(['AAA', 'BBB']));
    expect((await runStrategy(options)).signals).toEqual(first.signals);
  });

  it("runs the VWAP example in a worker: its VWAP starts over with the calendar's session (Globex at 18:00)", async () => {
    // 16:58 and 16:59 EST close Tuesday's Globex session, 18:00 and 18:01 open Wednesday's.
    const bars = [
      [Date.UTC(2024, 2, 5, 21, 58), 100],
      [Date.UTC(2024, 2, 5, 21, 59), 100],
      [Date.UTC(2024, 2, 5, 23, 0), 80],
      [Date.UTC(2024, 2, 5, 23, 1), 90],
    ].map(([time, close]) => ({ time: time as number, close: close as number, volume: 100 }));
    const vwapRun = (calendar: { preset: 'cme_globex_equity' | '24x7' }) =>
      runStrategy({
        strategy: 'strategies.examples.vwap_strategy',
        config: { symbols: ['ES'], threshold_pct: 0, min_quality: 0 },
        symbol: 'ES',
        bars,
        calendar,
        executor: 'worker',
        configDir: repoRoot,
      });
    const globex = await vwapRun({ preset: 'cme_globex_equity' });
    expect(globex.errors).toEqual([]);
    // Wednesday's VWAP is 80 after its first bar, then (80 + 90) / 2 = 85 < 90: BUY.
    expect(globex.signals.map((s) => [s.action, s.barTime, s.metadata.vwap])).toEqual([
      ['BUY', Date.UTC(2024, 2, 5, 23, 1), 85],
    ]);
    // One UTC day is one session on 24x7: 80 falls below (100 + 100 + 80) / 3: SELL.
    const utc = await vwapRun({ preset: '24x7' });
    expect(utc.signals.map((s) => [s.action, s.barTime])).toEqual([['SELL', Date.UTC(2024, 2, 5, 23, 0)]]);
  });

  it('loads a strategy by module path, as a config names it', async () => {
    const run = await runStrategy({
      strategy: './schema_breakout.ts',
      config: { symbols: ['TEST'] },
      bars: CLOSES,
      configDir: fixturesDir,
      strategyRoots: [fixturesDir],
    });
    expect(actions(run)).toEqual(['BUY TEST', 'SELL TEST']);
  });

  it('collects errors a strategy throws, and its logs, and goes on', async () => {
    class Throwing extends BaseStrategy {
      getSubscriptions() {
        return [['TEST', '1m'] as const];
      }
      onBars(symbol: string, interval: Interval): Signal[] {
        const bars = this.context.getBars(symbol, interval);
        if (bars.length === 2) throw new Error('second bar');
        this.logger.info(`bar ${bars.length}`);
        return [new Signal({ symbol, action: SignalAction.HOLD })];
      }
    }
    const run = await runStrategy({ strategy: Throwing, bars: [1, 2, 3], name: 'thrower' });
    expect(run.signals.map((s) => s.strategy)).toEqual(['thrower', 'thrower']);
    expect(run.errors.map((e) => [e.phase, e.message])).toEqual([['onBars', 'second bar']]);
    expect(run.logs.filter((r) => r.name === 'thrower' && r.level === 'info').map((r) => r.message)).toEqual([
      'bar 1',
      'bar 3',
    ]);
  });

  it('needs bars or a generated series, not both', () => {
    expect(() => strategyRunConfig({ strategy: SchemaBreakoutStrategy })).toThrow(/either bars or generate/);
    expect(() =>
      strategyRunConfig({
        strategy: SchemaBreakoutStrategy,
        bars: [1],
        generate: { start_date: '2024-01-02', end_date: '2024-01-02' },
      }),
    ).toThrow(/either bars or generate/);
  });

  it('says what a class without moduleUrl needs to run in a worker', async () => {
    await expect(
      runStrategy({
        strategy: NoUrlBreakoutStrategy,
        config: { symbols: ['TEST'] },
        bars: CLOSES,
        executor: 'worker',
      }),
    ).rejects.toMatchObject({
      issues: [
        {
          path: 'session_data_config.strategies[0].strategy',
          message: expect.stringContaining('static readonly moduleUrl = import.meta.url'),
        },
      ],
    });
  });

  it('places bars per symbol at the given times, in the calendar time zone', () => {
    const { config, source } = strategyRunConfig({
      strategy: SchemaBreakoutStrategy,
      bars: { A: [{ time: Date.UTC(2024, 2, 4, 15), close: 1 }, 2], B: [3] },
      calendar: { preset: 'us_equities' },
      start: '2024-03-05T14:30:00Z',
    });
    expect(config.backtest_config).toMatchObject({ start_date: '2024-03-04', end_date: '2024-03-05' });
    expect(source?.symbols).toEqual(['A', 'B']);
    expect(source?.timeRange()).toEqual({
      first: Date.UTC(2024, 2, 4, 15),
      last: Date.UTC(2024, 2, 5, 14, 30),
    });
  });

  it('replays from the session date of the first bar to that of the last (Globex: 18:00 is the next day)', () => {
    const { config } = strategyRunConfig({
      strategy: SchemaBreakoutStrategy,
      bars: [
        { time: Date.UTC(2024, 2, 5, 21, 59), close: 1 },
        { time: Date.UTC(2024, 2, 5, 23, 0), close: 2 },
      ],
      calendar: { preset: 'cme_globex_equity' },
    });
    // 16:59 EST is Tuesday's session, 18:00 EST opens Wednesday's.
    expect(config.backtest_config).toMatchObject({ start_date: '2024-03-05', end_date: '2024-03-06' });
  });
});

describe('BarListSource', () => {
  it('yields the bars in [from, to), filling open, high, low and volume', async () => {
    const source = new BarListSource({ X: [5, { close: 6, open: 4 }, 7] }, '5m', 0);
    const chunks = [];
    for await (const chunk of source.read('X', 300_000, 600_001)) chunks.push(chunk);
    expect(chunks).toHaveLength(1);
    expect([...(chunks[0]?.time ?? [])]).toEqual([300_000, 600_000]);
    expect([...(chunks[0]?.open ?? [])]).toEqual([4, 7]);
    expect([...(chunks[0]?.high ?? [])]).toEqual([6, 7]);
    expect([...(chunks[0]?.low ?? [])]).toEqual([4, 7]);
    expect([...(chunks[0]?.volume ?? [])]).toEqual([1000, 1000]);
    expect(source.report()).toEqual({ rowsRead: 2, rowsSkipped: 0, problems: [] });
    for await (const _ of source.read('Y', 0, 1e12)) expect.fail('no bars for Y');
    expect(new BarListSource({}, '1m', 0).timeRange()).toBeUndefined();
  });

  it('refuses bars out of order or not finite', () => {
    expect(
      () =>
        new BarListSource(
          {
            X: [
              { time: 10, close: 1 },
              { time: 10, close: 2 },
            ],
          },
          '1m',
          0,
        ),
    ).toThrow('bars of X[1]: times must increase, got 10 after 10');
    expect(() => new BarListSource({ X: [1, Number.NaN] }, '1m', 0)).toThrow(
      /bars of X\[1\]: time and prices/,
    );
  });
});

describe('a schema config checked by z from @strat/core', () => {
  it('infers the config type', () => {
    const schema = z.object({ n: z.number().default(1) });
    class N extends BaseStrategy<typeof schema> {
      static override readonly configSchema = schema;
      getSubscriptions() {
        return [];
      }
      onBars(): Signal[] {
        return [];
      }
    }
    expect(new N('n').config.n).toBe(1);
  });
});
