import { BaseScanner, StrategyLoadError } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { findScannerClass } from './find-scanner-class';

class GappersScanner extends BaseScanner {
  scan(): string[] {
    return [];
  }
}
class Other extends BaseScanner {
  scan(): string[] {
    return [];
  }
}

describe('findScannerClass', () => {
  it('picks the class named after the module, else the only scanner class with a warning', () => {
    expect(findScannerClass({ GappersScanner, Other }, 'scanners.gappers').exportName).toBe('GappersScanner');
    const warnings: string[] = [];
    const found = findScannerClass({ Other, WINDOW: 5 }, 'scanners.gappers', (w) => warnings.push(w));
    expect(found.scannerClass).toBe(Other);
    expect(warnings).toEqual([expect.stringMatching(/using its only scanner class Other/)]);
  });

  it('names what the module exports when no class or several fit', () => {
    expect(() => findScannerClass({ WINDOW: 5 }, 'scanners.gappers')).toThrow(StrategyLoadError);
    expect(() => findScannerClass({ WINDOW: 5 }, 'scanners.gappers')).toThrow(/it exports WINDOW/);
    expect(() => findScannerClass({ A: GappersScanner, B: Other }, 'scanners.none')).toThrow(
      /several scanner classes exported \(A, B\)/,
    );
  });
});
