import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  benchScratchDir,
  haveRedisServer,
  runTimedStrat,
  startRedis,
  stratCliPath,
} from './strat-process.mjs';
import { s2Config } from './workloads/s2-sweep-queue.mjs';
import { sweepRowsOf } from './workloads/sweep-output.mjs';

const scratch = benchScratchDir('strat-process-test');
afterAll(() => scratch.remove());

/** Sends `PING` to 127.0.0.1:port: the reply, or the connection error's code. */
function ping(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
    socket.setEncoding('utf8');
    socket.on('data', (reply: string) => {
      socket.destroy();
      resolve(reply.trim());
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('a timed strat process', () => {
  it('is the built CLI, timed, with the CPU time of the whole process', async () => {
    expect(stratCliPath()).toMatch(/apps[/\\]cli[/\\]dist[/\\]cli\.js$/);
    const run = await runTimedStrat(['--version'], { scratch: scratch.dir, timeoutMs: 170_000 });
    expect(run).toMatchObject({ code: 0, phaseMs: undefined });
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(run.wallMs).toBeGreaterThan(0);
    expect(run.cpuMs).toBeGreaterThan(0);
    expect(run.loadAverage).toHaveLength(2);
  }, 180_000);

  it("times a sweep from its 'sweeping' line, after the combinations were checked", async () => {
    const configPath = join(scratch.dir, 'noop.json');
    writeFileSync(configPath, JSON.stringify(s2Config()));
    const out = join(scratch.dir, 'noop-out.json');
    const run = await runTimedStrat(
      ['sweep', configPath, '-p', 'noop.variant=1:3', '--workers', '1', '--out', out],
      { scratch: scratch.dir, phaseMarker: 'sweeping ', timeoutMs: 280_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('sweeping 3 combinations of noop.variant on 1 worker');
    expect(run.phaseMs).toBeGreaterThan(0);
    expect(run.phaseMs).toBeLessThan(run.wallMs);
    expect(sweepRowsOf(out, 3).map((r) => r.combination['noop.variant'])).toEqual(
      expect.arrayContaining([1, 2, 3]),
    );
  }, 300_000);
});

describe.skipIf(!haveRedisServer())('a Redis of its own', () => {
  it('answers on 127.0.0.1 until stopped, and a strat process that does not end is killed', async () => {
    const redis = await startRedis();
    const port = Number(new URL(redis.url).port);
    try {
      expect(await ping(port)).toBe('+PONG');
      const worker = runTimedStrat(['worker', '--queue', redis.url, '--concurrency', '1'], {
        scratch: scratch.dir,
        timeoutMs: 3000,
      });
      await expect(worker).rejects.toThrow(/did not end in 3 s \(killed\)/);
    } finally {
      await redis.stop();
    }
    expect(await ping(port)).toBe('ECONNREFUSED');
  }, 120_000);
});
