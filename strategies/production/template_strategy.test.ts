import { type BarSeries, barSeriesFromBars, createLogger, type StrategyContext } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { TemplateStrategy } from './template_strategy';

/** A minimal session: one series that grows by one bar per call of `next`. */
function fakeContext(closes: number[]) {
  const bars = closes.map((close, i) => ({
    time: i * 60_000,
    open: close,
    high: close,
    low: close,
    close,
    volume: 100,
  }));
  let visible: BarSeries = barSeriesFromBars('DEMO', '1m', []);
  const ctx: StrategyContext = {
    mode: 'backtest',
    speedMultiplier: 0,
    logger: createLogger('test', 'silent'),
    getCurrentTime: () => 0,
    getBars: () => visible,
    hasBars: () => true,
    getBarQuality: () => 100,
    getSymbols: () => ['DEMO'],
  };
  const next = (i: number) => {
    visible = barSeriesFromBars('DEMO', '1m', bars.slice(0, i + 1));
  };
  return { ctx, next };
}

describe('TemplateStrategy', () => {
  it('buys a breakout above the channel once', () => {
    const { ctx, next } = fakeContext([10, 11, 10, 12, 13, 9]);
    const strategy = new TemplateStrategy('test', { symbols: ['DEMO'], lookback: 3 });
    expect(strategy.setup(ctx)).toBe(true);
    const actions: string[] = [];
    for (let i = 0; i < 6; i++) {
      next(i);
      for (const signal of strategy.onBars('DEMO', '1m')) actions.push(`${i}:${signal.action}`);
    }
    // bar 3: 12 > 11 (highest of 10, 11, 10); bar 4: 13 is another BUY, not repeated; bar 5: 9 < 10
    expect(actions).toEqual(['3:BUY', '5:SELL']);
  });

  it('refuses a config without symbols', () => {
    const { ctx } = fakeContext([]);
    expect(new TemplateStrategy('test', {}).setup(ctx)).toBe(false);
  });
});
