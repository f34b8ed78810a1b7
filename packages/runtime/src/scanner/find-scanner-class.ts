import { isScannerClass, type ScannerClass, StrategyLoadError } from '@strat/core';
import { moduleBaseName } from '../loader/find-strategy-class';

/**
 * Picks the scanner class of a module: by name (`volume_spike_scanner` -> `VolumeSpikeScanner`,
 * `gappers` -> `GappersScanner` or `Gappers`), else the module's only `BaseScanner` subclass (with a
 * warning), else a StrategyLoadError listing the exports.
 */
export function findScannerClass(
  moduleExports: Record<string, unknown>,
  spec: string,
  onWarning?: (message: string) => void,
): { scannerClass: ScannerClass; exportName: string } {
  const pascal = moduleBaseName(spec)
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => (w[0] ?? '').toUpperCase() + w.slice(1))
    .join('');
  const expected = pascal.endsWith('Scanner') ? [pascal] : [`${pascal}Scanner`, pascal];
  for (const name of expected) {
    const value = moduleExports[name];
    if (isScannerClass(value)) return { scannerClass: value, exportName: name };
  }
  const candidates = Object.entries(moduleExports).filter(([, v]) => isScannerClass(v));
  if (candidates.length === 1) {
    const [exportName, scannerClass] = candidates[0] as [string, ScannerClass];
    onWarning?.(
      `no export named ${expected.join(' or ')} in "${spec}"; using its only scanner class ${exportName}`,
    );
    return { scannerClass, exportName };
  }
  const exported = Object.keys(moduleExports).join(', ') || 'nothing';
  throw new StrategyLoadError(
    spec,
    candidates.length === 0
      ? `no BaseScanner subclass exported (expected ${expected.join(' or ')}; it exports ${exported})`
      : `several scanner classes exported (${candidates.map(([n]) => n).join(', ')}) and none named ${expected.join(' or ')}`,
  );
}
