import { barSeriesFromBars, type Signal, SignalAction } from '@strat/core';
import fc from 'fast-check';
import { SMA } from 'technicalindicators';
import { describe, expect, it } from 'vitest';
import { type SimpleMaCrossConfig, SimpleMaCrossStrategy } from './sma-cross';
import { configIssuesOf } from './testing/config-issues-of';
import { barsFromCloses, FakeSession, replay } from './testing/fake-session';
import { pricePath, tiedPricePath } from './testing/price-paths';

const { BUY, SELL } = SignalAction;

function started(config: SimpleMaCrossConfig, session = new FakeSession()): SimpleMaCrossStrategy {
  const strategy = new SimpleMaCrossStrategy('sma', config);
  expect(strategy.setup(session)).toBe(true);
  return strategy;
}

/** Runs closes through a fresh strategy bar by bar; returns [bar position, action] pairs. */
function actions(closes: number[], config: Partial<SimpleMaCrossConfig> = {}): Array<[number, string]> {
  const session = new FakeSession().openSeries('AAA', '1m');
  const strategy = started(
    { symbols: ['AAA'], interval: '1m', fast_period: 2, slow_period: 4, ...config },
    session,
  );
  return replay(strategy, session, 'AAA', '1m', barsFromCloses(closes)).map(({ index, signal }) => [
    index,
    signal.action,
  ]);
}

/** The rules written out plainly over whole arrays, as a reference. */
function referenceActions(
  closes: number[],
  fast: number,
  slow: number,
  qualityOk: (i: number) => boolean = () => true,
): Array<[number, string]> {
  const mean = (end: number, n: number) => {
    let sum = 0;
    for (let i = end - n; i < end; i++) sum += closes[i] as number;
    return sum / n;
  };
  const out: Array<[number, string]> = [];
  let last: string | undefined;
  for (let i = slow; i < closes.length; i++) {
    if (!qualityOk(i)) continue;
    const [f, s, pf, ps] = [mean(i + 1, fast), mean(i + 1, slow), mean(i, fast), mean(i, slow)];
    const action = pf <= ps && f > s ? BUY : pf >= ps && f < s ? SELL : undefined;
    if (action !== undefined && action !== last) {
      out.push([i, action]);
      last = action;
    }
  }
  return out;
}

describe('SimpleMaCrossStrategy signals (fast 2, slow 4)', () => {
  it('buys on the first bar where the fast average rises above the slow one', () => {
    // bar 4: fast (10+12)/2 = 11 > slow (10+10+10+12)/4 = 10.5; before: both 10 (a tie counts)
    expect(actions([10, 10, 10, 10, 12])).toEqual([[4, BUY]]);
  });

  it('needs slow_period + 1 bars', () => {
    // the same jump one bar earlier: only 4 bars when it happens, and no cross afterwards
    expect(actions([10, 10, 10, 12])).toEqual([]);
    expect(actions([10, 10, 10, 12, 12])).toEqual([]);
  });

  it('gives nothing while the averages stay equal', () => {
    expect(actions([10, 10, 10, 10, 10, 10, 10])).toEqual([]);
  });

  it('counts touching and parting again as a cross, and sells on the way down', () => {
    // bar 5: fast (12+8)/2 = 10 = slow (10+10+12+8)/4: a tie, no signal
    // bar 6: fast 8 < slow 9.5 after the tie -> SELL
    expect(actions([10, 10, 10, 10, 12, 8, 8])).toEqual([
      [4, BUY],
      [6, SELL],
    ]);
  });

  it('follows repeated crossings', () => {
    expect(actions([10, 10, 10, 10, 12, 8, 8, 14, 14, 6, 6])).toEqual([
      [4, BUY],
      [6, SELL],
      [7, BUY],
      [9, SELL],
    ]);
  });

  it('never repeats the same action in a row', () => {
    // bar 4 BUY; bar 5 the averages meet again (fast 10 = slow 10); bar 6 the fast one rises
    // above again (12 > 11.5): a second BUY by the crossing rule, suppressed
    expect(actions([10, 10, 10, 10, 12, 8, 16])).toEqual([[4, BUY]]);
    // and a SELL in between lets the next BUY through
    expect(actions([10, 10, 10, 10, 12, 8, 8, 16, 16])).toEqual([
      [4, BUY],
      [6, SELL],
      [7, BUY],
    ]);
  });

  it('de-duplicates per symbol', () => {
    const session = new FakeSession().openSeries('AAA', '1m').openSeries('BBB', '1m');
    const strategy = started(
      { symbols: ['AAA', 'BBB'], interval: '1m', fast_period: 2, slow_period: 4 },
      session,
    );
    const bars = barsFromCloses([10, 10, 10, 10, 12]);
    expect(replay(strategy, session, 'AAA', '1m', bars)).toHaveLength(1);
    expect(replay(strategy, session, 'BBB', '1m', bars)).toHaveLength(1);
  });

  it('skips bars whose series quality is below min_quality', () => {
    const bars = barsFromCloses([10, 10, 10, 10, 12]);
    const run = (quality: number, min_quality?: number) => {
      const session = new FakeSession().setSeries(barSeriesFromBars('AAA', '1m', bars), quality);
      const config = {
        symbols: ['AAA'],
        interval: '1m',
        fast_period: 2,
        slow_period: 4,
        min_quality,
      } as const;
      return started(config, session).onBars('AAA', '1m');
    };
    expect(run(94.9)).toEqual([]);
    expect(run(95)).toHaveLength(1);
    expect(run(80, 80)).toHaveLength(1);
    expect(run(79, 80)).toEqual([]);
  });

  it('ignores notifications for another interval', () => {
    const session = new FakeSession().setSeries(
      barSeriesFromBars('AAA', '1m', barsFromCloses([10, 10, 10, 10, 12])),
    );
    expect(
      started({ symbols: ['AAA'], fast_period: 2, slow_period: 4 }, session).onBars('AAA', '1m'),
    ).toEqual([]);
  });

  it('reports price, reason and metadata', () => {
    const session = new FakeSession().setSeries(
      barSeriesFromBars('AAA', '5m', barsFromCloses([10, 10, 10, 10, 12])),
    );
    const [signal] = started({ symbols: ['AAA'], fast_period: 2, slow_period: 4 }, session).onBars(
      'AAA',
      '5m',
    ) as Signal[];
    expect(signal?.toJSON()).toEqual({
      symbol: 'AAA',
      action: BUY,
      price: 12,
      reason: 'fast SMA(2) crossed above slow SMA(4)',
      metadata: { fast_ma: 11, slow_ma: 10.5, interval: '5m' },
    });
  });
});

