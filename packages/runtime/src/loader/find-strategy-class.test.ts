import { BaseStrategy, type Signal, StrategyLoadError } from '@strat/core';
import { describe, expect, it } from 'vitest';
import {
  expectedStrategyClassNames,
  findExportedStrategyClass,
  findStrategyClass,
  moduleBaseName,
  strategyNameOfClass,
} from './find-strategy-class';

abstract class Quiet extends BaseStrategy {
  getSubscriptions() {
    return [] as const;
  }

  onBars(): Signal[] {
    return [];
  }
}
class SimpleMaCrossStrategy extends Quiet {}
class RsiStrategy extends Quiet {}
class MeanReversion extends Quiet {}
class Other extends Quiet {}

describe('module names', () => {
  it.each([
    ['strategies.examples.simple_ma_cross', 'simple_ma_cross'],
    ['./x/simple_ma_cross.ts', 'simple_ma_cross'],
    ['@strat/examples/rsi', 'rsi'],
    ['some-pkg', 'some-pkg'],
    ['../y/z.mjs', 'z'],
  ])('%s has base name %s', (spec, base) => {
    expect(moduleBaseName(spec)).toBe(base);
  });

  it.each([
    ['strategies.examples.simple_ma_cross', ['SimpleMaCrossStrategy', 'SimpleMaCross']],
    ['strategies.examples.rsi_strategy', ['RsiStrategy']],
    ['@strat/examples/vwap', ['VwapStrategy', 'Vwap']],
    ['some-pkg', ['SomePkgStrategy', 'SomePkg']],
  ])('%s expects %j', (spec, names) => {
    expect(expectedStrategyClassNames(spec)).toEqual(names);
  });
});

describe('findStrategyClass', () => {
  it('finds the class named after the module, even when others are exported', () => {
    const warnings: string[] = [];
    const found = findStrategyClass(
      { SimpleMaCrossStrategy, Other, helper: () => 1 },
      'strategies.examples.simple_ma_cross',
      { onWarning: (m) => warnings.push(m) },
    );
    expect(found).toEqual({ strategyClass: SimpleMaCrossStrategy, exportName: 'SimpleMaCrossStrategy' });
    expect(warnings).toEqual([]);
  });

  it('does not double the Strategy suffix and ignores case as a fallback', () => {
    expect(findStrategyClass({ RsiStrategy, Other }, 'strategies.examples.rsi_strategy').strategyClass).toBe(
      RsiStrategy,
    );
    expect(findStrategyClass({ RSIStrategy: RsiStrategy, Other }, '@strat/examples/rsi').exportName).toBe(
      'RSIStrategy',
    );
  });

  it('takes the only strategy class with a warning', () => {
    const warnings: string[] = [];
    const found = findStrategyClass({ MeanReversion, VERSION: 2, alias: MeanReversion }, './mean.ts', {
      onWarning: (m) => warnings.push(m),
    });
    expect(found.strategyClass).toBe(MeanReversion);
    expect(warnings).toEqual([
      'module "./mean.ts" has no export named MeanStrategy; using MeanReversion, the only strategy class it exports',
    ]);
  });

  it('finds classes on the default export of a CommonJS module', () => {
    expect(findStrategyClass({ default: { SimpleMaCrossStrategy } }, 'x.simple_ma_cross').strategyClass).toBe(
      SimpleMaCrossStrategy,
    );
  });

  it('fails listing the exports when there is no strategy class', () => {
    const run = () =>
      findStrategyClass({ helper: () => 1, WINDOW: 20 }, 'strategies.examples.simple_ma_cross');
    expect(run).toThrow(StrategyLoadError);
    expect(run).toThrow(
      'Cannot load strategy module "strategies.examples.simple_ma_cross": no strategy class found: expected an export ' +
        'named SimpleMaCrossStrategy extending BaseStrategy; the module exports helper, WINDOW',
    );
    expect(() => findStrategyClass({}, 'a.b')).toThrow(/the module exports nothing/);
  });

  it('fails when several strategy classes match no name', () => {
    expect(() => findStrategyClass({ MeanReversion, Other }, 'a.trend')).toThrow(
      /several strategy classes \(MeanReversion, Other\)/,
    );
  });
});

describe('classes named in a config built in code', () => {
  it('get the name their module would give', () => {
    expect(strategyNameOfClass(SimpleMaCrossStrategy)).toBe('simple_ma_cross');
    expect(strategyNameOfClass(RsiStrategy)).toBe('rsi');
    expect(strategyNameOfClass(MeanReversion)).toBe('mean_reversion');
    expect(strategyNameOfClass({ name: 'ABCStrategy' })).toBe('abc');
    expect(strategyNameOfClass({ name: 'Strategy' })).toBe('strategy');
  });

  it('are found in the module of their moduleUrl by their name, also when exported under another', () => {
    expect(findExportedStrategyClass({ RsiStrategy, Other }, 'RsiStrategy', 'file:///x.ts')).toEqual({
      strategyClass: RsiStrategy,
      exportName: 'RsiStrategy',
    });
    expect(findExportedStrategyClass({ Renamed: RsiStrategy }, 'RsiStrategy', 'file:///x.ts')).toEqual({
      strategyClass: RsiStrategy,
      exportName: 'Renamed',
    });
    expect(() => findExportedStrategyClass({ Other }, 'RsiStrategy', 'file:///x.ts')).toThrow(
      'Cannot load strategy module "file:///x.ts": the module of its moduleUrl exports no strategy class named RsiStrategy',
    );
  });
});
