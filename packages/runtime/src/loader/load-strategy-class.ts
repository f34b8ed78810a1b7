import type { Logger, StrategyClass } from '@strat/core';
import {
  type FoundStrategyClass,
  findExportedStrategyClass,
  findNamedStrategyClass,
  findStrategyClass,
} from './find-strategy-class';
import { importStrategyModule } from './import-strategy-module';

/** Where a strategy's thread gets its class from. */
export interface StrategyClassSource {
  /** The module path as written in the config, or the label of a class entry (for messages). */
  module: string;
  /** The file URL to import (a class entry in a worker: the class's `moduleUrl`). */
  moduleUrl: string;
  /** A class entry: the class's name, looked up in the module at `moduleUrl`. */
  exportName?: string;
  /** A module entry's `export`: the name of the class to take from the module. */
  configExport?: string;
  /** A class entry run inline: the class itself (never sent to a worker). */
  strategyClass?: StrategyClass;
}

/**
 * The strategy class a thread runs: the class of a class entry itself (inline), the class of that
 * name in the module of its `moduleUrl` (a class entry in a worker), the export a module entry
 * names (`export`), or the class the loader finds in the config's module.
 * @throws StrategyLoadError when the module cannot be imported or has no such class
 */
export async function loadStrategyClass(
  source: StrategyClassSource,
  logger: Logger,
): Promise<FoundStrategyClass> {
  if (source.strategyClass !== undefined) {
    return { strategyClass: source.strategyClass, exportName: source.strategyClass.name };
  }
  const namespace = await importStrategyModule(source.moduleUrl, source.module);
  if (source.exportName !== undefined)
    return findExportedStrategyClass(namespace, source.exportName, source.module);
  if (source.configExport !== undefined)
    return findNamedStrategyClass(namespace, source.configExport, source.module);
  return findStrategyClass(namespace, source.module, { onWarning: (message) => logger.warn(message) });
}
