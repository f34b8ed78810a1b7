import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildServer } from '../../src/index';
import { SseClient } from '../support/sse-client';
import {
  PROJECT_ROOT,
  request,
  sessionConfig,
  startTestService,
  type TestService,
} from '../support/test-service';

const TOKEN = 'test-token-0123456789abcdef';

describe('bound to a non-loopback address (0.0.0.0) with a token', () => {
  let service: TestService;
  const auth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    service = await startTestService({ listenHost: '0.0.0.0', apiToken: TOKEN });
  });

  afterAll(async () => {
    await service.close();
  });

  it('answers /healthz without a token', async () => {
    expect((await request(`${service.url}/healthz`)).status).toBe(200);
  });

  it('refuses every other route without the token, or with a wrong one (401, WWW-Authenticate)', async () => {
    for (const path of ['/sessions', '/metrics', '/openapi.json', '/docs', '/nope']) {
      const missing = await request(`${service.url}${path}`);
      expect(missing.status, path).toBe(401);
      expect(missing.body.code).toBe('UNAUTHORIZED');
      expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="strat"');
    }
    const wrong = await request(`${service.url}/sessions`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('The bearer token is wrong');
    const basic = await request(`${service.url}/sessions`, { headers: { authorization: `Basic ${TOKEN}` } });
    expect(basic.status).toBe(401);
    const create = await request(`${service.url}/sessions`, { body: { name: 'demo' } });
    expect(create.status).toBe(401);
    expect((await request(`${service.url}/sessions`)).status).toBe(401);
  });

  it('serves the routes with the token, including a session and its event stream', async () => {
    const created = await request(`${service.url}/sessions`, {
      body: { config: sessionConfig({ speed: 0 }) },
      headers: auth,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await vi.waitFor(
      async () =>
        expect((await request(`${service.url}/sessions/${id}`, { headers: auth })).body.state).toBe(
          'completed',
        ),
      { timeout: 30_000, interval: 100 },
    );
    const stream = await SseClient.open(`${service.url}/sessions/${id}/events`, auth);
    expect(stream.status).toBe(200);
    await stream.waitForEnd();
    expect(stream.named('signal').length).toBeGreaterThan(0);
    const denied = await SseClient.open(`${service.url}/sessions/${id}/events`);
    expect(denied.status).toBe(401);
    expect((await request(`${service.url}/metrics`, { headers: auth })).status).toBe(200);
    const spec = await request(`${service.url}/openapi.json`, { headers: auth });
    expect(spec.body.security).toEqual([{ bearer: [] }]);
  });
});

describe('start-up checks', () => {
  it('refuses to build a service for a non-loopback host without a token, before touching the data dir', async () => {
    const dataDir = join(tmpdir(), `strat-never-created-${process.pid}`);
    await expect(buildServer({ host: '0.0.0.0', dataDir, projectRoot: PROJECT_ROOT })).rejects.toMatchObject({
      code: 'TOKEN_REQUIRED',
    });
    await expect(
      buildServer({
        host: '192.168.1.5',
        dataDir,
        projectRoot: PROJECT_ROOT,
        apiToken: 'short',
      }),
    ).rejects.toMatchObject({ code: 'TOKEN_TOO_SHORT' });
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses a token of spaces, or with white space in it, which no client could send', async () => {
    const dataDir = join(tmpdir(), `strat-never-created-spaces-${process.pid}`);
    for (const apiToken of [' '.repeat(24), `${TOKEN}\n`, `test-token 0123456789`]) {
      await expect(
        buildServer({ host: '0.0.0.0', dataDir, projectRoot: PROJECT_ROOT, apiToken }),
      ).rejects.toMatchObject({
        code: 'OPTION_INVALID',
        message: expect.stringMatching(/must not contain spaces/),
      });
    }
    expect(existsSync(dataDir)).toBe(false);
  });

  it('refuses a second service on the same data dir', async () => {
    const first = await startTestService();
    await expect(buildServer({ dataDir: first.dataDir, projectRoot: PROJECT_ROOT })).rejects.toMatchObject({
      code: 'DATA_DIR_IN_USE',
    });
    await first.close();
  });
});

describe('bound to 127.0.0.1 without a token', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService({ bodyLimit: 4096 });
  });

  afterAll(async () => {
    await service.close();
  });

  it('answers 413 for a body over the limit', async () => {
    const config = sessionConfig({ speed: 0 });
    config.session_data_config.strategies[0].config.padding = 'x'.repeat(8000);
    const { status, body } = await request(`${service.url}/sessions`, { body: { config } });
    expect(status).toBe(413);
    expect(body.code).toBe('BODY_TOO_LARGE');
  });

  it('refuses requests addressed to another host name (DNS rebinding) and cross-site origins', async () => {
    const http = await import('node:http');
    const port = new URL(service.url).port;
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, path: '/sessions', headers: { host: `evil.example:${port}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
    const crossSite = await request(`${service.url}/sessions/x/stop`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.code).toBe('ORIGIN_FORBIDDEN');
    const sameSite = await request(`${service.url}/sessions`, { headers: { origin: service.url } });
    expect(sameSite.status).toBe(200);
  });
});
