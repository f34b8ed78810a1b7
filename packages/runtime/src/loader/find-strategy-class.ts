import { isStrategyClass, type StrategyClass, StrategyLoadError } from '@strat/core';

/** The strategy class picked from a module, and the export it came from. */
export interface FoundStrategyClass {
  strategyClass: StrategyClass;
  exportName: string;
}

/** Options of {@link findStrategyClass}. */
export interface FindStrategyClassOptions {
  /** Told when the class was not found by name but taken as the module's only strategy class. */
  onWarning?: (message: string) => void;
}

const MODULE_EXTENSION = /\.[cm]?[jt]s$/;

/**
 * The last name segment of a module path without extension: `strategies.examples.simple_ma_cross`
 * and `./x/simple_ma_cross.ts` give `simple_ma_cross`, `@strat/examples/rsi` gives `rsi`.
 */
export function moduleBaseName(spec: string): string {
  const withoutExtension = spec.replace(MODULE_EXTENSION, '');
  const lastSegment = withoutExtension.split(/[\\/]/).pop() ?? withoutExtension;
  return spec.includes('/') || spec.includes('\\')
    ? lastSegment
    : (lastSegment.split('.').pop() ?? lastSegment);
}

/**
 * The export names a module's strategy class is expected under, best first:
 * `simple_ma_cross` gives `SimpleMaCrossStrategy` then `SimpleMaCross`; `rsi_strategy` gives
 * `RsiStrategy` (the suffix is not doubled).
 */
export function expectedStrategyClassNames(spec: string): string[] {
  const pascal = moduleBaseName(spec)
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join('');
  if (pascal === '') return [];
  return pascal.endsWith('Strategy') ? [pascal] : [`${pascal}Strategy`, pascal];
}

function moduleExports(namespace: Record<string, unknown>): Map<string, unknown> {
  const entries = new Map<string, unknown>(Object.entries(namespace));
  // A CommonJS module imported from ESM may expose its classes only on `default`.
  const fallback = namespace.default;
  if (fallback !== null && typeof fallback === 'object') {
    for (const [key, value] of Object.entries(fallback)) if (!entries.has(key)) entries.set(key, value);
  }
  return entries;
}

/**
 * Picks the strategy class of a loaded module: the export named after the module
 * ({@link expectedStrategyClassNames}; exact, then ignoring case), else the one `BaseStrategy`
 * subclass the module exports (with a warning).
 * @throws StrategyLoadError when there is no strategy class, or several and none by name; the
 *   message lists what the module exports.
 */
export function findStrategyClass(
  namespace: Record<string, unknown>,
  spec: string,
  options: FindStrategyClassOptions = {},
): FoundStrategyClass {
  const exported = moduleExports(namespace);
  const expected = expectedStrategyClassNames(spec);
  for (const name of expected) {
    const value = exported.get(name);
    if (isStrategyClass(value)) return { strategyClass: value, exportName: name };
  }
  const lowerExpected = new Set(expected.map((name) => name.toLowerCase()));
  for (const [name, value] of exported) {
    if (lowerExpected.has(name.toLowerCase()) && isStrategyClass(value)) {
      return { strategyClass: value, exportName: name };
    }
  }

  const classes = new Map<StrategyClass, string>();
  for (const [name, value] of exported) {
    if (isStrategyClass(value) && !classes.has(value)) classes.set(value, name);
  }
  const wanted = expected[0] ?? 'a class named after the module';
  if (classes.size === 1) {
    const [[strategyClass, exportName]] = [...classes] as [[StrategyClass, string]];
    options.onWarning?.(
      `module "${spec}" has no export named ${wanted}; using ${exportName}, the only strategy class it exports`,
    );
    return { strategyClass, exportName };
  }
  const names = [...exported.keys()].filter((name) => name !== '__esModule');
  if (classes.size > 1) {
    throw new StrategyLoadError(
      spec,
      `no export named ${wanted}, and the module exports several strategy classes ` +
        `(${[...classes.values()].join(', ')}); name the one to run in the entry's "export", or rename it ${wanted}`,
    );
  }
  throw new StrategyLoadError(
    spec,
    `no strategy class found: expected an export named ${wanted} extending BaseStrategy; ` +
      `the module exports ${names.length === 0 ? 'nothing' : names.join(', ')}`,
  );
}

/**
 * The strategy class a config entry names by its `export`: that export of the module, which must
 * be a `BaseStrategy` subclass.
 * @throws StrategyLoadError when the module has no such export or it is not a strategy class; the
 *   message lists the module's strategy classes
 */
export function findNamedStrategyClass(
  namespace: Record<string, unknown>,
  exportName: string,
  spec: string,
): FoundStrategyClass {
  const exported = moduleExports(namespace);
  const value = exported.get(exportName);
  if (isStrategyClass(value)) return { strategyClass: value, exportName };
  const classes = [...exported]
    .filter(([, v]) => isStrategyClass(v))
    .map(([name]) => name)
    .sort();
  const found = value === undefined ? 'no export' : 'an export that is not a strategy class';
  throw new StrategyLoadError(
    spec,
    `"export": "${exportName}" names ${found}; the module's strategy classes: ` +
      (classes.length === 0 ? 'none' : classes.join(', ')),
  );
}

/**
 * The strategy name a class gets when a config built in code names it without a `name`: its
 * class name in snake_case without the `Strategy` suffix (`SimpleMaCrossStrategy` gives
 * `simple_ma_cross`, as its module would).
 */
export function strategyNameOfClass(strategyClass: { readonly name: string }): string {
  const base = strategyClass.name.replace(/Strategy$/, '') || strategyClass.name || 'strategy';
  return base
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * The strategy class exported as `exportName` by a module imported from a class's `moduleUrl`:
 * the export of that name, else the one exported strategy class of that class name.
 * @throws StrategyLoadError when the module exports no such strategy class
 */
export function findExportedStrategyClass(
  namespace: Record<string, unknown>,
  exportName: string,
  spec: string,
): FoundStrategyClass {
  const exported = moduleExports(namespace);
  const byName = exported.get(exportName);
  if (isStrategyClass(byName)) return { strategyClass: byName, exportName };
  for (const [name, value] of exported) {
    if (isStrategyClass(value) && value.name === exportName)
      return { strategyClass: value, exportName: name };
  }
  throw new StrategyLoadError(
    spec,
    `the module of its moduleUrl exports no strategy class named ${exportName}: export the class from the ` +
      'module whose import.meta.url it gives as moduleUrl',
  );
}
