import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger';
import { BaseScanner, isScannerClass } from './base-scanner';
import { BaseStrategy } from './base-strategy';
import type { StrategyContext } from './strategy-context';

class Gappers extends BaseScanner<{ universe: string[] }> {
  scan(ctx: StrategyContext): string[] {
    return this.config.universe.filter((symbol) => !ctx.getSymbols().includes(symbol));
  }
}

const ctx: StrategyContext = {
  mode: 'live',
  speedMultiplier: 1,
  logger: createLogger('session', 'silent'),
  getCurrentTime: () => 0,
  getBars: () => {
    throw new Error('not used');
  },
  hasBars: () => false,
  getBarQuality: () => 100,
  getSymbols: () => ['AAPL'],
  sessionDate: () => '1970-01-01',
};

describe('BaseScanner', () => {
  it('keeps name, config and schedule (default 5m)', () => {
    const scanner = new Gappers('gappers', { universe: [] });
    expect([scanner.name, scanner.config, scanner.schedule]).toEqual(['gappers', { universe: [] }, '5m']);
    expect(new Gappers('g', { universe: [] }, '15m').schedule).toBe('15m');
  });

  it('takes the session logger in setup and returns true', async () => {
    const scanner = new Gappers('gappers', { universe: [] });
    expect(await scanner.setup(ctx)).toBe(true);
    expect(scanner.logger).toBe(ctx.logger);
  });

  it('scans with the context and tears down quietly', async () => {
    const scanner = new Gappers('gappers', { universe: ['AAPL', 'NVDA', 'AMD'] });
    await scanner.setup(ctx);
    expect(await scanner.scan(ctx)).toEqual(['NVDA', 'AMD']);
    expect(await scanner.teardown(ctx)).toBeUndefined();
  });

  it('watches config.universe by default, keeping only strings', () => {
    expect(new Gappers('g', { universe: ['AAPL', 'NVDA'] }).getUniverse()).toEqual(['AAPL', 'NVDA']);
    const loose = new Gappers('g', { universe: ['AAPL', 3, null, 'MSFT'] as unknown as string[] });
    expect(loose.getUniverse()).toEqual(['AAPL', 'MSFT']);
    class NoUniverse extends BaseScanner {
      scan(): string[] {
        return [];
      }
    }
    expect(new NoUniverse('n', {}).getUniverse()).toEqual([]);
  });
});

describe('isScannerClass', () => {
  it('accepts scanner subclasses and same-shaped classes, nothing else', () => {
    class Foreign {
      setup() {
        return true;
      }
      scan() {
        return [];
      }
    }
    class Strategy extends BaseStrategy {
      getSubscriptions() {
        return [];
      }
      onBars() {
        return [];
      }
    }
    expect(isScannerClass(Gappers)).toBe(true);
    expect(isScannerClass(Foreign)).toBe(true);
    for (const value of [Strategy, () => [], {}, null, 'Gappers']) expect(isScannerClass(value)).toBe(false);
  });
});
