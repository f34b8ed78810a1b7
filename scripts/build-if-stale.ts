import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

function newestTime(packageDir: string, inputs: readonly string[]): number {
  let newest = 0;
  const visit = (path: string) => {
    const stats = statSync(path);
    if (stats.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stats.mtimeMs);
  };
  for (const input of inputs) visit(join(packageDir, input));
  return newest;
}

function oldestTime(packageDir: string, outputs: readonly string[]): number {
  try {
    return Math.min(...outputs.map((output) => statSync(join(packageDir, output)).mtimeMs));
  } catch {
    return -1;
  }
}

/**
 * For a vitest globalSetup whose tests load a package's build: runs the package's tsup when any of
 * `outputs` is missing or older than any of `inputs` (files or folders, relative to `packageDir`).
 * Under turbo the build ran first, so this only builds when vitest is run by hand.
 */
export function buildIfStale(
  packageDir: string,
  inputs: readonly string[],
  outputs: readonly string[],
): void {
  if (oldestTime(packageDir, outputs) >= newestTime(packageDir, inputs)) return;
  const require = createRequire(join(packageDir, 'package.json'));
  const manifestPath = require.resolve('tsup/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  const bin = join(dirname(manifestPath), manifest.bin.tsup ?? 'dist/cli-default.js');
  execFileSync(process.execPath, [bin], { cwd: packageDir, stdio: 'inherit' });
}