describe('SimpleMaCrossStrategy against references', () => {
  it('gives the signals of a plain array computation, bar by bar, ties included', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 10 }),
        tiedPricePath(1, 150),
        fc.array(fc.boolean(), { minLength: 150, maxLength: 150 }),
        (fast, extra, closes, lowQuality) => {
          const slow = fast + extra;
          // a window of 24 bars: the ring wraps, yet only slow + 1 <= 17 bars are ever needed
          const session = new FakeSession().openSeries('AAA', '1m', 24);
          const strategy = started(
            { symbols: ['AAA'], interval: '1m', fast_period: fast, slow_period: slow, min_quality: 50 },
            session,
          );
          const bars = barsFromCloses(closes);
          const got: Array<[number, string]> = [];
          bars.forEach((bar, i) => {
            session.append('AAA', '1m', bar);
            session.setQuality('AAA', '1m', lowQuality[i] ? 40 : 100);
            for (const signal of strategy.onBars('AAA', '1m') as Signal[]) got.push([i, signal.action]);
          });
          expect(got).toEqual(referenceActions(closes, fast, slow, (i) => !lowQuality[i]));
        },
      ),
    );
  });

  it('reports moving averages equal to technicalindicators SMA (relative 1e-9)', () => {
    let checked = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 20 }),
        pricePath(60, 300),
        (fast, extra, closes) => {
          const slow = fast + extra;
          const session = new FakeSession().openSeries('AAA', '1m');
          const strategy = started(
            { symbols: ['AAA'], interval: '1m', fast_period: fast, slow_period: slow },
            session,
          );
          const fastSma = SMA.calculate({ period: fast, values: closes });
          const slowSma = SMA.calculate({ period: slow, values: closes });
          for (const { index, signal } of replay(strategy, session, 'AAA', '1m', barsFromCloses(closes))) {
            const expectedFast = fastSma[index - fast + 1] as number;
            const expectedSlow = slowSma[index - slow + 1] as number;
            expect(Math.abs((signal.metadata.fast_ma as number) - expectedFast)).toBeLessThanOrEqual(
              1e-9 * expectedFast,
            );
            expect(Math.abs((signal.metadata.slow_ma as number) - expectedSlow)).toBeLessThanOrEqual(
              1e-9 * expectedSlow,
            );
            checked++;
          }
        },
      ),
    );
    expect(checked).toBeGreaterThan(100);
  });
});

