import type { StrategyErrorSummary } from '@strat/runtime';
import { describe, expect, it } from 'vitest';
import { colorsFor } from '../terminal/colors';
import { renderStrategyErrors, strategyErrorsVerdict } from './strategy-errors-report';

const plain = colorsFor({ isTTY: false }, {});
const cwd = '/proj';

const typo: StrategyErrorSummary = {
  strategy: 'typo',
  state: 'stopped',
  errors: 1402,
  first: {
    strategy: 'typo',
    fatal: false,
    phase: 'onBars',
    message: "Cannot read properties of undefined (reading 'at')",
    errorCount: 1,
    location: { file: '/proj/strategies/typo.ts', line: 78, column: 29 },
    symbol: 'AAPL',
    interval: '5m',
    time: Date.UTC(2024, 0, 2, 14, 35),
  },
};
const crashed: StrategyErrorSummary = {
  strategy: 'stuck',
  state: 'crashed',
  errors: 0,
  first: { strategy: 'stuck', fatal: true, phase: 'crash', message: 'its worker died: boom', errorCount: 0 },
};
const teardown: StrategyErrorSummary = {
  strategy: 'other',
  state: 'stopped',
  errors: 1,
  first: { strategy: 'other', fatal: false, phase: 'teardown', message: 'no file', errorCount: 1 },
};

describe('renderStrategyErrors', () => {
  it('lists each strategy with its count (or its end) and its first error with the place in its code', () => {
    expect(renderStrategyErrors([typo, crashed, teardown], plain, cwd)).toBe(
      [
        'Strategy errors',
        "  typo: 1,402 errors; first: onBars threw at strategies/typo.ts:78:29 on AAPL 5m (bar closing 2024-01-02T14:35:00.000Z): Cannot read properties of undefined (reading 'at')",
        '  stuck: crashed; first: strategy crashed: its worker died: boom',
        '  other: 1 error; first: teardown threw: no file',
        '',
      ].join('\n'),
    );
    expect(renderStrategyErrors([], plain, cwd)).toBe('');
  });
});

describe('strategyErrorsVerdict', () => {
  it('names the strategy, its count and the first location, and the way out', () => {
    expect(strategyErrorsVerdict([typo], cwd)).toBe(
      'strategy typo threw 1,402 errors, the first at strategies/typo.ts:78:29: its signals may be wrong, ' +
        'so the run failed (fix it, or pass --allow-errors to accept errors)',
    );
    expect(strategyErrorsVerdict([crashed, typo, teardown], '/elsewhere')).toBe(
      '2 strategies threw errors (typo: 1,402, other: 1), the first at /proj/strategies/typo.ts:78:29: ' +
        'its signals may be wrong, so the run failed (fix it, or pass --allow-errors to accept errors)',
    );
    // A crash alone fails the run by its own rule (the summary's headline says so).
    expect(strategyErrorsVerdict([crashed], cwd)).toBeUndefined();
  });
});
