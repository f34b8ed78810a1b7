/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

/**
 * Headless Chromium for the dashboard tests, as the CLI's report test drives it: Debian's `chromium`
 * (STRAT_CHROMIUM or /usr/bin/chromium; `.ci/run` installs it) through playwright-core.
 */
export const CHROMIUM = process.env.STRAT_CHROMIUM || '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1';

/** apps/service */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Screenshots of each page (gitignored). */
export const OUTPUT_DIR = join(PACKAGE_DIR, 'test-output');

export function launch(): Promise<Browser> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM });
}

/** A page that records console errors and warnings, page errors, and every request's origin. */
export interface WatchedPage {
  page: Page;
  problems: string[];
  origins: Set<string>;
}

export async function watchedPage(
  browser: Browser,
  viewport = { width: 1280, height: 800 },
): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport, deviceScaleFactor: 1 });
  const problems: string[] = [];
  const origins = new Set<string>();
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      problems.push(`console ${message.type()}: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('request', (request) => origins.add(new URL(request.url()).origin));
  return { page, problems, origins };
}

/** Whether a canvas of `selector` shows more than one colour (something was drawn). */
export function canvasDrawn(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    for (const canvas of document.querySelectorAll<HTMLCanvasElement>(`${sel} canvas`)) {
      if (canvas.width === 0 || canvas.height === 0) continue;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] === 0) continue;
        colours.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
        if (colours.size > 4) return true;
      }
    }
    return false;
  }, selector);
}

/**
 * Builds the dashboard (web/) into `outDir` as `pnpm build` does: `vite build` in a process of its own,
 * NODE_ENV production (under vitest it is "test", which would pick the libraries' development builds).
 */
export function buildDashboard(outDir: string): void {
  const require = createRequire(join(PACKAGE_DIR, 'package.json'));
  const manifest = require.resolve('vite/package.json');
  const vite = join(dirname(manifest), (require(manifest) as { bin: { vite: string } }).bin.vite);
  execFileSync(
    process.execPath,
    [vite, 'build', 'web', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: PACKAGE_DIR,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: 'pipe',
    },
  );
}
