import { describe, expect, it } from 'vitest';
import type { BarSeries } from '../bars/bar-series';
import { barSeriesFromBars } from '../bars/bar-series-from-bars';
import { StratError } from '../errors/strat-error';
import { createLogger, type LogRecord } from '../logging/logger';
import type { Interval } from '../time/interval';
import { BaseScanner } from './base-scanner';
import { BaseStrategy, DEFAULT_QUALITY_WARNING, isStrategyClass, type Subscription } from './base-strategy';
import { Signal, SignalAction } from './signal';
import type { StrategyContext } from './strategy-context';

function recordingContext(series: Record<string, BarSeries> = {}) {
  const records: LogRecord[] = [];
  const ctx: StrategyContext = {
    mode: 'backtest',
    speedMultiplier: 0,
    logger: createLogger('test', 'debug', (r) => records.push(r)),
    getCurrentTime: () => 0,
    getBars: (symbol, interval) => {
      const found = series[`${symbol}:${interval}`];
      if (!found) throw new StratError('SERIES_UNKNOWN', `no series ${symbol} ${interval}`);
      return found;
    },
    hasBars: (symbol, interval) => `${symbol}:${interval}` in series,
    getBarQuality: () => 100,
    getSymbols: () => Object.keys(series).map((k) => k.split(':')[0] as string),
    sessionDate: () => '1970-01-01',
  };
  return { ctx, records };
}

class UpClose extends BaseStrategy<{ symbol: string; interval: Interval }> {
  getSubscriptions(): Subscription[] {
    return [[this.config.symbol, this.config.interval]];
  }

  onBars(symbol: string, interval: Interval): Signal[] {
    const bars = this.context.getBars(symbol, interval);
    if (bars.length < 2) return [];
    return bars.close.last() > (bars.close.at(-2) ?? Number.NaN)
      ? [new Signal({ symbol, action: SignalAction.BUY, price: bars.close.last(), reason: 'up close' })]
      : [];
  }
}

const bar = (time: number, close: number) => ({
  time,
  open: close,
  high: close,
  low: close,
  close,
  volume: 1,
});