describe('SimpleMaCrossStrategy config', () => {
  const bad: Array<[string, SimpleMaCrossConfig, string]> = [
    ['no symbols key', {}, 'symbols'],
    ['an empty symbol list', { symbols: [] }, 'symbols'],
    ['a malformed symbol', { symbols: ['AAPL', ''] }, 'symbols[1]'],
    ['a symbol listed twice', { symbols: ['AAPL', 'AAPL'] }, 'symbols[1]'],
    ['fast >= slow', { symbols: ['A'], fast_period: 20, slow_period: 20 }, 'fast_period'],
    ['a zero period', { symbols: ['A'], fast_period: 0 }, 'fast_period'],
    ['a negative period', { symbols: ['A'], slow_period: -5 }, 'slow_period'],
    ['a fractional period', { symbols: ['A'], slow_period: 2.5 }, 'slow_period'],
    ['a period given as text', { symbols: ['A'], fast_period: '5' as never }, 'fast_period'],
    ['a bad interval', { symbols: ['A'], interval: '5 minutes' as never }, 'interval'],
    ['a quality above 100', { symbols: ['A'], min_quality: 101 }, 'min_quality'],
    [
      'a non-boolean follow flag',
      { symbols: ['A'], follow_added_symbols: 'yes' as never },
      'follow_added_symbols',
    ],
  ];

  it.each(bad)('refuses %s, saying where', (_, config, path) => {
    const issues = configIssuesOf(() => new SimpleMaCrossStrategy('sma', config));
    expect(issues.map((i) => i.path)).toEqual([path]);
  });

  it('reports every problem at once', () => {
    const issues = configIssuesOf(() => new SimpleMaCrossStrategy('sma', { fast_period: 0, interval: 'x' }));
    expect(issues.map((i) => i.path)).toEqual(['fast_period', 'interval', 'symbols']);
  });

  it('compares the periods even when another key is wrong', () => {
    const issues = configIssuesOf(
      () =>
        new SimpleMaCrossStrategy('sma', {
          symbols: ['A'],
          fast_period: 20,
          slow_period: 20,
          min_quality: 101,
        }),
    );
    expect(issues).toEqual([
      { path: 'fast_period', message: 'must be less than slow_period (20), got 20' },
      { path: 'min_quality', message: 'expected at most 100, got 101' },
    ]);
  });

  it('does not compare periods when one of them is already wrong', () => {
    const issues = configIssuesOf(
      () => new SimpleMaCrossStrategy('sma', { symbols: ['A'], fast_period: 25, slow_period: 0 }),
    );
    expect(issues).toEqual([{ path: 'slow_period', message: 'expected at least 1, got 0' }]);
  });

  it('says what a symbol list needs', () => {
    expect(configIssuesOf(() => new SimpleMaCrossStrategy('sma', {}))).toEqual([
      { path: 'symbols', message: 'must be a non-empty list of symbols, got nothing' },
    ]);
    expect(configIssuesOf(() => new SimpleMaCrossStrategy('sma', { symbols: ['AAPL', 'AAPL'] }))).toEqual([
      { path: 'symbols[1]', message: '"AAPL" is listed twice' },
    ]);
  });

  it('applies the defaults and subscribes each symbol', () => {
    const strategy = started({ symbols: ['AAPL', 'MSFT'] });
    expect(strategy.getSubscriptions()).toEqual([
      ['AAPL', '5m'],
      ['MSFT', '5m'],
    ]);
  });

  it('refuses unknown keys, naming the key meant', () => {
    const config = { symbols: ['A'], fast_perod: 3 } as SimpleMaCrossConfig;
    expect(configIssuesOf(() => new SimpleMaCrossStrategy('sma', config))).toEqual([
      { path: 'fast_perod', message: 'unknown field "fast_perod" (did you mean "fast_period"?)' },
    ]);
  });

  it('trades symbols added mid-session only with follow_added_symbols', () => {
    const following = started({ symbols: ['A'], follow_added_symbols: true });
    following.onSymbolAdded('B');
    following.onSymbolAdded('B');
    expect(following.getSubscriptions()).toEqual([
      ['A', '5m'],
      ['B', '5m'],
    ]);
    const fixed = started({ symbols: ['A'] });
    fixed.onSymbolAdded('B');
    expect(fixed.getSubscriptions()).toEqual([['A', '5m']]);
  });

  it('may start with no symbols when it follows added ones', () => {
    expect(started({ follow_added_symbols: true }).getSubscriptions()).toEqual([]);
  });
});
