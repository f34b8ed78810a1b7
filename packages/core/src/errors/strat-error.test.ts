import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error';
import { DataError } from './data-error';
import { IntervalError } from './interval-error';
import { StratError } from './strat-error';
import { StratErrorCode } from './strat-error-code';
import { StrategyLoadError } from './strategy-load-error';
import { StrategySetupError } from './strategy-setup-error';

describe('StratError', () => {
  it('carries a code, a message, its class name and an optional cause', () => {
    const cause = new Error('disk full');
    const error = new StratError('CONFIG_UNREADABLE', 'Could not do it', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      code: 'CONFIG_UNREADABLE',
      message: 'Could not do it',
      name: 'StratError',
    });
    expect(error.cause).toBe(cause);
    expect('cause' in new StratError('SERIES_UNKNOWN', 'no cause')).toBe(false);
  });

  it('names subclasses after themselves', () => {
    class CustomFailure extends StratError {}
    const error = new CustomFailure('PROCESSOR_RUNNING', 'x');
    expect(error.name).toBe('CustomFailure');
    expect(error).toBeInstanceOf(StratError);
  });

  it('takes only the documented codes', () => {
    // @ts-expect-error an ad hoc code is refused by the type: add it to StratErrorCode with its meaning
    expect(new StratError('SOMETHING_FAILED', 'x').code).toBe('SOMETHING_FAILED');
  });
});

describe('StratErrorCode', () => {
  it('spells every code as its own key', () => {
    const entries = Object.entries(StratErrorCode);
    expect(entries.length).toBeGreaterThan(0);
    for (const [key, code] of entries) expect(code).toBe(key);
    expect(new StratError(StratErrorCode.CONFIG_UNREADABLE, 'x').code).toBe('CONFIG_UNREADABLE');
  });

  it('are the codes the README lists by area, no more and no fewer', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(
      readme.indexOf('The codes by area'),
      readme.indexOf('**Recognising an error.**'),
    );
    const listed = [...section.matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1]);
    expect([...listed].sort()).toEqual(Object.keys(StratErrorCode).sort());
  });
});

describe('isInstance', () => {
  const config = new ConfigError([{ path: 'mode', message: 'bad' }]);
  const data = new DataError('bad row', { file: 'a.csv', line: 3 });
  const load = new StrategyLoadError('x', 'missing');
  const interval = new IntervalError('5x');
  const plain = new StratError('SERIES_UNKNOWN', 'no such series');

  it('recognises every @strat error as a StratError, and nothing else', () => {
    for (const error of [config, data, load, interval, plain])
      expect(StratError.isInstance(error)).toBe(true);
    const lookalike = Object.assign(new Error('x'), { code: 'CONFIG_INVALID', name: 'ConfigError' });
    for (const value of [lookalike, new TypeError('x'), 'CONFIG_INVALID', null, undefined, 42, {}]) {
      expect(StratError.isInstance(value)).toBe(false);
    }
  });

  it('recognises each kind only as itself', () => {
    const classes = [ConfigError, DataError, StrategyLoadError, IntervalError] as const;
    const errors = [config, data, load, interval];
    for (const [i, errorClass] of classes.entries()) {
      for (const [j, error] of errors.entries()) expect(errorClass.isInstance(error)).toBe(i === j);
      expect(errorClass.isInstance(plain)).toBe(false);
    }
  });

  it('narrows to the class it is called on', () => {
    const error: unknown = config;
    if (!ConfigError.isInstance(error)) throw new Error('expected a ConfigError');
    expect(error.issues[0]?.path).toBe('mode');
  });

  it('reads the brand, which another copy of the package writes the same way', () => {
    const brand = Symbol.for('@strat/core/error-kinds');
    const fromOtherCopy = { [brand]: ['@strat/core/StratError', '@strat/core/ConfigError'] };
    expect(StratError.isInstance(fromOtherCopy)).toBe(true);
    expect(ConfigError.isInstance(fromOtherCopy)).toBe(true);
    expect(DataError.isInstance(fromOtherCopy)).toBe(false);
  });

  it('keeps the brand out of keys, spreads and JSON', () => {
    expect(Object.getOwnPropertyDescriptor(config, Symbol.for('@strat/core/error-kinds'))?.enumerable).toBe(
      false,
    );
    expect(Object.getOwnPropertySymbols({ ...config })).toEqual([]);
    expect(JSON.parse(JSON.stringify(plain))).toEqual({ name: 'StratError', code: 'SERIES_UNKNOWN' });
  });

  it('recognises subclasses of a kind as that kind', () => {
    class StrictConfigError extends ConfigError {}
    const error = new StrictConfigError([{ path: 'mode', message: 'bad' }]);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect(StratError.isInstance(error)).toBe(true);
    expect(DataError.isInstance(error)).toBe(false);
  });

  it('falls back to instanceof for a subclass without a kind of its own', () => {
    class CustomFailure extends StratError {}
    class OtherFailure extends StratError {}
    expect(CustomFailure.isInstance(new CustomFailure('PROCESSOR_RUNNING', 'x'))).toBe(true);
    expect(CustomFailure.isInstance(new OtherFailure('PROCESSOR_RUNNING', 'x'))).toBe(false);
    expect(CustomFailure.isInstance(plain)).toBe(false);
  });

  it('gives a subclass with its own kind its own recognition', () => {
    class FeedFailure extends StratError {
      static override readonly kind: string = '@strat/test/FeedFailure';
    }
    const error = new FeedFailure('FEED_CLOSED', 'closed');
    expect(FeedFailure.isInstance(error)).toBe(true);
    expect(StratError.isInstance(error)).toBe(true);
    expect(FeedFailure.isInstance(plain)).toBe(false);
    expect(ConfigError.isInstance(error)).toBe(false);
  });
});

describe('StrategyLoadError', () => {
  it('names the module and the reason', () => {
    const error = new StrategyLoadError('strategies.examples.nope', 'file not found', { cause: 'ENOENT' });
    expect(error).toBeInstanceOf(StratError);
    expect(error).toMatchObject({
      name: 'StrategyLoadError',
      code: 'STRATEGY_LOAD_FAILED',
      module: 'strategies.examples.nope',
      reason: 'file not found',
      cause: 'ENOENT',
      message: 'Cannot load strategy module "strategies.examples.nope": file not found',
    });
  });
});

describe('StrategySetupError', () => {
  it('says which step of which strategy failed and where, and is still a StrategyLoadError', () => {
    const thrown = new TypeError("Cannot read properties of undefined (reading 'a')");
    const location = { file: '/p/strategies/a.ts', line: 8, column: 27 };
    const error = new StrategySetupError(
      'strategies.a',
      'a',
      'setup',
      `setup failed: TypeError: ${thrown.message} at strategies/a.ts:8:27`,
      { cause: thrown, location },
    );
    expect(error).toMatchObject({
      name: 'StrategySetupError',
      code: 'STRATEGY_LOAD_FAILED',
      module: 'strategies.a',
      strategy: 'a',
      step: 'setup',
      location,
      cause: thrown,
      message:
        'Strategy "a" (strategies.a): setup failed: TypeError: ' +
        "Cannot read properties of undefined (reading 'a') at strategies/a.ts:8:27",
    });
    expect(StrategySetupError.isInstance(error)).toBe(true);
    expect(StrategyLoadError.isInstance(error)).toBe(true);
    expect(StrategySetupError.isInstance(new StrategyLoadError('strategies.a', 'no such file'))).toBe(false);
  });
});
