import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The dashboard: built by the service's `build` script to dist/web, which the service serves at `/`
 * under a strict Content-Security-Policy (scripts and styles from its own origin only): no inline
 * script or style, no data: URL, no other origin. The chart drawing is the CLI report's
 * (apps/cli/src/report/report-charts.js), imported from there.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: 'public',
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    // The preload polyfill would be an inline script; every browser the dashboard supports has modulepreload.
    modulePreload: { polyfill: false },
    // Never a data: URL (the CSP has no data:).
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    chunkSizeWarningLimit: 400,
    target: 'es2022',
  },
  server: {
    fs: { allow: ['..', '../../cli/src/report'] },
    // `pnpm dev:web`: the API of a service running on its default port (STRAT_SERVICE_URL for another).
    proxy: Object.fromEntries(
      ['/sessions', '/sweeps', '/configs', '/schema', '/docs', '/openapi.json'].map((path) => [
        path,
        { target: process.env.STRAT_SERVICE_URL ?? 'http://127.0.0.1:8787', changeOrigin: true },
      ]),
    ),
  },
});
