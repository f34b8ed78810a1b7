import { barSeriesFromBars, type Signal, SignalAction } from '@strat/core';
import fc from 'fast-check';
import { AverageGain, AverageLoss } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { type RsiConfig, RsiStrategy } from './rsi';
import { configIssuesOf } from './testing/config-issues-of';
import { barsFromCloses, FakeSession, replay } from './testing/fake-session';
import { pricePath } from './testing/price-paths';

const { BUY, SELL } = SignalAction;

function started(config: RsiConfig, session = new FakeSession()): RsiStrategy {
  const strategy = new RsiStrategy('rsi', config);
  expect(strategy.setup(session)).toBe(true);
  return strategy;
}

function actions(closes: number[], config: Partial<RsiConfig> = {}): Array<[number, string]> {
  const session = new FakeSession().openSeries('AAA', '1m');
  const strategy = started({ symbols: ['AAA'], rsi_period: 2, ...config }, session);
  return replay(strategy, session, 'AAA', '1m', barsFromCloses(closes)).map(({ index, signal }) => [
    index,
    signal.action,
  ]);
}

/** Wilder's RSI written out over a whole array (NaN before `period + 1` closes). */
function referenceRsi(closes: number[], period: number): number[] {
  const out = closes.map(() => Number.NaN);
  let gain = 0;
  let loss = 0;
  for (let i = 1; i < closes.length; i++) {
    const change = (closes[i] as number) - (closes[i - 1] as number);
    const g = Math.max(change, 0);
    const l = Math.max(-change, 0);
    if (i < period) {
      gain += g;
      loss += l;
      continue;
    }
    if (i === period) {
      gain = (gain + g) / period;
      loss = (loss + l) / period;
    } else {
      gain = (gain * (period - 1) + g) / period;
      loss = (loss * (period - 1) + l) / period;
    }
    out[i] = loss === 0 ? (gain === 0 ? 50 : 100) : 100 - 100 / (1 + gain / loss);
  }
  return out;
}

/** The signal rules over whole arrays, only on notified bars (the RSI itself sees every bar). */
function referenceActions(
  closes: number[],
  period: number,
  oversold: number,
  overbought: number,
  notified: (i: number) => boolean,
): Array<[number, string]> {
  const rsi = referenceRsi(closes, period);
  const out: Array<[number, string]> = [];
  let last: string | undefined;
  for (let i = 1; i < closes.length; i++) {
    if (!notified(i)) continue;
    const [previous, now] = [rsi[i - 1] as number, rsi[i] as number];
    const action =
      previous <= oversold && now > oversold
        ? BUY
        : previous >= overbought && now < overbought
          ? SELL
          : undefined;
    if (action !== undefined && action !== last) {
      out.push([i, action]);
      last = action;
    }
  }
  return out;
}

describe('RsiStrategy signals (period 2, levels 30 / 70)', () => {
  it('buys when the RSI rises through oversold and sells when it falls through overbought', () => {
    // RSI by bar: -, -, 0, 0, 50 (BUY: 0 -> 50), 75, 87.5, 43.75 (SELL: 87.5 -> 43.75)
    expect(actions([10, 9, 8, 7, 8, 9, 10, 9])).toEqual([
      [4, BUY],
      [7, SELL],
    ]);
  });

  it('needs rsi_period + 2 bars for a cross', () => {
    // the first RSI (bar 2) has nothing before it to cross from
    expect(actions([10, 9, 10])).toEqual([]);
    expect(actions([10, 9, 8, 9])).toEqual([[3, BUY]]);
  });

  it('treats a previous RSI exactly at the level as below it, and a tie as no cross', () => {
    // period 1: the RSI is 100 after a rise, 0 after a fall and 50 on no change
    expect(actions([10, 10, 11], { rsi_period: 1, oversold: 50, overbought: 90 })).toEqual([[2, BUY]]);
    expect(actions([10, 10, 10, 10], { rsi_period: 1, oversold: 50, overbought: 90 })).toEqual([]);
    expect(actions([10, 10, 9], { rsi_period: 1, oversold: 10, overbought: 50 })).toEqual([[2, SELL]]);
  });

  it('never repeats the same action in a row', () => {
    // RSI 0, 0, 50 (BUY), 0, 50 (BUY again: suppressed)
    expect(actions([10, 9, 8, 7, 8, 7, 8])).toEqual([[4, BUY]]);
  });

  it('skips bars whose series quality is below min_quality', () => {
    const bars = barsFromCloses([10, 9, 8, 7, 8]);
    const run = (quality: number) => {
      const session = new FakeSession().setSeries(barSeriesFromBars('AAA', '1m', bars), quality);
      return started({ symbols: ['AAA'], rsi_period: 2 }, session).onBars('AAA', '1m');
    };
    expect(run(90)).toEqual([]);
    expect(run(100)).toHaveLength(1);
  });

  it('reports price, reason and metadata', () => {
    const session = new FakeSession().setSeries(
      barSeriesFromBars('AAA', '1m', barsFromCloses([10, 9, 8, 7, 8])),
    );
    const [signal] = started({ symbols: ['AAA'], rsi_period: 2 }, session).onBars('AAA', '1m') as Signal[];
    expect(signal?.toJSON()).toEqual({
      symbol: 'AAA',
      action: BUY,
      price: 8,
      reason: 'RSI(2) crossed up through oversold 30',
      metadata: { rsi: 50, interval: '1m' },
    });
  });

  it('handles the same bar only once', () => {
    const session = new FakeSession().setSeries(
      barSeriesFromBars('AAA', '1m', barsFromCloses([10, 9, 8, 7, 8])),
    );
    const strategy = started({ symbols: ['AAA'], rsi_period: 2 }, session);
    expect(strategy.onBars('AAA', '1m')).toHaveLength(1);
    expect(strategy.onBars('AAA', '1m')).toEqual([]);
  });
});

