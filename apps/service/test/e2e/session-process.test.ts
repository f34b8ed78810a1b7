import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sessionProcesses } from '../support/service-process';
import { SseClient } from '../support/sse-client';
import {
  request,
  sessionConfig,
  startTestService,
  type TestService,
  waitForSession,
} from '../support/test-service';

let service: TestService;

beforeAll(async () => {
  service = await startTestService({ sessionLogLevel: 'silent' });
});

afterAll(async () => {
  await service.close();
});

async function create(config: unknown): Promise<string> {
  const created = await request(`${service.url}/sessions`, { body: { config } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

/** Waits until the set of session processes is `expected` (they start and exit asynchronously). */
async function expectSessionProcesses(
  expected: (pids: number[]) => boolean,
  what: string,
): Promise<number[]> {
  let pids: number[] = [];
  await vi.waitFor(
    () => {
      pids = sessionProcesses();
      if (!expected(pids)) throw new Error(`session processes ${JSON.stringify(pids)}: expected ${what}`);
    },
    { timeout: 20_000, interval: 50 },
  );
  return pids;
}

describe('each session in a process of its own', () => {
  it('runs strategies in worker threads even when the config asks for the inline executor', async () => {
    const config = sessionConfig({ speed: 0, executor: 'inline' });
    config.session_data_config.strategies[0].executor = 'inline';
    const id = await create(config);
    const done = await waitForSession(service.url, id, (s) => s.endedAt !== null);
    expect(done.state, done.error).toBe('completed');
    expect(done.metrics.per_strategy.map((m: { executor: string }) => m.executor)).toEqual(['worker']);
    expect(done.summary.metrics.per_strategy[0].executor).toBe('worker');
  });

  it('lets go of the process once the session ended: the memory goes back to the system', async () => {
    const id = await create(sessionConfig({ speed: 30 }));
    await waitForSession(service.url, id, (s) => s.state === 'running');
    const [pid] = await expectSessionProcesses((pids) => pids.length === 1, 'one');
    const stopped = await request(`${service.url}/sessions/${id}/stop`, { method: 'POST' });
    expect(stopped.body.state).toBe('stopped');
    await expectSessionProcesses((pids) => !pids.includes(pid as number), `${pid} gone`);
  });

  it('ends only its own session when its process dies (failed, the reason recorded, stored signals kept)', async () => {
    const doomed = await create(sessionConfig({ speed: 600, symbols: ['AAPL', 'MSFT', 'NVDA'] }));
    const events = await SseClient.open(`${service.url}/sessions/${doomed}/events`);
    await events.waitFor((c) => c.named('signal').length >= 3, 30_000, '3 signals');
    const [pid] = await expectSessionProcesses((pids) => pids.length === 1, 'one');
    const survivor = await create(sessionConfig({ speed: 30 }));
    await waitForSession(service.url, survivor, (s) => s.state === 'running');

    process.kill(pid as number, 'SIGKILL');
    await events.waitForEnd(20_000);
    const failed = await waitForSession(service.url, doomed, (s) => s.endedAt !== null);
    expect(failed.state).toBe('failed');
    expect(failed.error).toBe("the session's process was killed by SIGKILL");
    expect(events.named<{ state: string; error: string }>('end')[0]?.data).toMatchObject({
      state: 'failed',
      error: failed.error,
    });
    const received = events.named<{ seq: number }>('signal').map((s) => s.data.seq);
    const stored = await request(`${service.url}/sessions/${doomed}/signals?limit=1000`);
    expect(stored.body.signals.map((s: { seq: number }) => s.seq)).toEqual(
      Array.from({ length: failed.signals }, (_, i) => i + 1),
    );
    expect(failed.signals).toBeGreaterThanOrEqual(received.length);

    expect(await request(`${service.url}/healthz`)).toMatchObject({ status: 200 });
    expect((await request(`${service.url}/sessions/${survivor}`)).body.state).toBe('running');
    const added = await request(`${service.url}/sessions/${survivor}/symbols`, { body: { symbol: 'AMD' } });
    expect(added.body).toMatchObject({ added: true, symbols: ['AAPL', 'MSFT', 'AMD'] });
    const stopped = await request(`${service.url}/sessions/${survivor}/stop`, { method: 'POST' });
    expect(stopped.body).toMatchObject({ state: 'stopped', error: null });
  });
});
