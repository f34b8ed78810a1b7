import { realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { classifyModulePath, StrategyLoadError, validateModulePath } from '@strat/core';
import { findInstalledPackage, resolvePackageEntry, splitPackageSpecifier } from './package-entry';

/** Where a strategy (or scanner) module was found. */
export type ResolvedStrategyModule =
  | {
      /** A file in the project: a dotted path under a root, or a relative path. */
      kind: 'file';
      /** Absolute path of the file. */
      path: string;
    }
  | {
      /** An installed package (or one of its exported subpaths). */
      kind: 'package';
      /** The specifier as written, e.g. `@strat/examples/rsi`. */
      specifier: string;
      /** The file Node's ESM loader would load for it. */
      path: string;
    };

/** Options of {@link resolveStrategyModule}. */
export interface ResolveStrategyModuleOptions {
  /** Project folders to search: dotted paths are looked up under each, packages in their `node_modules`. */
  roots: readonly string[];
  /** The folder relative paths (`./x.ts`) are resolved against: the config file's folder. */
  fromDir?: string;
  /** Accept absolute paths and `file:` URLs (default false); the file must still lie in a strategy root. */
  allowAbsolute?: boolean;
  /**
   * The folders a module file may lie in, symlinks resolved (default: `<root>/strategies` of each
   * root). A path that names any other file of the project (`apps.cli.dist.cli`,
   * `node_modules.vitest.dist.cli`, `../x.ts`) is refused: a config never decides what code runs.
   */
  strategyRoots?: readonly string[];
  /**
   * The packages a module may come from: names (`@strat/examples`, its subpaths too) or whole
   * scopes (`@acme/*`). Default {@link DEFAULT_ALLOWED_PACKAGES}.
   */
  allowedPackages?: readonly string[];
}

/** The packages strategies may come from unless told otherwise: the example strategies. */
export const DEFAULT_ALLOWED_PACKAGES: readonly string[] = ['@strat/examples'];

/** The strategy roots of {@link ResolveStrategyModuleOptions} after defaults: `<root>/strategies` of each root. */
export function strategyRootsOf(
  options: Pick<ResolveStrategyModuleOptions, 'roots' | 'strategyRoots'>,
): string[] {
  return [...(options.strategyRoots ?? options.roots.map((root) => join(resolve(root), 'strategies')))];
}

/** True when package `name` is on the allow-list (a name, or a scope `@scope/*`). */
export function isAllowedPackage(
  name: string,
  allowed: readonly string[] = DEFAULT_ALLOWED_PACKAGES,
): boolean {
  return allowed.some(
    (entry) => entry === name || (entry.endsWith('/*') && name.startsWith(entry.slice(0, -1))),
  );
}

const EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cts', '.cjs'] as const;
const KNOWN_EXTENSION = /\.[cm]?[jt]s$/;
const EXTENSION_LIST = `{${EXTENSIONS.join(',')}}`;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function findModuleFile(base: string): string | undefined {
  if (KNOWN_EXTENSION.test(base) && isFile(base)) return base;
  for (const extension of EXTENSIONS) {
    if (isFile(base + extension)) return base + extension;
  }
  return undefined;
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function describeCandidates(base: string): string {
  return KNOWN_EXTENSION.test(base) ? base : `${base}${EXTENSION_LIST}`;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function confine(
  spec: string,
  path: string,
  options: ResolveStrategyModuleOptions,
): ResolvedStrategyModule & { kind: 'file' } {
  const real = realpathSync(path);
  const roots = strategyRootsOf(options);
  if (!roots.some((root) => isInside(real, realOrSelf(root)))) {
    throw new StrategyLoadError(
      spec,
      `${path} lies outside the strategy roots (${roots.join(', ')}): strategies and scanners load only ` +
        'from there and from allowed packages (strat run --strategy-root DIR adds a root)',
    );
  }
  return { kind: 'file', path };
}

function resolvePackage(
  spec: string,
  options: ResolveStrategyModuleOptions,
): ResolvedStrategyModule | undefined {
  const { name, subpath } = splitPackageSpecifier(spec);
  const allowed = options.allowedPackages ?? DEFAULT_ALLOWED_PACKAGES;
  if (!isAllowedPackage(name, allowed)) {
    const installed = options.roots.some((root) => findInstalledPackage(name, root) !== undefined);
    if (!installed) return undefined;
    throw new StrategyLoadError(
      spec,
      `package "${name}" is not on the allowed list (${allowed.join(', ')}): ` +
        'strat run --allow-package NAME allows one',
    );
  }
  for (const root of options.roots) {
    const pkg = findInstalledPackage(name, root);
    if (pkg === undefined) continue;
    const path = resolvePackageEntry(pkg, subpath);
    if (path === undefined) {
      throw new StrategyLoadError(
        spec,
        `package "${name}" (in ${pkg.dir}) does not export "${subpath}" for import`,
      );
    }
    return { kind: 'package', specifier: spec, path };
  }
  return undefined;
}

/**
 * Finds the file a strategy module path names, without loading it:
 * - dotted, `strategies.examples.simple_ma_cross`: `<root>/strategies/examples/simple_ma_cross`
 *   with `.ts`, `.mts`, `.js`, `.mjs`, `.cts` or `.cjs`, under each root in turn (an installed
 *   package of that name is tried last, for names such as `lodash.merge`);
 * - relative, `./x.ts` or `../y/z` (extension optional): against `fromDir`;
 * - a package specifier, `@strat/examples/rsi`: from the `node_modules` folders of each root
 *   upwards, through the package's `exports` as Node's ESM loader reads them, when the package is
 *   on `allowedPackages`;
 * - absolute paths and `file:` URLs only with `allowAbsolute: true`.
 * A file must lie in one of the strategy roots (`<root>/strategies` by default), symlinks resolved.
 * @throws StrategyLoadError saying what was looked for and where, or why it is refused.
 */
export function resolveStrategyModule(
  spec: string,
  options: ResolveStrategyModuleOptions,
): ResolvedStrategyModule {
  if (isAbsolute(spec) || spec.startsWith('file:')) {
    if (options.allowAbsolute !== true) {
      throw new StrategyLoadError(
        spec,
        'absolute module paths are not allowed here; use a dotted path under the project ' +
          '(strategies.examples.simple_ma_cross), a package (@strat/examples/rsi) or a path ' +
          'relative to the config file (./my_strategy.ts)',
      );
    }
    const base = spec.startsWith('file:') ? fileURLToPath(spec) : spec;
    const path = findModuleFile(base);
    if (path === undefined) throw new StrategyLoadError(spec, `no file ${describeCandidates(base)}`);
    return confine(spec, path, options);
  }
  const problem = validateModulePath(spec);
  if (problem !== undefined) throw new StrategyLoadError(spec, problem);

  switch (classifyModulePath(spec)) {
    case 'relative': {
      if (options.fromDir === undefined) {
        throw new StrategyLoadError(
          spec,
          'a relative module path needs the folder of the config file that names it',
        );
      }
      const base = resolve(options.fromDir, spec);
      const path = findModuleFile(base);
      if (path === undefined) throw new StrategyLoadError(spec, `no file ${describeCandidates(base)}`);
      return confine(spec, path, options);
    }
    case 'dotted': {
      if (options.roots.length === 0) throw new StrategyLoadError(spec, 'no project roots to search');
      const relativeBase = join(...spec.split('.'));
      for (const root of options.roots) {
        const path = findModuleFile(join(resolve(root), relativeBase));
        if (path !== undefined) return confine(spec, path, options);
      }
      const asPackage = resolvePackage(spec, options);
      if (asPackage !== undefined) return asPackage;
      const looked = options.roots.map((root) => join(resolve(root), relativeBase) + EXTENSION_LIST);
      throw new StrategyLoadError(spec, `no such file; looked for ${looked.join(' and ')}`);
    }
    case 'package': {
      const found = resolvePackage(spec, options);
      if (found !== undefined) return found;
      const { name } = splitPackageSpecifier(spec);
      throw new StrategyLoadError(
        spec,
        `package "${name}" is not installed (looked in node_modules from ${options.roots.join(', ')} upwards)`,
      );
    }
  }
}

/** The URL to `import()` a resolved module from. */
export function strategyModuleUrl(resolved: ResolvedStrategyModule): string {
  return pathToFileURL(resolved.path).href;
}
