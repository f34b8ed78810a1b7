import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A workspace package that is published (its package.json is not `private`). */
export interface PublishedPackage {
  /** `@strat/core`. */
  name: string;
  /** Its folder, absolute. */
  dir: string;
  /** Its folder from the repository root: `packages/core`. */
  relativeDir: string;
}

/** Every published package of the workspace (`packages/*`, `apps/*`), in folder order. */
export function publishedPackages(): PublishedPackage[] {
  const found: PublishedPackage[] = [];
  for (const group of ['packages', 'apps']) {
    for (const entry of readdirSync(join(repoRoot, group)).sort()) {
      const manifestPath = join(repoRoot, group, entry, 'package.json');
      if (!existsSync(manifestPath)) continue;
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { name: string; private?: boolean };
      if (manifest.private === true) continue;
      found.push({
        name: manifest.name,
        dir: join(repoRoot, group, entry),
        relativeDir: `${group}/${entry}`,
      });
    }
  }
  return found;
}

/**
 * Packs each package with `pnpm pack` (what `changeset publish` uploads: `workspace:*` becomes the
 * version) into `destination`.
 * @returns the tarballs' paths, in the order of `packages`
 */
export function packPackages(packages: readonly PublishedPackage[], destination: string): string[] {
  mkdirSync(destination, { recursive: true });
  return packages.map((pkg) => {
    const output = execFileSync('pnpm', ['pack', '--pack-destination', destination], {
      cwd: pkg.dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tarball = output
      .trim()
      .split('\n')
      .map((line) => line.trim())
      .findLast((line) => line.endsWith('.tgz'));
    if (tarball === undefined)
      throw new Error(`pnpm pack printed no tarball in ${pkg.relativeDir}:\n${output}`);
    return resolve(destination, tarball);
  });
}

/**
 * Makes an npm project in `dir` (an ES module package) and installs `specs` (tarball paths or
 * registry names) with npm, as a third party would: no workspace, no pnpm.
 */
export function installNpmProject(dir: string, specs: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'strat-consumer', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A TypeScript compiler this package pins (package.json devDependencies). */
export interface Compiler {
  /** `5.9` or `7`, for test names. */
  label: string;
  /** Its `bin/tsc`, run with node. */
  tscPath: string;
  /** `tsc --version`'s number. */
  version: string;
}

const requireHere = createRequire(import.meta.url);

function compiler(label: string, packageName: string): Compiler {
  const dir = dirname(requireHere.resolve(`${packageName}/package.json`));
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  return { label, tscPath: join(dir, 'bin', 'tsc'), version };
}

/**
 * TypeScript 5.9 (what the workspace builds with) and the current major, 7 (the native compiler,
 * installed under the npm alias `typescript7`).
 */
export function compilers(): Compiler[] {
  return [compiler('5.9', 'typescript'), compiler('7', 'typescript7')];
}

/** What `tsc -p` printed and its exit code. */
export interface TscResult {
  status: number | null;
  output: string;
}

/** Runs `tsc -p <tsconfig>` in `cwd`, without colours or a pretty format (one problem per line). */
export function runTsc(tsc: Compiler, cwd: string, tsconfig: string): TscResult {
  const result = spawnSync(process.execPath, [tsc.tscPath, '-p', tsconfig, '--pretty', 'false'], {
    cwd,
    encoding: 'utf8',
  });
  if (result.error !== undefined) throw result.error;
  return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
}
