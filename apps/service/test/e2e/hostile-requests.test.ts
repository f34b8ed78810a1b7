import { existsSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  exited,
  type RunningService,
  runService,
  sessionProcesses,
  stopServices,
} from '../support/service-process';
import { type Json, makeDataDir, request, sessionConfig, waitForSession } from '../support/test-service';

// The built service as a process of its own: what a request does to it shows as it would in production.
let service: RunningService;
let dataDir: string;

beforeAll(async () => {
  dataDir = makeDataDir();
  service = await runService(dataDir);
});

afterAll(async () => {
  await stopServices();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A config naming the CLI's entry (whose top level calls process.exit) as a strategy or a scanner. */
function cliConfig(as: 'strategy' | 'scanner'): Json {
  const config = sessionConfig({ speed: 0, executor: 'inline' });
  const cli = { module: 'apps.cli.dist.cli', executor: 'inline', config: {} };
  if (as === 'strategy') config.session_data_config.strategies = [cli];
  else config.session_data_config.scanners = [{ module: 'apps.cli.dist.cli', schedule: '1m' }];
  return config;
}

async function expectAlive(): Promise<void> {
  expect(service.child.exitCode).toBeNull();
  expect(service.child.signalCode).toBeNull();
  expect(await request(`${service.url}/healthz`)).toMatchObject({ status: 200, body: { status: 'ok' } });
}

describe('a request naming code that calls process.exit', () => {
  it.each(['strategy', 'scanner'] as const)(
    'as a %s with the inline executor leaves the service running (refused, or that session fails alone)',
    async (as) => {
      const created = await request(`${service.url}/sessions`, { body: { config: cliConfig(as) } });
      // Refused outright once modules load only from strategies/ and allowed packages; else it runs away from the service.
      if (created.status === 201) {
        const ended = await waitForSession(service.url, created.body.id, (s) => s.endedAt !== null);
        expect(ended.state).toBe('failed');
        expect(ended.error).toEqual(expect.any(String));
      } else {
        expect(created.status).toBeGreaterThanOrEqual(400);
        expect(created.status).toBeLessThan(500);
      }
      await expectAlive();
      // And it goes on serving sessions.
      const next = await request(`${service.url}/sessions`, {
        body: { config: sessionConfig({ speed: 0 }) },
      });
      expect(next.status).toBe(201);
      const done = await waitForSession(service.url, next.body.id, (s) => s.endedAt !== null);
      expect(done.state, done.error).toBe('completed');
      await expectAlive();
    },
  );
});

describe('a service killed with SIGKILL', () => {
  it('takes its sessions with it: their processes exit when the service is gone', async () => {
    const ownDir = makeDataDir();
    try {
      const doomed = await runService(ownDir);
      const created = await request(`${doomed.url}/sessions`, {
        body: { config: sessionConfig({ speed: 30 }) },
      });
      expect(created.status).toBe(201);
      await waitForSession(doomed.url, created.body.id, (s) => s.state === 'running');
      const pids = sessionProcesses(doomed.child.pid);
      expect(pids).toHaveLength(1);
      doomed.child.kill('SIGKILL');
      expect((await exited(doomed.child)).signal).toBe('SIGKILL');
      await vi.waitFor(() => expect(existsSync(`/proc/${pids[0]}`)).toBe(false), {
        timeout: 10_000,
        interval: 50,
      });
    } finally {
      rmSync(ownDir, { recursive: true, force: true });
    }
  });
});
