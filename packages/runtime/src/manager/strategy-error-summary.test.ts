import { describe, expect, it } from 'vitest';
import type { StrategyErrorEvent } from '../thread/strategy-thread-events';
import {
  describeStrategyError,
  describeStrategyErrors,
  summarizeStrategyErrors,
} from './strategy-error-summary';

const onBars: StrategyErrorEvent = {
  strategy: 'a',
  fatal: false,
  phase: 'onBars',
  message: 'x is undefined',
  errorCount: 1,
  location: { file: '/proj/strategies/a.ts', line: 3, column: 9 },
  symbol: 'AAPL',
  interval: '1m',
  time: Date.UTC(2024, 0, 2, 14, 31),
};
const timeout: StrategyErrorEvent = {
  strategy: 'b',
  fatal: true,
  phase: 'timeout',
  message: 'ran past the limit',
  errorCount: 0,
  symbol: 'MSFT',
  interval: '5m',
};

function thread(firstError: StrategyErrorEvent | undefined, errors: number, strategy = 'a') {
  return { firstError, getMetrics: () => ({ strategy, state: 'stopped' as const, errors }) };
}

describe('strategy error summaries', () => {
  it('keep the strategies that reported an error, in order, with their count', () => {
    expect(
      summarizeStrategyErrors([thread(onBars, 4), thread(undefined, 0, 'quiet'), thread(timeout, 0, 'b')]),
    ).toEqual([
      { strategy: 'a', state: 'stopped', errors: 4, first: onBars },
      { strategy: 'b', state: 'stopped', errors: 0, first: timeout },
    ]);
  });

  it('describe an error with the hook, the place in the code, the bar and the message', () => {
    expect(describeStrategyError(onBars, '/proj')).toBe(
      'onBars threw at strategies/a.ts:3:9 on AAPL 1m (bar closing 2024-01-02T14:31:00.000Z): x is undefined',
    );
    expect(describeStrategyError(timeout, '/proj')).toBe('strategy timed out on MSFT 5m: ran past the limit');
    expect(describeStrategyError({ ...timeout, phase: 'crash', symbol: undefined }, '/proj')).toBe(
      'strategy crashed: ran past the limit',
    );
  });

  it('describe the strategies that threw in one sentence, or nothing when none did', () => {
    const a = { strategy: 'a', state: 'stopped' as const, errors: 1, first: onBars };
    const b = { strategy: 'b', state: 'stopped' as const, errors: 7, first: { ...onBars, strategy: 'b' } };
    expect(describeStrategyErrors([a], '/proj')).toBe(
      'strategy a threw 1 error; the first: onBars threw at strategies/a.ts:3:9 on AAPL 1m ' +
        '(bar closing 2024-01-02T14:31:00.000Z): x is undefined',
    );
    expect(describeStrategyErrors([a, b], '/elsewhere')).toMatch(
      /^2 strategies threw errors \(a: 1, b: 7\); the first: onBars threw at \/proj\/strategies\/a\.ts:3:9 /,
    );
    expect(
      describeStrategyErrors([{ strategy: 'b', state: 'timed_out', errors: 0, first: timeout }]),
    ).toBeUndefined();
  });
});
