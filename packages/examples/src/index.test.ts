import { isScannerClass, isStrategyClass, type ScannerClass, type StrategyClass } from '@strat/core';
import { describe, expect, it } from 'vitest';
import * as root from './index';
import * as rsi from './rsi';
import * as smaCross from './sma-cross';
import * as volumeSpike from './volume-spike-scanner';
import * as vwap from './vwap';

// Compile-time: the classes fit what the runtime loads.
const strategies: StrategyClass[] = [root.SimpleMaCrossStrategy, root.RsiStrategy, root.VwapStrategy];
const scanners: ScannerClass[] = [root.VolumeSpikeScanner];

describe('@strat/examples entry points', () => {
  it('exports loadable strategy and scanner classes', () => {
    for (const cls of strategies) expect(isStrategyClass(cls)).toBe(true);
    for (const cls of scanners) expect(isScannerClass(cls)).toBe(true);
  });

  it('gives each subpath module exactly one class, the one its name points to', () => {
    const classesOf = (m: Record<string, unknown>) => [
      ...new Set(Object.values(m).filter((v) => typeof v === 'function')),
    ];
    expect(classesOf(smaCross)).toEqual([root.SimpleMaCrossStrategy]);
    // ...under the name the loader looks for in that subpath (its name + Strategy), besides its own
    const classNames = (m: Record<string, unknown>) =>
      Object.entries(m)
        .filter(([, v]) => typeof v === 'function')
        .map(([k]) => k);
    expect(classNames(smaCross)).toEqual(['SimpleMaCrossStrategy', 'SmaCrossStrategy']);
    expect(smaCross.SmaCrossStrategy).toBe(root.SimpleMaCrossStrategy);
    expect(classesOf(rsi)).toEqual([root.RsiStrategy]);
    expect(classesOf(vwap)).toEqual([root.VwapStrategy]);
    expect(classesOf(volumeSpike)).toEqual([root.VolumeSpikeScanner]);
  });
});
