// The README's smallest working example, kept here so that it keeps working.
import { expect, it } from 'vitest';
import {
  BaseStrategy,
  barSeriesFromBars,
  createLogger,
  type Interval,
  Signal,
  SignalAction,
  type StrategyContext,
} from './index';

class Breakout extends BaseStrategy<{ symbol: string }> {
  getSubscriptions() {
    return [[this.config.symbol, '5m']] as const;
  }

  onBars(symbol: string, interval: Interval): Signal[] {
    const bars = this.context.getBars(symbol, interval);
    if (bars.length < 2) return [];
    const previousHigh = bars.high.get(bars.length - 2);
    return bars.close.last() > previousHigh
      ? [new Signal({ symbol, action: SignalAction.BUY, price: bars.close.last(), reason: 'breakout' })]
      : [];
  }
}

it('runs the README example', async () => {
  const bars = barSeriesFromBars('AAPL', '5m', [
    { time: Date.UTC(2024, 0, 2, 14, 30), open: 100, high: 101, low: 99.5, close: 100.5, volume: 1200 },
    { time: Date.UTC(2024, 0, 2, 14, 35), open: 100.5, high: 102.2, low: 100.4, close: 102, volume: 1800 },
  ]);
  const ctx: StrategyContext = {
    mode: 'backtest',
    speedMultiplier: 0,
    logger: createLogger('breakout', 'silent'),
    getCurrentTime: () => Date.UTC(2024, 0, 2, 14, 40),
    getBars: () => bars,
    hasBars: () => true,
    getBarQuality: () => 100,
    getSymbols: () => ['AAPL'],
  };

  const strategy = new Breakout('breakout', { symbol: 'AAPL' });
  await strategy.setup(ctx);
  const signals = await strategy.onBars('AAPL', '5m');
  expect(signals.map((s) => s.toJSON())).toEqual([
    { symbol: 'AAPL', action: 'BUY', price: 102, reason: 'breakout', metadata: {} },
  ]);
});
