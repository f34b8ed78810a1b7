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
  /** Accept absolute paths and `file:` URLs (default false: a config must not name code outside the project). */
  allowAbsolute?: boolean;
  /** Refuse files (not packages) that lie outside every root, e.g. `../../elsewhere/x.ts` (default false). */
  confineToRoots?: boolean;
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

function confine(
  spec: string,
  path: string,
  options: ResolveStrategyModuleOptions,
): ResolvedStrategyModule & { kind: 'file' } {
  if (options.confineToRoots === true) {
    const real = realpathSync(path);
    if (!options.roots.some((root) => isInside(real, realpathSync(root)))) {
      throw new StrategyLoadError(
        spec,
        `${path} lies outside the project's strategy roots (${options.roots.join(', ')})`,
      );
    }
  }
  return { kind: 'file', path };
}

function resolvePackage(
  spec: string,
  options: ResolveStrategyModuleOptions,
): ResolvedStrategyModule | undefined {
  const { name, subpath } = splitPackageSpecifier(spec);
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
 *   upwards, through the package's `exports` as Node's ESM loader reads them;
 * - absolute paths and `file:` URLs only with `allowAbsolute: true`.
 * @throws StrategyLoadError saying what was looked for and where.
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
