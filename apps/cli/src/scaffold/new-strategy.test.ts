import { describe, expect, it } from 'vitest';
import { UsageError } from '../usage-error';
import { MAX_NAME_LENGTH, strategyNames } from './new-strategy';

describe('strategyNames', () => {
  it('names the class after the module as the loader expects', () => {
    expect(strategyNames('mean_reversion')).toEqual({
      module: 'mean_reversion',
      className: 'MeanReversionStrategy',
    });
    expect(strategyNames('breakout_strategy').className).toBe('BreakoutStrategy');
    expect(strategyNames('ma_5m').className).toBe('Ma5mStrategy');
  });

  it('refuses names that are not snake_case or too long', () => {
    for (const bad of [
      'MeanReversion',
      'mean-reversion',
      '_x',
      'x_',
      'a__b',
      '1x',
      '',
      'x'.repeat(MAX_NAME_LENGTH + 1),
    ]) {
      expect(() => strategyNames(bad)).toThrow(UsageError);
    }
    expect(strategyNames('x'.repeat(MAX_NAME_LENGTH)).module).toHaveLength(MAX_NAME_LENGTH);
  });
});
