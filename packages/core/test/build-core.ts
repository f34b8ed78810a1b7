import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

// The files test/dual-build.test.ts loads; both must be newer than every input.
const BUILT_ENTRIES = ['dist/index.js', 'dist/index.cjs'];

function newestInputTime(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stats = statSync(path);
    if (stats.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stats.mtimeMs);
  };
  for (const input of ['src', 'package.json', 'tsup.config.ts']) visit(join(packageDir, input));
  return newest;
}

function builtTime(): number {
  try {
    return Math.min(...BUILT_ENTRIES.map((entry) => statSync(join(packageDir, entry)).mtimeMs));
  } catch {
    return -1;
  }
}

/**
 * vitest globalSetup: `test/dual-build.test.ts` loads dist/index.js and dist/index.cjs, so build them
 * when missing or older than src/. Under turbo, `test` runs after this package's `build`
 * (packages/core/turbo.json), so this only builds when vitest is run by hand.
 */
export default function buildCore(): void {
  if (builtTime() >= newestInputTime()) return;
  const require = createRequire(join(packageDir, 'package.json'));
  const manifestPath = require.resolve('tsup/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  const bin = join(dirname(manifestPath), manifest.bin.tsup ?? 'dist/cli-default.js');
  execFileSync(process.execPath, [bin], { cwd: packageDir, stdio: 'inherit' });
}
