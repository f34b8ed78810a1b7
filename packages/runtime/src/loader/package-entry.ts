import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** An installed package found on disk. */
export interface InstalledPackage {
  /** The package's folder (symlinks resolved, as Node's ESM loader sees it). */
  dir: string;
  /** Its parsed package.json. */
  manifest: { name?: string; main?: string; exports?: unknown };
}

// The conditions Node's ESM loader matches when it imports a package.
const IMPORT_CONDITIONS = new Set(['import', 'node', 'default']);

/** Splits `@scope/name/sub/path` into the package name and the subpath (`.` or `./sub/path`). */
export function splitPackageSpecifier(specifier: string): { name: string; subpath: string } {
  const segments = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const name = segments.slice(0, nameLength).join('/');
  const rest = segments.slice(nameLength);
  return { name, subpath: rest.length === 0 ? '.' : `./${rest.join('/')}` };
}

/** Looks for `node_modules/<name>` in `fromDir` and each folder above it, like Node does. */
export function findInstalledPackage(name: string, fromDir: string): InstalledPackage | undefined {
  let dir = resolve(fromDir);
  for (;;) {
    const manifestPath = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as InstalledPackage['manifest'];
      return { dir: realpathSync(dirname(manifestPath)), manifest };
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function resolveTarget(target: unknown, star: string | undefined): string | undefined {
  if (typeof target === 'string') {
    if (!target.startsWith('./')) return undefined;
    return star === undefined ? target : target.replaceAll('*', star);
  }
  if (Array.isArray(target)) {
    for (const candidate of target) {
      const found = resolveTarget(candidate, star);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (target !== null && typeof target === 'object') {
    for (const [condition, value] of Object.entries(target)) {
      if (!IMPORT_CONDITIONS.has(condition)) continue;
      const found = resolveTarget(value, star);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function matchExports(exportsField: unknown, subpath: string): string | undefined {
  const isSubpathMap =
    exportsField !== null &&
    typeof exportsField === 'object' &&
    !Array.isArray(exportsField) &&
    Object.keys(exportsField).some((key) => key.startsWith('.'));
  const map: Record<string, unknown> = isSubpathMap
    ? (exportsField as Record<string, unknown>)
    : { '.': exportsField };
  if (Object.hasOwn(map, subpath)) return resolveTarget(map[subpath], undefined);
  let best: { key: string; star: string } | undefined;
  for (const key of Object.keys(map)) {
    const starAt = key.indexOf('*');
    if (starAt < 0) continue;
    const prefix = key.slice(0, starAt);
    const suffix = key.slice(starAt + 1);
    if (!subpath.startsWith(prefix) || !subpath.endsWith(suffix) || subpath.length < key.length - 1) continue;
    if (best === undefined || prefix.length > best.key.indexOf('*')) {
      best = { key, star: subpath.slice(prefix.length, subpath.length - suffix.length) };
    }
  }
  return best === undefined ? undefined : resolveTarget(map[best.key], best.star);
}

/**
 * The file Node's ESM loader would load for `subpath` of an installed package: the `exports`
 * field with the `import`, `node` and `default` conditions (subpath patterns included), or, for a
 * package without `exports`, `main` / `index.js` and plain files.
 * @returns an absolute file path, or undefined when the package does not export that subpath.
 */
export function resolvePackageEntry(pkg: InstalledPackage, subpath: string): string | undefined {
  const { exports: exportsField, main } = pkg.manifest;
  if (exportsField !== undefined) {
    const target = matchExports(exportsField, subpath);
    if (target === undefined) return undefined;
    const file = join(pkg.dir, target);
    return isFile(file) ? file : undefined;
  }
  const base = subpath === '.' ? (main ?? 'index.js') : subpath;
  const candidates = [base, `${base}.js`, `${base}.mjs`, `${base}.cjs`, join(base, 'index.js')];
  for (const candidate of candidates) {
    const file = join(pkg.dir, candidate);
    if (isFile(file)) return file;
  }
  return undefined;
}
