import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * The Content-Security-Policy of every dashboard response: the page's own scripts, styles, images
 * and API only, no inline script or `eval`, no third-party origin, and no framing. Styles set
 * through the CSSOM (`element.style.width = ...`, as lightweight-charts does) are not restricted by
 * `style-src`; `<style>` elements and `style="..."` attributes in markup are.
 */
export const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers of every dashboard response (the service adds `X-Content-Type-Options: nosniff` to all). */
const DASHBOARD_HEADERS: Record<string, string> = {
  'content-security-policy': DASHBOARD_CSP,
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Where Vite puts content-hashed files (cached for a year); everything else is revalidated. */
const HASHED_ASSETS = '/assets/';

/** Whether a request's route is the dashboard's (static files and the page itself). */
export function isDashboardRoute(request: FastifyRequest): boolean {
  return (request.routeOptions.config as { dashboard?: boolean } | undefined)?.dashboard === true;
}

/** The folder the dashboard is built into: `dist/web` of this package (`vite build --outDir ../dist/web`). */
export function defaultDashboardDir(): string {
  // Built, this file is dist/index.js or dist/main.js; in tests it is src/http/dashboard-routes.ts.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'web');
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), 'web');
}

/** Whether the client asked for a page (a browser navigation), not for data. */
export function acceptsHtml(request: FastifyRequest): boolean {
  return /\btext\/html\b/i.test(request.headers.accept ?? '');
}

/** The dashboard file a URL path names, or undefined when there is none (or the path leaves the folder). */
function fileOf(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.split('/').some((part) => part === '..' || part.startsWith('.')))
    return undefined;
  const file = resolve(root, `.${decoded}`);
  if (!file.startsWith(root + sep)) return undefined;
  try {
    return statSync(file).isFile()
      ? file
          .slice(root.length + 1)
          .split(sep)
          .join('/')
      : undefined;
  } catch {
    return undefined;
  }
}

/** The page `/` answers when the dashboard was not built. */
function notBuiltPage(dir: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>@strat/service: dashboard not built</title></head>
<body><h1>The dashboard is not built</h1>
<p>This service serves its web dashboard from <code>${escapeHtml(dir)}</code>, which has no <code>index.html</code>.
Build it with <code>pnpm --filter @strat/service build</code> (or <code>pnpm build</code> at the top of the
repository), then reload this page.</p>
<p>The API works without it: see <a href="/docs">/docs</a>.</p></body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Serves the dashboard (the single-page app of `web/`, built to `dir`) at `/`: its files, and
 * `index.html` for any other GET that asks for a page and names no API route (the app's own
 * routes), every answer with {@link DASHBOARD_CSP}. A GET for data (no `text/html` in `Accept`) at
 * an unknown path is still the JSON 404. Without a build, `/` answers a page saying how to build it.
 * The routes are marked `config.dashboard` for the access control: they load without a token.
 */
export async function registerDashboardRoutes(app: FastifyInstance, dir: string): Promise<void> {
  const root = resolve(dir);
  const built = existsSync(join(root, 'index.html'));
  const withHeaders = (reply: FastifyReply) => reply.headers(DASHBOARD_HEADERS);
  const routeOptions = { config: { dashboard: true }, schema: { hide: true } } as const;
  if (!built) {
    const page = notBuiltPage(root);
    app.get('/', routeOptions, async (_request, reply) =>
      withHeaders(reply).code(404).type('text/html; charset=utf-8').send(page),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    serve: false,
    // Ours below: hashed assets for a year, the rest revalidated.
    cacheControl: false,
    dotfiles: 'deny',
  });
  const sendPage = (reply: FastifyReply) =>
    withHeaders(reply).header('cache-control', 'no-cache').sendFile('index.html');
  app.get('/', routeOptions, async (_request, reply) => sendPage(reply));
  app.get('/*', routeOptions, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const file = fileOf(root, path);
    if (file !== undefined) {
      withHeaders(reply).header(
        'cache-control',
        path.startsWith(HASHED_ASSETS) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      return reply.sendFile(file);
    }
    if (acceptsHtml(request) && !path.startsWith(HASHED_ASSETS)) return sendPage(reply);
    return reply.callNotFound();
  });
}

/** Whether a GET of the dashboard route may load without a token: a file of the build, or the page itself. */
export function isPublicDashboardRequest(request: FastifyRequest, dir: string): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0] ?? '/';
  if (path === '/' || acceptsHtml(request)) return true;
  return fileOf(resolve(dir), path) !== undefined;
}
