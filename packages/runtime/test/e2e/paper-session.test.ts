import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Interval, parseSessionConfig } from '@strat/core';
import { describe, expect, it } from 'vitest';
import type { Fill, SessionResults } from '../../src/execution/execution-types';
import { Session } from '../../src/session/session';
import type { StrategyEquity } from '../../src/session/session-paper';
import type { SessionSummary } from '../../src/session/session-types';
import type { StampedSignal } from '../../src/thread/stamped-signal';
import type { StrategyExecutor } from '../../src/thread/strategy-metrics';

// Paper execution inside real sessions (worker threads, the batch pipeline): what it changes (nothing
// in the journal), what it gives (the same results whatever the executor), and fills a reader can
// recompute from the journal and the bars.

const tmp = () => mkdtempSync(join(tmpdir(), 'strat-paper-'));

const STRATEGIES = [
  {
    module: '@strat/examples/sma-cross',
    name: 'sma',
    config: { symbols: ['AAPL', 'MSFT'], interval: '1m', fast_period: 5, slow_period: 20 },
  },
  {
    module: '@strat/examples/rsi',
    name: 'rsi',
    config: { symbols: ['AAPL'], interval: '5m', rsi_period: 7 },
    // Its own account trades fixed units, at the close, short allowed (the rest from the session's).
    execution: { fill: 'close', sizing: { units: 10 }, allow_short: true },
  },
];

const EXECUTION = {
  initial_cash: 50_000,
  slippage_bps: 5,
  commission: { per_unit: 0.01, minimum: 1 },
  sizing: { percent_equity: 90, lot_size: 5 },
};

function config(o: { execution?: boolean; executor?: StrategyExecutor } = {}) {
  return parseSessionConfig({
    mode: 'backtest',
    backtest_config: { start_date: '2024-01-02', end_date: '2024-01-05', speed_multiplier: 0 },
    session_data_config: {
      symbols: ['AAPL', 'MSFT'],
      streams: ['1m', '5m'],
      streaming: { executor: o.executor ?? 'worker' },
      strategies: o.execution === false ? STRATEGIES.map(({ execution: _, ...s }) => s) : STRATEGIES,
    },
    data_config: { source: 'generator', seed: 11 },
    ...(o.execution === false ? {} : { execution: EXECUTION }),
  });
}

interface PaperRun {
  summary: SessionSummary;
  results: SessionResults | undefined;
  fills: Fill[];
  equity: StrategyEquity[][];
  signals: StampedSignal[];
  /** Per series (`symbol interval`), every bar in order: bar time, close time, open, close. */
  bars: Map<string, number[][]>;
  journal: string;
}

async function run(cfg: ReturnType<typeof config>): Promise<PaperRun> {
  const journal = join(tmp(), 'journal.jsonl');
  const session = new Session(cfg, { logLevel: 'warn', logSink: () => {}, journalPath: journal });
  const out: Omit<PaperRun, 'summary' | 'results' | 'journal'> = {
    fills: [],
    equity: [],
    signals: [],
    bars: new Map(),
  };
  session.on('fill', (fill) => out.fills.push(fill));
  session.on('equity', (points) => out.equity.push(points));
  session.on('signal', (batch) => out.signals.push(...batch));
  session.on('bar', ({ symbol, interval, index, time }) => {
    const series = session.store.getSeries(symbol, interval as Interval);
    if (series === undefined) return;
    const slot = index & series.mask;
    const key = `${symbol} ${interval}`;
    const rows = out.bars.get(key) ?? [];
    rows.push([series.time[slot] as number, time, series.open[slot] as number, series.close[slot] as number]);
    out.bars.set(key, rows);
  });
  const summary = await session.start();
  return { ...out, summary, results: session.results, journal: readFileSync(journal, 'utf8') };
}

