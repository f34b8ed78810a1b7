import fc from 'fast-check';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../errors/config-error';
import type { Interval } from '../time/interval';
import { BaseScanner } from './base-scanner';
import { BaseStrategy } from './base-strategy';
import {
  configSchemaOf,
  isStandardSchema,
  parseConfigWith,
  type StandardSchemaV1,
  validateConfig,
} from './config-schema';
import type { Signal } from './signal';

const breakoutConfig = z.strictObject({
  symbols: z.array(z.string()).min(1),
  lookback: z.int().min(1).default(20),
});

class Breakout extends BaseStrategy<typeof breakoutConfig> {
  static override readonly configSchema = breakoutConfig;
  getSubscriptions() {
    return this.config.symbols.map((symbol) => [symbol, '1m'] as const);
  }
  onBars(): Signal[] {
    return [];
  }
}

/** A schema of another library, by the Standard Schema interface only (as valibot or arktype give). */
function evenNumberSchema(): StandardSchemaV1<{ n: number }, { n: number; half: number }> {
  return {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate(value) {
        const n = (value as { n?: unknown } | null)?.n;
        if (typeof n !== 'number')
          return { issues: [{ message: 'n must be a number', path: [{ key: 'n' }] }] };
        if (n % 2 !== 0) return { issues: [{ message: 'must be even', path: ['n'] }, { message: 'odd' }] };
        return { value: { n, half: n / 2 } };
      },
    },
  };
}

describe('validateConfig', () => {
  it('applies the defaults of a zod schema', () => {
    expect(validateConfig(breakoutConfig, { symbols: ['A'] })).toEqual({
      ok: true,
      value: { symbols: ['A'], lookback: 20 },
    });
  });

  it('reports zod problems at their JSON paths, in document order, in the session config wording', () => {
    const result = validateConfig(breakoutConfig, { lookbak: 3, symbols: [1], lookback: 0 }, 'x.config');
    expect(result).toEqual({
      ok: false,
      issues: [
        { path: 'x.config.lookbak', message: 'unknown field "lookbak" (did you mean "lookback"?)' },
        { path: 'x.config.symbols[0]', message: 'expected a string, got 1' },
        { path: 'x.config.lookback', message: 'expected at least 1, got 0' },
      ],
    });
  });

  it('takes any Standard Schema, with its own messages and paths', () => {
    const schema = evenNumberSchema();
    expect(validateConfig(schema, { n: 4 })).toEqual({ ok: true, value: { n: 4, half: 2 } });
    expect(validateConfig(schema, {}, 'cfg')).toEqual({
      ok: false,
      issues: [{ path: 'cfg.n', message: 'n must be a number' }],
    });
    expect(validateConfig(schema, { n: 3 }, 'cfg')).toEqual({
      ok: false,
      issues: [
        { path: 'cfg.n', message: 'must be even' },
        { path: 'cfg', message: 'odd' },
      ],
    });
    expect(validateConfig(schema, { n: 3 })).toMatchObject({ issues: [{ path: 'n' }, { path: '' }] });
  });

  it('refuses a schema that validates asynchronously', () => {
    const asyncSchema: StandardSchemaV1 = {
      '~standard': { version: 1, vendor: 'test', validate: async (value) => ({ value }) },
    };
    expect(() => validateConfig(asyncSchema, {})).toThrow(/must be synchronous/);
  });

  it('accepts exactly the configs zod accepts, whatever the values', () => {
    fc.assert(
      fc.property(fc.record({ symbols: fc.array(fc.string()), lookback: fc.integer() }), (config) => {
        const result = validateConfig(breakoutConfig, config);
        expect(result.ok).toBe(breakoutConfig.safeParse(config).success);
        if (!result.ok)
          for (const issue of result.issues) expect(['symbols', 'lookback']).toContain(issue.path);
      }),
    );
  });
});

describe('parseConfigWith', () => {
  it('throws a ConfigError naming what the config belongs to', () => {
    const run = () => parseConfigWith(breakoutConfig, { symbols: [] }, 'strategy "b"');
    expect(run).toThrow(ConfigError);
    expect(run).toThrow('Invalid config of strategy "b":\n  - symbols: expected at least 1 item, got 0');
  });
});

describe('config schemas on strategy classes', () => {
  it('validates the config in the constructor and infers its type from the schema', () => {
    const strategy = new Breakout('b', { symbols: ['AAPL'] });
    expect(strategy.config).toEqual({ symbols: ['AAPL'], lookback: 20 });
    expectTypeOf(strategy.config).toEqualTypeOf<{ symbols: string[]; lookback: number }>();
    expectTypeOf<ConstructorParameters<typeof Breakout>[1]>().toEqualTypeOf<
      { symbols: string[]; lookback?: number | undefined } | undefined
    >();
    expect(strategy.getSubscriptions()).toEqual([['AAPL', '1m']]);
  });

  it('throws a ConfigError with the paths relative to the config', () => {
    let error: unknown;
    try {
      new Breakout('b', { symbols: ['AAPL'], lookback: 0 });
    } catch (e) {
      error = e;
    }
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues).toEqual([
      { path: 'lookback', message: 'expected at least 1, got 0' },
    ]);
    expect(() => new Breakout('b')).toThrow(/symbols: missing required field/);
  });

  it('keeps a plain config type as given, without an index signature', () => {
    interface PlainConfig {
      symbol: string;
      interval: Interval;
    }
    class Plain extends BaseStrategy<PlainConfig> {
      getSubscriptions() {
        return [[this.config.symbol, this.config.interval] as const];
      }
      onBars(): Signal[] {
        return [];
      }
    }
    const config = { symbol: 'A', interval: '5m' } as const;
    expect(new Plain('p', config).config).toBe(config);
    expectTypeOf(new Plain('p', config).config).toEqualTypeOf<PlainConfig>();
    expect(configSchemaOf(Plain)).toBeUndefined();
    expect(configSchemaOf(Breakout)).toBe(breakoutConfig);
  });

  it('validates a scanner config the same way', () => {
    const universe = z.object({ universe: z.array(z.string()), multiple: z.number().gt(0).default(3) });
    class Spikes extends BaseScanner<typeof universe> {
      static override readonly configSchema = universe;
      scan(): string[] {
        return [];
      }
    }
    const scanner = new Spikes('s', { universe: ['A'] }, '1m');
    expect(scanner.config).toEqual({ universe: ['A'], multiple: 3 });
    expect(scanner.getUniverse()).toEqual(['A']);
    expect(() => new Spikes('s', { universe: ['A'], multiple: 0 })).toThrow(
      'Invalid config of scanner "s":\n  - multiple: expected more than 0, got 0',
    );
  });

  it('refuses a configSchema that is not a schema', () => {
    class Wrong extends BaseStrategy {
      static override readonly configSchema = { parse: () => ({}) } as unknown as StandardSchemaV1;
      getSubscriptions() {
        return [];
      }
      onBars(): Signal[] {
        return [];
      }
    }
    expect(() => new Wrong('w')).toThrow(/configSchema must be a Standard Schema/);
    expect(isStandardSchema(breakoutConfig)).toBe(true);
    expect(isStandardSchema(null)).toBe(false);
    expect(isStandardSchema({ '~standard': {} })).toBe(false);
  });
});
