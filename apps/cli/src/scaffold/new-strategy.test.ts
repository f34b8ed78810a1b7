import { describe, expect, it } from 'vitest';
import { UsageError } from '../usage-error';
import { MAX_NAME_LENGTH, strategyNames } from './new-strategy';
import { strategySource, strategyTestSource } from './strategy-template';

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

describe('strategySource', () => {
  it('renames the template in one pass, so a new name that contains an old one stays as given', () => {
    const names = strategyNames('template_config');
    const source = strategySource(names);
    expect(source).toContain('export type TemplateConfigConfig = z.input<typeof configSchema>;');
    expect(source).toContain(
      'export class TemplateConfigStrategy extends BaseStrategy<typeof configSchema> {',
    );
    expect(source).toContain('"module": "strategies.production.template_config"');
    expect(source).not.toMatch(/\bTemplateStrategy\b|\btemplate_strategy\b/);
    expect(strategyTestSource(names)).toContain(
      "import { TemplateConfigStrategy } from './template_config';",
    );
  });
});
