import { randomUUID } from 'node:crypto';
import type { SessionConfig } from '@strat/core';
import type { Combination, SweepRow } from '@strat/runtime';
import { type ConnectionOptions, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { UsageError } from '../usage-error';

/** The BullMQ queue sweeps and `strat worker` share. */
export const SWEEP_QUEUE = 'strat-sweep';

/** What a queued combination carries: the config and the combination, never code or a path outside the project. */
export interface SweepJobData {
  sweep: string;
  index: number;
  combination: Combination;
  config: SessionConfig;
  /** The config's folder relative to the project root (`session_configs`): each worker resolves it in its own copy. */
  configDir: string;
}

/** Connection options for `redis://HOST:PORT[/DB]` (or `rediss://`), as BullMQ's workers need them. */
export function redisConnection(url: string): ConnectionOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--queue ${url}: expected a Redis URL such as redis://127.0.0.1:6379`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new UsageError(`--queue ${url}: expected a redis:// or rediss:// URL`);
  }
  // Blocking commands must wait through a reconnect rather than fail (BullMQ's rule for workers).
  return { url, maxRetriesPerRequest: null, connectTimeout: 5000 };
}

/** How long the first connection to Redis may take. */
export const REDIS_CONNECT_MS = 5000;

/**
 * How long a sweep waits for a Redis it lost mid-run before it fails (default 30 s; the environment's
 * `STRAT_QUEUE_LOST_MS` sets it): a restart of Redis within it goes unnoticed, a stopped one is an error.
 */
export function redisLostAfterMs(env: NodeJS.ProcessEnv = process.env): number {
  const value = Number(env.STRAT_QUEUE_LOST_MS);
  return Number.isFinite(value) && value > 0 ? value : 30_000;
}

/** Waits for `ready`; a Redis that does not answer within {@link REDIS_CONNECT_MS} is a usage error naming the URL. */
export async function reachRedis(url: string, ready: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer in ${REDIS_CONNECT_MS / 1000} s`)),
      REDIS_CONNECT_MS,
    );
  });
  try {
    await Promise.race([ready, timeout]);
  } catch (error) {
    throw new UsageError(
      `--queue ${url}: cannot reach Redis (${error instanceof Error ? error.message : error})`,
    );
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs the combinations through the queue at `url`: one job each, keyed by sweep and grid index (a job
 * added twice is one job; a result is kept once per index), results read back as the jobs finish.
 * `strat worker` processes run them; a worker that dies mid-job leaves its job stalled, and BullMQ
 * hands it to another worker once its lock expires. The sweep's own jobs are removed at the end.
 * @param onRow - each finished combination (a job that failed is a row with its error)
 */
export async function runQueuedSweep(o: {
  url: string;
  config: SessionConfig;
  configDir: string;
  indices: readonly number[];
  combinationAt: (index: number) => Combination;
  onRow: (row: SweepRow) => void;
  signal: AbortSignal;
}): Promise<void> {
  const connection = redisConnection(o.url);
  const queue = new Queue<SweepJobData, SweepRow>(SWEEP_QUEUE, { connection });
  let events: QueueEvents | undefined;
  // Connection errors surface through reachRedis and the jobs' waits; ioredis retries meanwhile.
  queue.on('error', () => {});
  const sweep = randomUUID();
  const jobId = (index: number) => `${sweep}-${index}`;
  let connected = false;
  let watchdog: NodeJS.Timeout | undefined;
  let probe: Redis | undefined;
  try {
    await reachRedis(o.url, queue.waitUntilReady());
    // The events are read from the stream's newest entry before the jobs are added, not from BullMQ's
    // default "$": that one takes effect only when the first blocking read reaches Redis, and a job that
    // finished between its own status check and that read was never reported (the sweep waited forever).
    const from = await newestEventId(o.url, queue.toKey('events'));
    events = new QueueEvents(SWEEP_QUEUE, { connection, lastEventId: from });
    events.on('error', () => {});
    await reachRedis(o.url, events.waitUntilReady());
    connected = true;
    const jobs = await queue.addBulk(
      o.indices.map((index) => ({
        name: 'combination',
        data: { sweep, index, combination: o.combinationAt(index), config: o.config, configDir: o.configDir },
        opts: { jobId: jobId(index), attempts: 1, removeOnComplete: false, removeOnFail: false },
      })),
    );
    const aborted = new Promise<void>((resolve) =>
      o.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    // A Redis lost mid-run: ioredis reconnects for ever and the jobs' waits with it; past the grace
    // period the sweep fails, saying so, rather than wait for nobody.
    // Watched on a connection of its own (BullMQ keeps its clients to itself); ioredis reconnects it.
    probe = new Redis(o.url, { maxRetriesPerRequest: 1, connectTimeout: REDIS_CONNECT_MS });
    probe.on('error', () => {});
    const client = probe;
    const lostAfter = redisLostAfterMs();
    let finished = 0;
    const lost = new Promise<never>((_, reject) => {
      let since: number | undefined;
      watchdog = setInterval(() => {
        if (client.status === 'ready') {
          since = undefined;
          return;
        }
        since ??= performance.now();
        if (performance.now() - since < lostAfter) return;
        connected = false;
        reject(
          new Error(
            `--queue ${o.url}: lost the connection to Redis (${client.status} for ${Math.round(lostAfter / 1000)} s); ` +
              `${finished} of ${o.indices.length} combinations had finished`,
          ),
        );
      }, 250);
    });
    const finishedBy = events;
    await Promise.race([
      aborted,
      lost,
      Promise.all(
        jobs.map(async (job) => {
          const index = job.data.index;
          let row: SweepRow;
          try {
            row = await job.waitUntilFinished(finishedBy);
          } catch (error) {
            row = {
              index,
              combination: job.data.combination,
              error: `the job failed on a worker: ${error instanceof Error ? error.message : String(error)}`,
            };
          }
          finished++;
          if (!o.signal.aborted) o.onRow(row);
        }),
      ),
    ]);
  } finally {
    clearInterval(watchdog);
    probe?.disconnect();
    if (connected) {
      // Jobs not started yet would run for nobody: remove every job of this sweep.
      await Promise.all(o.indices.map((index) => queue.remove(jobId(index)).catch(() => 0)));
      await Promise.all([events?.close(), queue.close()]);
    } else {
      // Nothing to tidy on a Redis never reached (or lost): stop ioredis reconnecting, without waiting on it.
      void events?.disconnect().catch(() => undefined);
      void queue.disconnect().catch(() => undefined);
    }
  }
}

/**
 * The id of the newest entry of the Redis stream `key` (`0-0` when it has none): reading the stream
 * from it gives every entry added afterwards. On its own short-lived connection.
 */
export async function newestEventId(url: string, key: string): Promise<string> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    connectTimeout: REDIS_CONNECT_MS,
  });
  client.on('error', () => {});
  try {
    const newest = await client.xrevrange(key, '+', '-', 'COUNT', 1);
    return newest[0]?.[0] ?? '0-0';
  } finally {
    client.disconnect();
  }
}
