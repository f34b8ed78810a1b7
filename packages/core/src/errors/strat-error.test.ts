import { describe, expect, it } from 'vitest';
import { StratError } from './strat-error';
import { StrategyLoadError } from './strategy-load-error';

describe('StratError', () => {
  it('carries a code, a message, its class name and an optional cause', () => {
    const cause = new Error('disk full');
    const error = new StratError('SOMETHING_FAILED', 'Could not do it', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'SOMETHING_FAILED', message: 'Could not do it', name: 'StratError' });
    expect(error.cause).toBe(cause);
    expect('cause' in new StratError('X', 'no cause')).toBe(false);
  });

  it('names subclasses after themselves', () => {
    class CustomFailure extends StratError {}
    const error = new CustomFailure('CUSTOM', 'x');
    expect(error.name).toBe('CustomFailure');
    expect(error).toBeInstanceOf(StratError);
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
      cause: 'ENOENT',
      message: 'Cannot load strategy module "strategies.examples.nope": file not found',
    });
  });
});
