import { runStrategy } from '@strat/runtime/testing';
import { describe, expect, it } from 'vitest';
import { TemplateStrategy } from './template_strategy';

describe('TemplateStrategy', () => {
  it('buys a breakout above the channel once, and sells a break below it', async () => {
    const run = await runStrategy({
      strategy: TemplateStrategy,
      config: { symbols: ['DEMO'], lookback: 3 },
      bars: { DEMO: [10, 11, 10, 12, 13, 9] },
    });
    // bar 3: 12 > 11 (highest of 10, 11, 10); bar 4: 13 is another BUY, not repeated; bar 5: 9 < 10
    expect(run.signals.map((s) => s.action)).toEqual(['BUY', 'SELL']);
  });

  it('refuses a config without symbols, saying where', async () => {
    // @ts-expect-error the config is typed by the strategy's schema: tsc finds the missing field too
    const run = runStrategy({ strategy: TemplateStrategy, config: {}, bars: [1] });
    await expect(run).rejects.toThrow('strategies[0].config.symbols: missing required field');
  });
});