describe('BaseStrategy', () => {
  it('keeps its name and config', () => {
    const strategy = new UpClose('up', { symbol: 'AAPL', interval: '5m' });
    expect(strategy.name).toBe('up');
    expect(strategy.config).toEqual({ symbol: 'AAPL', interval: '5m' });
  });

  it('defaults the config to an empty object', () => {
    class Bare extends BaseStrategy {
      getSubscriptions() {
        return [];
      }
      onBars() {
        return [];
      }
    }
    expect(new Bare('bare').config).toEqual({});
  });

  it('throws a readable error when the context is read before setup', () => {
    const strategy = new UpClose('up', { symbol: 'AAPL', interval: '5m' });
    expect(strategy.hasContext).toBe(false);
    expect(() => strategy.context).toThrow(StratError);
    expect(() => strategy.context).toThrow('Strategy "up" has no context yet: it is set in setup()');
  });

  it('stores the context and the session logger in setup and returns true', async () => {
    const strategy = new UpClose('up', { symbol: 'AAPL', interval: '5m' });
    const { ctx } = recordingContext();
    expect(await strategy.setup(ctx)).toBe(true);
    expect(strategy.hasContext).toBe(true);
    expect(strategy.context).toBe(ctx);
    expect(strategy.logger).toBe(ctx.logger);
  });

  it('declares its subscriptions and returns signals from onBars', async () => {
    const strategy = new UpClose('up', { symbol: 'AAPL', interval: '5m' });
    const rising = barSeriesFromBars('AAPL', '5m', [bar(0, 10), bar(300_000, 11)]);
    const falling = barSeriesFromBars('MSFT', '5m', [bar(0, 10), bar(300_000, 9)]);
    const { ctx } = recordingContext({ 'AAPL:5m': rising, 'MSFT:5m': falling });
    await strategy.setup(ctx);
    expect(strategy.getSubscriptions()).toEqual([['AAPL', '5m']]);
    const signals = strategy.onBars('AAPL', '5m');
    expect(signals.map((s) => s.toJSON())).toEqual([
      { symbol: 'AAPL', action: 'BUY', price: 11, reason: 'up close', metadata: {} },
    ]);
    expect(strategy.onBars('MSFT', '5m')).toEqual([]);
  });

  it('warns once when quality falls below the threshold, and says when it recovers', async () => {
    const strategy = new UpClose('up', { symbol: 'AAPL', interval: '5m' });
    const { ctx, records } = recordingContext();
    await strategy.setup(ctx);
    await strategy.onQualityUpdate('AAPL', '5m', DEFAULT_QUALITY_WARNING);
    await strategy.onQualityUpdate('AAPL', '5m', 100);
    expect(records).toEqual([]);
    await strategy.onQualityUpdate('AAPL', '5m', 80);
    // Still below: not repeated, however it moves.
    await strategy.onQualityUpdate('AAPL', '5m', 94.99);
    await strategy.onQualityUpdate('AAPL', '5m', 70);
    expect(records).toEqual([
      {
        level: 'warn',
        name: 'test',
        message: 'low bar quality for AAPL 5m: 80.0% (below 95%; not repeated until it recovers)',
        fields: undefined,
      },
    ]);
    // Another series is its own.
    await strategy.onQualityUpdate('AAPL', '1m', 90);
    await strategy.onQualityUpdate('AAPL', '5m', DEFAULT_QUALITY_WARNING);
    await strategy.onQualityUpdate('AAPL', '5m', 99);
    await strategy.onQualityUpdate('AAPL', '5m', 60);
    expect(records.slice(1).map((r) => `${r.level} ${r.message}`)).toEqual([
      'warn low bar quality for AAPL 1m: 90.0% (below 95%; not repeated until it recovers)',
      'info bar quality for AAPL 5m recovered: 95.0%',
      'warn low bar quality for AAPL 5m: 60.0% (below 95%; not repeated until it recovers)',
    ]);
  });

  it('logs a signal at info level with its metadata', async () => {
    const strategy = new UpClose('up', { symbol: 'AAPL', interval: '5m' });
    const { ctx, records } = recordingContext();
    await strategy.setup(ctx);
    strategy.logSignal(
      new Signal({ symbol: 'AAPL', action: 'SELL', reason: 'stop', metadata: { stop: 99 } }),
    );
    strategy.logSignal(new Signal({ symbol: 'AAPL', action: 'HOLD' }));
    expect(records).toEqual([
      { level: 'info', name: 'test', message: 'SELL AAPL: stop', fields: { stop: 99 } },
      { level: 'info', name: 'test', message: 'HOLD AAPL', fields: {} },
    ]);
  });

  it('has default teardown and onSymbolAdded that do nothing', async () => {
    const strategy = new UpClose('up', { symbol: 'AAPL', interval: '5m' });
    const { ctx, records } = recordingContext();
    await strategy.setup(ctx);
    expect(await strategy.teardown(ctx)).toBeUndefined();
    expect(await strategy.onSymbolAdded('NVDA')).toBeUndefined();
    expect(records).toEqual([]);
  });

  it('lets a subclass refuse to start', async () => {
    class Picky extends UpClose {
      override setup(ctx: StrategyContext): boolean {
        super.setup(ctx);
        if (!ctx.hasBars(this.config.symbol, this.config.interval)) {
          this.logger.error(`no ${this.config.symbol} ${this.config.interval} series`);
          return false;
        }
        return true;
      }
    }
    const { ctx, records } = recordingContext();
    expect(await new Picky('p', { symbol: 'AAPL', interval: '5m' }).setup(ctx)).toBe(false);
    expect(records[0]?.message).toBe('no AAPL 5m series');
  });
});

describe('isStrategyClass', () => {
  it('accepts subclasses of BaseStrategy, including deeper ones', () => {
    class Deeper extends UpClose {}
    expect(isStrategyClass(UpClose)).toBe(true);
    expect(isStrategyClass(Deeper)).toBe(true);
  });

  it('accepts a class of the right shape from another copy of the package', () => {
    class Foreign {
      setup() {
        return true;
      }
      getSubscriptions() {
        return [];
      }
      onBars() {
        return [];
      }
    }
    expect(isStrategyClass(Foreign)).toBe(true);
  });

  it('refuses everything else', () => {
    class Scanner extends BaseScanner {
      scan() {
        return [];
      }
    }
    class Partial {
      onBars() {
        return [];
      }
    }
    for (const value of [
      Scanner,
      Partial,
      () => 1,
      {},
      null,
      undefined,
      'UpClose',
      new UpClose('x', { symbol: 'A', interval: '1m' }),
    ]) {
      expect(isStrategyClass(value)).toBe(false);
    }
  });
});
