import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, runService, stopServices } from '../support/service-process';
import { SseClient } from '../support/sse-client';
import { type Json, makeDataDir, request, sessionConfig } from '../support/test-service';

afterAll(async () => {
  await stopServices();
});

function longSweep(): Json {
  const config = sessionConfig({ speed: 0, endDate: '2024-01-03' });
  config.execution = { initial_cash: 10_000 };
  return {
    config,
    params: ['simple_ma_cross.fast_period=2:7', 'simple_ma_cross.slow_period=8:12'],
    workers: 1,
  };
}

async function startSweep(url: string): Promise<{ id: string; stream: SseClient }> {
  const created = await request(`${url}/sweeps`, { body: longSweep() });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const stream = await SseClient.open(`${url}/sweeps/${id}/events`);
  await stream.waitFor((c) => c.named('row').length >= 1, 120_000, 'a first row');
  return { id, stream };
}

describe('sweeps of the built service as a process', () => {
  it('keeps the rows of a sweep whose service was killed (interrupted) or stopped with SIGTERM (stopped)', async () => {
    const dataDir = makeDataDir();
    try {
      const first = await runService(dataDir);
      const killed = await startSweep(first.url);
      first.child.kill('SIGKILL');
      expect((await exited(first.child)).signal).toBe('SIGKILL');
      await killed.stream.waitForEnd(10_000);
      const received = killed.stream.named<Json>('row').map((r) => r.data.row);
      expect(received.length).toBeGreaterThanOrEqual(1);

      const second = await runService(dataDir);
      const view = (await request(`${second.url}/sweeps/${killed.id}`)).body;
      expect(view).toMatchObject({ state: 'interrupted', endedAt: expect.any(String) });
      expect(view.error).toMatch(/stopped while this sweep was running/);
      expect(view.progress.done).toBeGreaterThanOrEqual(received.length);
      for (const row of received) {
        const stored = view.rows.find((r: Json) => r.index === row.index);
        expect(stored.stats).toEqual(row.stats);
      }

      const stopped = await startSweep(second.url);
      second.child.kill('SIGTERM');
      expect((await exited(second.child)).code).toBe(0);
      // The service ends its event streams as it closes; what it stored tells how the sweep ended.
      await stopped.stream.waitForEnd(10_000);

      const third = await runService(dataDir);
      const after = (await request(`${third.url}/sweeps/${stopped.id}`)).body;
      expect(after.state).toBe('stopped');
      expect(after.progress.done).toBeGreaterThanOrEqual(stopped.stream.named('row').length);
      expect(after.progress.done).toBeLessThan(30);
      third.child.kill('SIGTERM');
      expect((await exited(third.child)).code).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
