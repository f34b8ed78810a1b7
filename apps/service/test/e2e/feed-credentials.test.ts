import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RecordingFeed } from '../support/recording-feed';
import { request, startTestService, type TestService, waitForSession } from '../support/test-service';

const ENV_KEY = 'service-env-key';
const ENV_SECRET = 'service-env-secret-7f3a9c';

let own: RecordingFeed;
let other: RecordingFeed;
let service: TestService;

function liveConfig(live: Record<string, unknown>) {
  return {
    config: {
      mode: 'live',
      live_config: { clock: 'feed', connect_timeout_s: 5, ...live },
      session_data_config: {
        symbols: ['AAPL'],
        strategies: [
          { module: 'strategies.examples.simple_ma_cross', config: { symbols: ['AAPL'], interval: '1m' } },
        ],
      },
    },
  };
}

beforeAll(async () => {
  own = await RecordingFeed.start();
  other = await RecordingFeed.start();
  // The service's environment, as an operator sets it: its own feed and the credentials for it.
  vi.stubEnv('STRAT_FEED_URL', own.url);
  vi.stubEnv('STRAT_FEED_KEY', ENV_KEY);
  vi.stubEnv('STRAT_FEED_SECRET', ENV_SECRET);
  service = await startTestService({ sessionLogLevel: 'silent' });
});

afterAll(async () => {
  await service?.close();
  await own?.close();
  await other?.close();
  vi.unstubAllEnvs();
});

describe("the service's feed credentials", () => {
  it('are never sent to a feed a request names: without its own key and secret the request is refused (400)', async () => {
    const refused = await request(`${service.url}/sessions`, { body: liveConfig({ feed_url: other.url }) });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('CONFIG_INVALID');
    expect(refused.body.issues.map((i: { path: string }) => i.path)).toEqual([
      'live_config.key',
      'live_config.secret',
    ]);
    expect(JSON.stringify(refused.body)).not.toContain(ENV_SECRET);

    const ownCredentials = await request(`${service.url}/sessions`, {
      body: liveConfig({ feed_url: other.url, key: 'request-key', secret: 'request-secret' }),
    });
    expect(ownCredentials.status, JSON.stringify(ownCredentials.body)).toBe(201);
    expect(await other.waitForAuth()).toMatchObject({ key: 'request-key', secret: 'request-secret' });
    const failed = await waitForSession(service.url, ownCredentials.body.id, (s) => s.endedAt !== null);
    expect(failed.state).toBe('failed');
    expect(failed.error).toMatch(/auth/i);
    for (const message of other.messages) {
      expect(message).not.toContain(ENV_SECRET);
      expect(message).not.toContain(ENV_KEY);
    }
  });

  it("go to the service's own feed: a config without feed_url, or naming that origin", async () => {
    const created = await request(`${service.url}/sessions`, { body: liveConfig({}) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(await own.waitForAuth()).toEqual({ action: 'auth', key: ENV_KEY, secret: ENV_SECRET });
    const ended = await waitForSession(service.url, created.body.id, (s) => s.endedAt !== null);
    expect(ended.state).toBe('failed');
    expect(JSON.stringify(ended)).not.toContain(ENV_SECRET);

    const sameOrigin = await request(`${service.url}/sessions`, {
      body: liveConfig({ feed_url: `${own.url}/v2/iex` }),
    });
    expect(sameOrigin.status, JSON.stringify(sameOrigin.body)).toBe(201);
    await waitForSession(service.url, sameOrigin.body.id, (s) => s.endedAt !== null);
    expect(own.auths).toHaveLength(2);
    expect(own.auths[1]).toMatchObject({ key: ENV_KEY, secret: ENV_SECRET });
    expect(other.messages.join('\n')).not.toContain(ENV_SECRET);
  });
});
