import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_CSP } from '../../src/http/dashboard-routes';
import { SseClient } from '../support/sse-client';
import { request, sessionConfig, startTestService, type TestService } from '../support/test-service';

const TOKEN = 'web-token-0123456789abcdef';
const PAGE =
  '<!doctype html><html><head><script type="module" src="/assets/app-1a2b.js"></script></head></html>';
const SCRIPT = 'document.title = "dashboard";';

/** A built dashboard as Vite leaves it: index.html, hashed assets, a favicon (and a dotfile that must stay hidden). */
function makeDashboard(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strat-web-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), PAGE);
  writeFileSync(join(dir, 'assets', 'app-1a2b.js'), SCRIPT);
  writeFileSync(join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, '.env'), 'SECRET=1');
  return dir;
}

/** A GET with a raw path (fetch would normalise `..` away). */
function rawGet(url: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

function expectDashboardHeaders(headers: Headers): void {
  expect(headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('x-frame-options')).toBe('DENY');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
}

describe('the dashboard at / (built)', () => {
  let service: TestService;
  let dir: string;

  beforeAll(async () => {
    dir = makeDashboard();
    service = await startTestService({ dashboardDir: dir });
  });

  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / with a strict CSP, revalidated on every load', async () => {
    const page = await request(`${service.url}/`, { headers: html });
    expect(page.status).toBe(200);
    expect(page.body).toBe(PAGE);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expectDashboardHeaders(page.headers);
    const csp = DASHBOARD_CSP;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/unsafe-|https?:|\*/);
  });

  it('serves the hashed assets with their type, cached for a year, and other files revalidated', async () => {
    const script = await request(`${service.url}/assets/app-1a2b.js`);
    expect(script.status).toBe(200);
    expect(script.body).toBe(SCRIPT);
    expect(script.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expectDashboardHeaders(script.headers);
    const icon = await request(`${service.url}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(icon.headers.get('cache-control')).toBe('no-cache');
  });

  it("answers a page navigation to the app's own paths with index.html, and data requests with the JSON 404", async () => {
    for (const path of ['/sessions-view/abc', '/sweep/42/heatmap', '/index.html']) {
      const page = await request(`${service.url}${path}`, { headers: html });
      expect(page.status, path).toBe(200);
      expect(page.body, path).toBe(PAGE);
      expectDashboardHeaders(page.headers);
    }
    const data = await request(`${service.url}/nope`, { headers: { accept: 'application/json' } });
    expect(data.status).toBe(404);
    expect(data.body).toEqual({ error: 'There is no route GET /nope', code: 'NOT_FOUND' });
    // A missing asset is a 404 even for a browser: a stale page must not get HTML for its script.
    expect((await request(`${service.url}/assets/gone-9z.js`, { headers: html })).status).toBe(404);
    // Other methods are not the dashboard's.
    const post = await request(`${service.url}/`, { body: {} });
    expect(post.status).toBe(404);
    expect(post.body.code).toBe('NOT_FOUND');
  });

  it('leaves the API routes as they were, for browsers too', async () => {
    const list = await request(`${service.url}/sessions`, { headers: html });
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ sessions: [] });
    expect(list.headers.get('content-security-policy')).toBeNull();
    const unknown = await request(`${service.url}/sessions/nope`, { headers: html });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('SESSION_NOT_FOUND');
    expect((await request(`${service.url}/healthz`)).body).toEqual({ status: 'ok' });
    expect((await request(`${service.url}/openapi.json`)).status).toBe(200);
  });

  it('never serves a file outside the build, nor a dotfile', async () => {
    expect(await rawGet(service.url, '/../package.json')).toBe(404);
    expect(await rawGet(service.url, '/assets/%2e%2e/%2e%2e/package.json')).toBe(404);
    expect(await rawGet(service.url, '/assets/..%2f..%2fpackage.json')).toBe(404);
    expect(await rawGet(service.url, '/.env')).toBe(404);
    expect(await rawGet(service.url, '/%2eenv')).toBe(404);
  });
});

describe('the dashboard at / (not built)', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ dashboardDir: join(tmpdir(), `strat-no-web-${process.pid}`) });
  });

  afterAll(async () => {
    await service.close();
  });

  it('answers / with a page saying how to build it, and the API as before', async () => {
    const page = await request(`${service.url}/`, { headers: html });
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.body).toContain('The dashboard is not built');
    expect(page.body).toContain('pnpm --filter @strat/service build');
    expectDashboardHeaders(page.headers);
    const other = await request(`${service.url}/some/page`, { headers: html });
    expect(other.status).toBe(404);
    expect(other.body.code).toBe('NOT_FOUND');
    expect((await request(`${service.url}/sessions`)).body).toEqual({ sessions: [] });
  });
});

describe('the dashboard with a token (bound to 0.0.0.0)', () => {
  let service: TestService;
  let dir: string;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = makeDashboard();
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    service = await startTestService({
      dashboardDir: dir,
      listenHost: '0.0.0.0',
      apiToken: TOKEN,
      logger: { level: 'info', stream },
    });
  });

  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the page and its assets without the token; the API still needs it', async () => {
    expect((await request(`${service.url}/`, { headers: html })).status).toBe(200);
    expect((await request(`${service.url}/`)).status).toBe(200);
    expect((await request(`${service.url}/assets/app-1a2b.js`)).status).toBe(200);
    expect((await request(`${service.url}/sessions-view/abc`, { headers: html })).status).toBe(200);
    expect((await request(`${service.url}/sessions`)).status).toBe(401);
    expect((await request(`${service.url}/sessions`, { headers: html })).status).toBe(401);
    expect((await request(`${service.url}/nope`)).status).toBe(401);
    expect((await request(`${service.url}/assets/gone-9z.js`)).status).toBe(401);
    expect(await rawGet(service.url, '/.env')).toBe(401);
    expect(
      (await request(`${service.url}/sessions`, { headers: { authorization: `Bearer ${TOKEN}` } })).status,
    ).toBe(200);
  });

  it('takes the token as ?access_token= on the event streams only, and keeps it out of the logs', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const created = await request(`${service.url}/sessions`, {
      body: { config: sessionConfig({ speed: 0 }) },
      headers: auth,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const stream = await SseClient.open(`${service.url}/sessions/${id}/events?access_token=${TOKEN}`);
    expect(stream.status).toBe(200);
    await stream.waitForEnd();
    expect(stream.named('end')).toHaveLength(1);
    const wrong = await SseClient.open(
      `${service.url}/sessions/${id}/events?access_token=not-the-token-at-all`,
    );
    expect(wrong.status).toBe(401);
    const sweepStream = await request(`${service.url}/sweeps/nope/events?access_token=${TOKEN}`);
    expect(sweepStream.status).toBe(404);
    expect((await request(`${service.url}/sweeps/nope/events?access_token=wrong-token-0123456`)).status).toBe(
      401,
    );
    // Anywhere else the query parameter is no token.
    for (const path of [`/sessions?access_token=${TOKEN}`, `/sessions/${id}?access_token=${TOKEN}`]) {
      const refused = await request(`${service.url}${path}`);
      expect(refused.status, path).toBe(401);
      expect(refused.body.error).toMatch(/needs a bearer token/);
    }
    const log = lines.join('');
    expect(log).toContain('access_token=[redacted]');
    expect(log).not.toContain(TOKEN);
  });
});
