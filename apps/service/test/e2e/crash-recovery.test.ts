import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { exited, MAIN, PACKAGE_DIR, runService, stopServices } from '../support/service-process';
import { SseClient } from '../support/sse-client';
import { makeDataDir, request, sessionConfig } from '../support/test-service';

afterAll(async () => {
  await stopServices();
});

describe('the built service as a process', () => {
  it('keeps every signal it streamed when killed with SIGKILL mid-session, and marks the session interrupted', async () => {
    const dataDir = makeDataDir();
    try {
      const first = await runService(dataDir);
      const config = sessionConfig({ speed: 600, symbols: ['AAPL', 'MSFT', 'NVDA'], executor: 'worker' });
      const created = await request(`${first.url}/sessions`, { body: { config } });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const stream = await SseClient.open(`${first.url}/sessions/${id}/events`);
      await stream.waitFor((c) => c.named('signal').length >= 15, 30_000, '15 signals');

      first.child.kill('SIGKILL');
      expect((await exited(first.child)).signal).toBe('SIGKILL');
      await stream.waitForEnd(10_000);
      const received = stream
        .named<{ seq: number; signal: Record<string, unknown> }>('signal')
        .map((s) => s.data);
      expect(received.length).toBeGreaterThanOrEqual(15);
      expect(stream.named('end')).toHaveLength(0);

      const second = await runService(dataDir);
      const view = await request(`${second.url}/sessions/${id}`);
      expect(view.body).toMatchObject({ id, state: 'interrupted', endedAt: expect.any(String) });
      expect(view.body.error).toMatch(/stopped while this session was running/);
      expect(view.body.signals).toBeGreaterThanOrEqual(received.length);
      const stored = await request(`${second.url}/sessions/${id}/signals?limit=1000`);
      const bySeq = new Map(stored.body.signals.map((s: { seq: number }) => [s.seq, s]));
      for (const signal of received) expect(bySeq.get(signal.seq)).toEqual(signal);

      const replay = await SseClient.open(`${second.url}/sessions/${id}/events`);
      await replay.waitForEnd();
      expect(replay.named('signal').map((s) => s.data)).toEqual(stored.body.signals);
      expect(replay.named<{ state: string }>('end')[0]?.data.state).toBe('interrupted');

      second.child.kill('SIGTERM');
      expect((await exited(second.child)).code).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('stops running sessions cleanly on SIGTERM (state stopped, not interrupted)', async () => {
    const dataDir = makeDataDir();
    try {
      const first = await runService(dataDir);
      const created = await request(`${first.url}/sessions`, {
        body: { config: sessionConfig({ speed: 30 }) },
      });
      const id = created.body.id as string;
      await vi.waitFor(
        async () => expect((await request(`${first.url}/sessions/${id}`)).body.state).toBe('running'),
        { timeout: 30_000, interval: 100 },
      );
      first.child.kill('SIGTERM');
      expect((await exited(first.child)).code).toBe(0);
      const second = await runService(dataDir);
      expect((await request(`${second.url}/sessions/${id}`)).body.state).toBe('stopped');
      second.child.kill('SIGTERM');
      await exited(second.child);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start on a non-loopback address without STRAT_API_TOKEN, with a message and no stack trace', async () => {
    const dataDir = makeDataDir();
    try {
      const child = spawn(process.execPath, [MAIN, '--host', '0.0.0.0'], {
        cwd: PACKAGE_DIR,
        env: { ...process.env, PORT: '0', STRAT_DATA_DIR: dataDir, STRAT_API_TOKEN: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += String(chunk);
      });
      const { code } = await exited(child);
      expect(code).toBe(1);
      expect(stderr).toMatch(/Refusing to listen on 0\.0\.0\.0 without an API token: set STRAT_API_TOKEN/);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
