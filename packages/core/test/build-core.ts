import { fileURLToPath } from 'node:url';
import { buildIfStale } from '../../../scripts/build-if-stale';

/**
 * vitest globalSetup: `test/dual-build.test.ts` loads dist/index.js and dist/index.cjs, so build them
 * when missing or older than src/. Under turbo, `test` runs after this package's `build`
 * (packages/core/turbo.json), so this only builds when vitest is run by hand.
 */
export default function buildCore(): void {
  buildIfStale(
    fileURLToPath(new URL('..', import.meta.url)),
    ['src', 'package.json', 'tsup.config.ts'],
    ['dist/index.js', 'dist/index.cjs'],
  );
}