describe('RsiStrategy against references', () => {
  const config = fc.record({
    period: fc.integer({ min: 1, max: 20 }),
    oversold: fc.integer({ min: 10, max: 45 }),
    overbought: fc.integer({ min: 55, max: 90 }),
  });

  it('gives the signals of a plain array computation, bar by bar, with skipped notifications', () => {
    fc.assert(
      fc.property(
        config,
        pricePath(2, 200),
        fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }),
        ({ period, oversold, overbought }, closes, skipped) => {
          const session = new FakeSession().openSeries('AAA', '1m');
          const strategy = started({ symbols: ['AAA'], rsi_period: period, oversold, overbought }, session);
          // a notification that is not the next bar makes the strategy recompute from the window
          const notified = (i: number) => !skipped[i];
          const got = replay(strategy, session, 'AAA', '1m', barsFromCloses(closes), notified);
          expect(got.map(({ index, signal }) => [index, signal.action])).toEqual(
            referenceActions(closes, period, oversold, overbought, notified),
          );
        },
      ),
    );
  });

  it('keeps the full-history RSI when the visible window is shorter than the history', () => {
    fc.assert(
      fc.property(config, pricePath(100, 300), ({ period, oversold, overbought }, closes) => {
        const session = new FakeSession().openSeries('AAA', '1m', 32);
        const strategy = started({ symbols: ['AAA'], rsi_period: period, oversold, overbought }, session);
        const got = replay(strategy, session, 'AAA', '1m', barsFromCloses(closes));
        expect(got.map(({ index, signal }) => [index, signal.action])).toEqual(
          referenceActions(closes, period, oversold, overbought, () => true),
        );
      }),
    );
  });

  it('reports an RSI equal to one from technicalindicators Wilder averages (1e-6)', () => {
    let checked = 0;
    fc.assert(
      fc.property(config, pricePath(30, 300), ({ period, oversold, overbought }, closes) => {
        const session = new FakeSession().openSeries('AAA', '1m');
        const strategy = started({ symbols: ['AAA'], rsi_period: period, oversold, overbought }, session);
        const gains = AverageGain.calculate({ period, values: closes });
        const losses = AverageLoss.calculate({ period, values: closes });
        for (const { index, signal } of replay(strategy, session, 'AAA', '1m', barsFromCloses(closes))) {
          const gain = gains[index - period] as number;
          const loss = losses[index - period] as number;
          const expected = loss === 0 ? (gain === 0 ? 50 : 100) : 100 - 100 / (1 + gain / loss);
          expect(Math.abs((signal.metadata.rsi as number) - expected)).toBeLessThanOrEqual(1e-6);
          checked++;
        }
      }),
    );
    expect(checked).toBeGreaterThan(20);
  });
});

describe('RsiStrategy config', () => {
  const bad: Array<[string, RsiConfig, string]> = [
    ['no symbols', {}, 'symbols'],
    ['a zero period', { symbols: ['A'], rsi_period: 0 }, 'rsi_period'],
    ['oversold above overbought', { symbols: ['A'], oversold: 80, overbought: 70 }, 'oversold'],
    ['oversold equal to overbought', { symbols: ['A'], oversold: 50, overbought: 50 }, 'oversold'],
    ['a level of 100', { symbols: ['A'], overbought: 100 }, 'overbought'],
    ['a negative level', { symbols: ['A'], oversold: -1 }, 'oversold'],
    ['a bad interval', { symbols: ['A'], interval: '1x' as never }, 'interval'],
  ];

  it.each(bad)('refuses %s, saying where', (_, cfg, path) => {
    expect(configIssuesOf(() => new RsiStrategy('rsi', cfg)).map((i) => i.path)).toEqual([path]);
  });

  it('says how the levels must compare', () => {
    expect(configIssuesOf(() => new RsiStrategy('rsi', { symbols: ['A'], oversold: 80 }))).toEqual([
      { path: 'oversold', message: 'must be below overbought (70), got 80' },
    ]);
  });

  it('applies the defaults and follows added symbols when asked', () => {
    const strategy = started({ symbols: ['A'], follow_added_symbols: true });
    strategy.onSymbolAdded('B');
    expect(strategy.getSubscriptions()).toEqual([
      ['A', '1m'],
      ['B', '1m'],
    ]);
  });
});
