import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Builds dist/ once before the suites: the crash test runs the built service as a child process. */
export default function setup(): void {
  const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
  const require = createRequire(join(packageDir, 'package.json'));
  const tsupPackage = require.resolve('tsup/package.json');
  const bin = (require(tsupPackage) as { bin: Record<string, string> }).bin.tsup as string;
  execFileSync(process.execPath, [join(dirname(tsupPackage), bin)], { cwd: packageDir, stdio: 'pipe' });
}
