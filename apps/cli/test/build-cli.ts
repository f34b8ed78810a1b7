import { fileURLToPath } from 'node:url';
import { buildIfStale } from '../../../scripts/build-if-stale';

// The template of `strat new strategy` is inlined into the build too.
const TEMPLATE = '../../strategies/production/template_strategy';

/** vitest globalSetup: the end-to-end suites spawn dist/cli.js, so build it when it is missing or stale. */
export default function buildCli(): void {
  buildIfStale(
    fileURLToPath(new URL('..', import.meta.url)),
    ['src', 'package.json', 'tsup.config.ts', `${TEMPLATE}.ts`, `${TEMPLATE}.test.ts`],
    ['dist/cli.js'],
  );
}
