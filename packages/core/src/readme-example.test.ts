// The README's smallest working example, kept here so that it keeps working.
import { expect, expectTypeOf, it } from 'vitest';
import {
  BaseStrategy,
  barSeriesFromBars,
  ConfigError,
  createLogger,
  type Interval,
  intervalSchema,
  Signal,
  SignalAction,
  type StrategyContext,
  z,
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
    sessionDate: () => '2024-01-02',
  };

  const strategy = new Breakout('breakout', { symbol: 'AAPL' });
  await strategy.setup(ctx);
  const signals = await strategy.onBars('AAPL', '5m');
  expect(signals.map((s) => s.toJSON())).toEqual([
    { symbol: 'AAPL', action: 'BUY', price: 102, reason: 'breakout', metadata: {} },
  ]);
});

// The README's config schema example.
const configSchema = z.strictObject({
  symbols: z.array(z.string()).min(1),
  interval: intervalSchema.default('5m'),
  period: z.int().min(2).default(20),
});

class AboveMeanStrategy extends BaseStrategy<typeof configSchema> {
  static override readonly configSchema = configSchema;

  getSubscriptions() {
    return this.config.symbols.map((symbol) => [symbol, this.config.interval] as const);
  }

  onBars(symbol: string, interval: Interval): Signal[] {
    const close = this.context.getBars(symbol, interval).close;
    return close.last() > close.meanOfLast(this.config.period)
      ? [new Signal({ symbol, action: SignalAction.BUY, reason: 'above its mean' })]
      : [];
  }
}

it('runs the README config schema example', () => {
  const strategy = new AboveMeanStrategy('x', { symbols: ['AAPL'] });
  expectTypeOf(strategy.config).toEqualTypeOf<{ symbols: string[]; interval: Interval; period: number }>();
  expect(strategy.getSubscriptions()).toEqual([['AAPL', '5m']]);
  expect(() => new AboveMeanStrategy('x', { symbols: [] })).toThrow(ConfigError);
  expect(() => new AboveMeanStrategy('x', { symbols: [] })).toThrow(
    / {2}- symbols: expected at least 1 item, got 0/,
  );
});
