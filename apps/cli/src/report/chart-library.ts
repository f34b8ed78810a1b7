import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The standalone build of lightweight-charts: one script that defines `window.LightweightCharts`. */
const STANDALONE = 'dist/lightweight-charts.standalone.production.js';

let cached: string | undefined;

/**
 * The source of lightweight-charts' standalone production build, read from the installed package (found
 * from this module's location, so from `src/` and from the built `dist/` alike), to inline in the report.
 * Throws when the package is missing or its script could end an HTML `<script>` element early.
 */
export function chartLibrarySource(): string {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  // The package exports only its ES module and package.json: find its folder from the latter.
  const file = join(dirname(require.resolve('lightweight-charts/package.json')), STANDALONE);
  const source = readFileSync(file, 'utf8');
  if (/<\/script|<!--/i.test(source)) {
    throw new Error(`${file} contains "</script" or "<!--": it cannot be inlined in a <script> element`);
  }
  cached = source;
  return source;
}
