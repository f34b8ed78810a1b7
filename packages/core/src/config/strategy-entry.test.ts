import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BaseStrategy, type Subscription } from '../strategy/base-strategy';
import type { Signal } from '../strategy/signal';
import { strategyEntry, strategyEntrySchema } from './strategy-entry';

const configSchema = z.strictObject({ symbol: z.string(), period: z.int().min(1).default(14) });

class SchemaStrategy extends BaseStrategy<typeof configSchema> {
  static override readonly configSchema = configSchema;
  getSubscriptions(): Subscription[] {
    return [[this.config.symbol, '1m']];
  }
  onBars(): Signal[] {
    return [];
  }
}

class InterfaceStrategy extends BaseStrategy<{ symbol: string; threshold?: number }> {
  getSubscriptions(): Subscription[] {
    return [[this.config.symbol, '5m']];
  }
  onBars(): Signal[] {
    return [];
  }
}

describe('strategyEntry (a class entry typed by its class)', () => {
  it('makes the entry the schema parses, with the options beside the class and its config', () => {
    const entry = strategyEntry(SchemaStrategy, { symbol: 'AAPL' }, { name: 'rsi', executor: 'inline' });
    expect(entry).toEqual({
      strategy: SchemaStrategy,
      config: { symbol: 'AAPL' },
      name: 'rsi',
      executor: 'inline',
    });
    const parsed = strategyEntrySchema.parse(entry);
    expect(parsed.strategy).toBe(SchemaStrategy);
    expect(parsed.config).toEqual({ symbol: 'AAPL' });
    expect(parsed.enabled).toBe(true);
    expect(
      strategyEntrySchema.parse(strategyEntry(InterfaceStrategy, { symbol: 'MSFT', threshold: 2 })).config,
    ).toEqual({ symbol: 'MSFT', threshold: 2 });
  });
});

// Compile-time probes (`pnpm type-check` fails when a @ts-expect-error has no error, i.e. when the
// config is no longer typed by the class); never called.
export function typeProbes(): void {
  // @ts-expect-error a misspelt field of a schema-typed config
  strategyEntry(SchemaStrategy, { symbol: 'AAPL', perod: 3 });
  // @ts-expect-error a field of the wrong type
  strategyEntry(SchemaStrategy, { symbol: 'AAPL', period: '3' });
  // @ts-expect-error a missing required field of an interface-typed config
  strategyEntry(InterfaceStrategy, { threshold: 2 });
  // @ts-expect-error an option that is not an entry field
  strategyEntry(InterfaceStrategy, { symbol: 'X' }, { modul: 'x' });
}