describe('paper execution in a session', () => {
  it('changes nothing in the journal, and gives the same results with workers and inline', async () => {
    const [plain, worker, inline] = await Promise.all([
      run(config({ execution: false })),
      run(config()),
      run(config({ executor: 'inline' })),
    ]);
    expect(plain.summary.results).toBeUndefined();
    expect(plain.results).toBeUndefined();
    expect(plain.fills).toEqual([]);
    expect(worker.journal).toBe(plain.journal);
    expect(inline.journal).toBe(plain.journal);

    expect(worker.summary.state).toBe('completed');
    expect(worker.summary.results?.strategies.map((s) => s.strategy)).toEqual(['sma', 'rsi']);
    expect(worker.summary.results?.total.trades).toBeGreaterThan(10);
    expect(inline.fills).toEqual(worker.fills);
    expect(inline.summary.results).toEqual(worker.summary.results);
    expect(inline.results?.strategies.map((s) => [s.trades, s.equity])).toEqual(
      worker.results?.strategies.map((s) => [s.trades, s.equity]),
    );
    // The last equity event tells where the accounts ended.
    const last = worker.equity[worker.equity.length - 1];
    expect(last?.map((p) => [p.strategy, p.equity])).toEqual(
      worker.summary.results?.strategies.map((s) => [s.strategy, s.stats.finalEquity]),
    );
    // The summary is plain JSON: what the CLI's --json prints and the service stores.
    expect(JSON.parse(JSON.stringify(worker.summary.results))).toMatchObject({
      strategies: [{ strategy: 'sma' }, { strategy: 'rsi' }],
    });
  });

  it('fills every order where the documented rules say, from the journal and the bars alone', async () => {
    const paper = await run(config());
    const bySignal = new Map(paper.signals.map((s) => [`${s.strategy}#${s.seq}`, s]));
    expect(paper.fills.length).toBeGreaterThan(10);
    const position = new Map<string, number>();
    for (const fill of paper.fills) {
      const signal = bySignal.get(`${fill.strategy}#${fill.signalSeq}`) as StampedSignal;
      expect(signal, `fill of ${fill.strategy}#${fill.signalSeq}`).toBeDefined();
      expect([fill.symbol, fill.interval]).toEqual([signal.symbol, signal.interval]);
      const bars = paper.bars.get(`${signal.symbol} ${signal.interval}`) as number[][];
      // Both accounts: 5 bps against the trade, 0.01 per unit and at least 1 (rsi's entry overrides other fields).
      const against = fill.side === 'buy' ? 1 + 5 / 1e4 : 1 - 5 / 1e4;
      expect(fill.commission).toBeCloseTo(Math.max(1, 0.01 * fill.quantity), 9);
      if (fill.strategy === 'sma') {
        // next_open: the open of the first bar of the signal's series closing after the signal's bar.
        const next = bars.find((b) => (b[1] as number) > signal.time) as number[];
        expect(fill.time).toBe(next[0]);
        expect(fill.price).toBeCloseTo((next[2] as number) * against, 9);
        // 90 % of equity in lots of 5.
        expect(fill.quantity % 5).toBe(0);
      } else {
        // close: at the close of the signal's own bar, 10 units, shorts allowed.
        const own = bars.find((b) => b[1] === signal.time) as number[];
        expect(fill.time).toBe(signal.time);
        expect(fill.price).toBeCloseTo((own[3] as number) * against, 9);
      }
      const key = `${fill.strategy} ${fill.symbol}`;
      const after = (position.get(key) ?? 0) + (fill.side === 'buy' ? fill.quantity : -fill.quantity);
      expect(fill.positionAfter).toBeCloseTo(after, 9);
      position.set(key, after);
      if (signal.action === 'CLOSE') expect(after).toBe(0);
      if (signal.action === 'BUY') expect(after).toBeGreaterThan(0);
      if (fill.strategy === 'rsi' && signal.action === 'SELL') expect(after).toBe(-10);
      if (fill.strategy === 'sma' && signal.action === 'SELL') expect(after).toBe(0);
    }
    // The accounts end where the fills leave them.
    for (const s of paper.results?.strategies ?? []) {
      for (const [symbol, units] of Object.entries(s.openPositions)) {
        expect(units).toBeCloseTo(position.get(`${s.strategy} ${symbol}`) ?? 0, 9);
      }
    }
  });
});
