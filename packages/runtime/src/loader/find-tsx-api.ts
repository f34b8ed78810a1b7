import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findInstalledPackage, resolvePackageEntry } from './package-entry';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The file URL of tsx's ESM API (`tsx/esm/api`) as installed for this package, or undefined when tsx
 * is not installed. Imports nothing of @strat/core (see `prewarm-pool.ts`); `resolveTsxApi` is the
 * form that throws.
 * @param fromDir where the search starts (default: this package's own folder)
 */
export function findTsxApi(fromDir: string = here): string | undefined {
  const tsx = findInstalledPackage('tsx', fromDir);
  const entry = tsx === undefined ? undefined : resolvePackageEntry(tsx, './esm/api');
  return entry === undefined ? undefined : pathToFileURL(entry).href;
}
