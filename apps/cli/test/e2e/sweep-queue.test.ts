import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { newestEventId } from '../../src/sweep/sweep-queue';
import { type RunningStrat, repoRoot, runStrat, scratchDir, startStrat } from '../strat-process';

/**
 * Sweeps through BullMQ on a real Redis (Debian's `redis-server`, started here on 127.0.0.1 and a free
 * port; `.ci/run` installs it) and real `strat worker` processes. Without redis-server the suite fails in
 * CI and is skipped, loudly, elsewhere.
 */
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';
const HAVE_REDIS = (() => {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!HAVE_REDIS && !IN_CI) {
  process.stderr.write(
    '!!! redis-server is missing: the queue sweep tests are skipped (apt-get install -y redis-server)\n',
  );
}

it.runIf(!HAVE_REDIS && IN_CI)('has a redis-server to run sweeps through (CI)', () => {
  expect.fail('no redis-server on PATH: CI must have it (.ci/run installs the Debian package redis-server)');
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(),
      );
    });
  });
}

describe.skipIf(!HAVE_REDIS)('strat sweep --queue and strat worker', () => {
  let scratch: ReturnType<typeof scratchDir>;
  let redis: ChildProcess;
  let url: string;
  const workers: RunningStrat[] = [];

  /** A redis-server of its own on 127.0.0.1 and a free port, nothing saved, ready. */
  async function startRedis(): Promise<{ server: ChildProcess; url: string }> {
    const port = await freePort();
    const server = spawn('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ]);
    let out = '';
    server.stdout?.on('data', (chunk) => {
      out += String(chunk);
    });
    await vi.waitFor(() => expect(out).toContain('Ready to accept connections'), {
      timeout: 20_000,
      interval: 50,
    });
    return { server, url: `redis://127.0.0.1:${port}` };
  }

  beforeAll(async () => {
    scratch = scratchDir('sweep-queue');
    ({ server: redis, url } = await startRedis());
  });

  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    redis.kill('SIGTERM');
    scratch.remove();
  });

  function writeConfig(name: string): string {
    const path = join(scratch.dir, name);
    writeFileSync(
      path,
      JSON.stringify({
        mode: 'backtest',
        backtest_config: { start_date: '2024-01-02', end_date: '2024-01-05' },
        session_data_config: {
          symbols: ['AAPL'],
          streams: ['1m'],
          strategies: [
            {
              module: '@strat/examples/sma-cross',
              name: 'sma',
              config: { symbols: ['AAPL'], interval: '1m', fast_period: 5, slow_period: 20 },
            },
          ],
        },
        data_config: { source: 'generator', seed: 12 },
        execution: { initial_cash: 30_000 },
      }),
    );
    return path;
  }

  function startWorker(): RunningStrat {
    const worker = startStrat(['worker', '--queue', url, '--concurrency', '1', '--lock-ms', '2000'], {
      cwd: repoRoot,
    });
    workers.push(worker);
    return worker;
  }

  it('gives the rows of a local sweep, each once, although a worker is killed mid-job', async () => {
    const config = writeConfig('queue.json');
    const params = ['-p', 'sma.fast_period=3:6', '-p', 'sma.slow_period=15,25'];
    const localOut = join(scratch.dir, 'local.json');
    const local = await runStrat(['sweep', config, ...params, '--out', localOut, '--quiet']);
    expect(local.code, local.stderr).toBe(0);

    const first = startWorker();
    await vi.waitFor(() => expect(first.output.stderr).toContain('strat worker: 1 at a time'), {
      timeout: 30_000,
    });
    const queuedOut = join(scratch.dir, 'queued.json');
    const sweep = startStrat(['sweep', config, ...params, '--queue', url, '--out', queuedOut], {
      cwd: repoRoot,
    });
    // The first worker finishes one combination and takes the next: killed then, mid-job.
    await vi.waitFor(() => expect(first.output.stderr).toMatch(/done \S+-\d+/), {
      timeout: 60_000,
      interval: 20,
    });
    first.child.kill('SIGKILL');
    await first.done;
    const doneByFirst = first.output.stderr.match(/done \S+-\d+/g) ?? [];
    const second = startWorker();
    const result = await sweep.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(
      `sweeping 8 combinations of sma.fast_period, sma.slow_period through the queue at ${url}`,
    );
    // The second worker ran everything the first did not finish, the killed job included.
    const doneBySecond = second.output.stderr.match(/done \S+-\d+/g) ?? [];
    expect(doneByFirst.length + doneBySecond.length).toBeGreaterThanOrEqual(8);
    expect(doneBySecond.length).toBeGreaterThanOrEqual(8 - doneByFirst.length);

    const strip = (file: string) =>
      (JSON.parse(readFileSync(file, 'utf8')) as { rows: Array<Record<string, unknown>> }).rows.map(
        ({ ms: _ms, ...row }) => row,
      );
    const queuedRows = strip(queuedOut);
    expect(queuedRows.map((r) => r.index).sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(queuedRows).toEqual(strip(localOut));
  });

  it("listens to the queue's events from the newest one, so that none added after it is missed", async () => {
    const key = `strat-test-events-${process.pid}`;
    expect(await newestEventId(url, key)).toBe('0-0');
    const client = new Redis(url);
    try {
      await client.xadd(key, '*', 'event', 'added');
      const newest = await client.xadd(key, '*', 'event', 'completed');
      expect(await newestEventId(url, key)).toBe(newest);
      const after = await client.xadd(key, '*', 'event', 'removed');
      expect(await client.xread('STREAMS', key, newest ?? '')).toEqual([
        [key, [[after, ['event', 'removed']]]],
      ]);
    } finally {
      await client.del(key);
      client.disconnect();
    }
  });

  it('says so when Redis cannot be reached', async () => {
    const config = writeConfig('unreachable.json');
    const port = await freePort();
    const result = await runStrat([
      'sweep',
      config,
      '-p',
      'sma.fast_period=3,4',
      '--queue',
      `redis://127.0.0.1:${port}`,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--queue redis://127.0.0.1:${port}: cannot reach Redis`);
    const bad = await runStrat(['sweep', config, '-p', 'sma.fast_period=3,4', '--queue', 'http://x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected a redis:// or rediss:// URL');
  });

  it('fails, saying so, when Redis stops in the middle of a sweep (no hang)', async () => {
    const config = writeConfig('lost.json');
    const own = await startRedis();
    // No worker: the jobs wait on the queue until Redis goes away.
    const sweep = startStrat(['sweep', config, '-p', 'sma.fast_period=3,4', '--queue', own.url], {
      cwd: repoRoot,
      env: { STRAT_QUEUE_LOST_MS: '1500' },
    });
    // Once both jobs are on the queue, Redis goes away.
    const watcher = new Redis(own.url);
    try {
      await vi.waitFor(async () => expect((await watcher.keys('bull:strat-sweep:*-[0-9]')).length).toBe(2), {
        timeout: 60_000,
        interval: 100,
      });
    } finally {
      watcher.disconnect();
    }
    own.server.kill('SIGKILL');
    const result = await sweep.done;
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toContain(`--queue ${own.url}: lost the connection to Redis`);
    expect(result.stderr).toContain('0 of 2 combinations had finished');
  });
});
