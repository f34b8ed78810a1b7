import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

function newestInputTime(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stats = statSync(path);
    if (stats.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry));
    else newest = Math.max(newest, stats.mtimeMs);
  };
  // The template of `strat new strategy` is inlined into the build too.
  const template = join('..', '..', 'strategies', 'production', 'template_strategy');
  for (const input of ['src', 'package.json', 'tsup.config.ts', `${template}.ts`, `${template}.test.ts`]) {
    visit(join(packageDir, input));
  }
  return newest;
}

function builtTime(): number {
  try {
    return statSync(join(packageDir, 'dist', 'cli.js')).mtimeMs;
  } catch {
    return -1;
  }
}

/** vitest globalSetup: the end-to-end suites spawn dist/cli.js, so build it when it is missing or stale. */
export default function buildCli(): void {
  if (builtTime() >= newestInputTime()) return;
  const require = createRequire(join(packageDir, 'package.json'));
  const manifestPath = require.resolve('tsup/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin: Record<string, string> };
  const bin = join(dirname(manifestPath), manifest.bin.tsup ?? 'dist/cli-default.js');
  execFileSync(process.execPath, [bin], { cwd: packageDir, stdio: 'inherit' });
}
