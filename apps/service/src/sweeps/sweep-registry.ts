import { randomUUID } from 'node:crypto';
import type { SweepRow, WalkForwardStep } from '@strat/runtime';
import type { FastifyBaseLogger } from 'fastify';
import { ServiceError } from '../errors/service-error';
import { redactSecrets } from '../store/redact-secrets';
import type { ServiceDatabase } from '../store/service-database';
import type { StoredSweepState } from '../store/sweep-store';
import { SweepProcess, SweepRefusal } from './process/sweep-process';
import type { SweepRowPlace } from './process/sweep-process-protocol';
import { SweepEventHub } from './sweep-event-hub';
import { type ResolvedSweepRequest, refusedCombinations, type SweepLimits } from './sweep-request';
import { type SweepDetail, type SweepView, sweepDetail, sweepView } from './sweep-views';

/** Options of {@link SweepRegistry}. */
export interface SweepRegistryOptions {
  db: ServiceDatabase;
  projectRoot: string;
  limits: SweepLimits;
  logger: FastifyBaseLogger;
  /** The script sweep processes run (default: `sweep-process.js` of the build). */
  sweepProcessScript?: URL;
}

interface TrackedSweep {
  readonly id: string;
  readonly hub: SweepEventHub;
  process: SweepProcess | undefined;
  state: StoredSweepState;
  startedAt: number | undefined;
  lastSeq: number;
  failed: number;
  total: number;
  ended: boolean;
  readonly done: Promise<void>;
  readonly resolveDone: () => void;
}

/**
 * The parameter sweeps the service runs. Each runs in a child process of its own, its combinations
 * on a pool of worker threads there ({@link SweepProcess}); every finished combination is committed
 * to the database before any stream hears of it, so a stopped sweep, or one whose service restarted,
 * keeps every row it finished.
 */
export class SweepRegistry {
  readonly #o: SweepRegistryOptions;
  readonly #tracked = new Map<string, TrackedSweep>();
  readonly #closing = new Set<Promise<void>>();
  #closed = false;

  constructor(options: SweepRegistryOptions) {
    this.#o = options;
  }

  /** The sweep limits. */
  get limits(): SweepLimits {
    return this.#o.limits;
  }

  /** Sweeps of this process that have not ended. */
  get runningCount(): number {
    let n = 0;
    for (const t of this.#tracked.values()) if (!t.ended) n++;
    return n;
  }

  /**
   * Checks every combination in a new sweep process (its strategies set up there), records the
   * sweep and starts it; resolves with its id.
   * @throws ServiceError 429 at the limit of running sweeps; ConfigError 400 for combinations the
   *   strategies refuse (at the parameter's path)
   */
  async start(request: ResolvedSweepRequest): Promise<string> {
    if (this.runningCount >= this.#o.limits.maxRunningSweeps) {
      throw new ServiceError(
        429,
        'SWEEP_LIMIT',
        `${this.#o.limits.maxRunningSweeps} sweep${this.#o.limits.maxRunningSweeps === 1 ? ' is' : 's are'} running already; stop one or wait for one to end`,
      );
    }
    const tracked = this.#track(randomUUID(), request.total);
    const { session, spec } = request;
    try {
      tracked.process = await SweepProcess.open({
        script: this.#o.sweepProcessScript,
        init: {
          config: session.config,
          configDir: session.configDir,
          projectRoot: this.#o.projectRoot,
          params: spec.params,
          indices: request.indices,
          workers: spec.workers,
          objective: spec.objective,
          minimize: spec.minimize,
          windows: request.windows,
        },
        listener: {
          row: (row, place) => this.#persistRow(tracked, row, place),
          end: (end) => this.#finish(tracked, end),
        },
      });
      if (this.#closed) throw new Error('the service is closing');
      this.#o.db.sweeps.insert({
        id: tracked.id,
        name: session.name,
        config: JSON.stringify(redactSecrets(session.config)),
        spec: JSON.stringify(spec),
        total: request.total,
        createdAt: Date.now(),
      });
    } catch (error) {
      this.#tracked.delete(tracked.id);
      tracked.ended = true;
      tracked.resolveDone();
      void tracked.process?.close();
      if (error instanceof SweepRefusal) {
        if (error.problems !== undefined) throw refusedCombinations(error.problems, request);
        throw new ServiceError(400, 'CONFIG_INVALID', error.message);
      }
      throw error;
    }
    const child = tracked.process;
    tracked.startedAt = Date.now();
    this.#noteState(tracked, 'running');
    child.start();
    this.#o.logger.info(
      {
        sweepId: tracked.id,
        name: session.name,
        total: request.total,
        workers: spec.workers,
        pid: child.pid,
      },
      'sweep started',
    );
    return tracked.id;
  }

  #track(id: string, total: number): TrackedSweep {
    let resolveDone = () => {};
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    const tracked: TrackedSweep = {
      id,
      hub: new SweepEventHub(),
      process: undefined,
      state: 'created',
      startedAt: undefined,
      lastSeq: 0,
      failed: 0,
      total,
      ended: false,
      done,
      resolveDone,
    };
    this.#tracked.set(id, tracked);
    return tracked;
  }

  #persistRow(tracked: TrackedSweep, row: SweepRow, place: SweepRowPlace): void {
    const seq = tracked.lastSeq + 1;
    try {
      this.#o.db.sweeps.appendRow(tracked.id, {
        seq,
        index: row.index,
        window: place.window,
        phase: place.phase,
        combination: JSON.stringify(row.combination),
        stats: row.stats === undefined ? null : JSON.stringify(row.stats),
        signals: row.signals ?? null,
        error: row.error ?? null,
        ms: row.ms ?? null,
      });
    } catch (error) {
      this.#o.logger.error(
        { sweepId: tracked.id, err: error },
        'cannot store a sweep row; stopping the sweep',
      );
      tracked.process?.stop();
      return;
    }
    tracked.lastSeq = seq;
    if (row.error !== undefined) tracked.failed++;
    tracked.hub.publish({ kind: 'rows', lastSeq: seq });
  }

  #noteState(tracked: TrackedSweep, state: StoredSweepState): void {
    if (state === tracked.state) return;
    tracked.state = state;
    this.#o.db.sweeps.updateState(tracked.id, state, tracked.startedAt ?? Date.now());
    tracked.hub.publish({ kind: 'event', name: 'state', data: { state, time: Date.now() } });
  }

  #finish(
    tracked: TrackedSweep,
    end: { stopped: boolean; steps: WalkForwardStep[] | null; error: string | undefined },
  ): void {
    if (tracked.ended) return;
    const state: StoredSweepState =
      end.error !== undefined ? 'failed' : end.stopped ? 'stopped' : 'completed';
    const endedAt = Date.now();
    try {
      this.#noteState(tracked, state);
      this.#o.db.sweeps.end(tracked.id, {
        state,
        endedAt,
        error: end.error ?? null,
        steps: end.steps === null ? null : JSON.stringify(end.steps),
      });
    } catch (error) {
      this.#o.logger.error({ sweepId: tracked.id, err: error }, 'cannot record the end of a sweep');
    }
    tracked.ended = true;
    const child = tracked.process;
    tracked.process = undefined;
    const view = this.view(tracked.id);
    tracked.hub.publish({
      kind: 'end',
      data: {
        state,
        error: end.error ?? null,
        done: tracked.lastSeq,
        total: tracked.total,
        failed: tracked.failed,
        best: view?.best ?? null,
        endedAt: new Date(endedAt).toISOString(),
      },
    });
    this.#o.logger.info({ sweepId: tracked.id, state, rows: tracked.lastSeq }, 'sweep ended');
    if (child !== undefined) {
      const closing = child.close().catch((e: unknown) => {
        this.#o.logger.warn({ sweepId: tracked.id, err: e }, 'sweep shutdown failed');
      });
      this.#closing.add(closing);
      void closing.then(() => this.#closing.delete(closing));
    }
    tracked.resolveDone();
    // Ended sweeps are read from the database.
    this.#tracked.delete(tracked.id);
  }

  /** The hub of a running sweep. */
  hub(id: string): SweepEventHub | undefined {
    return this.#tracked.get(id)?.hub;
  }

  /** The newest stored row's sequence number of a running sweep, else the stored count. */
  lastSeq(id: string): number {
    return this.#tracked.get(id)?.lastSeq ?? this.#o.db.sweeps.get(id)?.rowCount ?? 0;
  }

  /**
   * Stops a running sweep: no further combination starts, the running ones are abandoned, the
   * finished rows stay. Resolves once it has ended (`stopped`).
   * @throws ServiceError 404 for an unknown sweep, 409 when it has ended
   */
  async stop(id: string): Promise<void> {
    const tracked = this.#tracked.get(id);
    if (tracked === undefined || tracked.ended) {
      const stored = this.#o.db.sweeps.get(id);
      if (stored === undefined) throw unknownSweep(id);
      throw new ServiceError(409, 'SWEEP_ENDED', `Sweep ${id} has ended (${stored.state})`);
    }
    this.#noteState(tracked, 'stopping');
    tracked.process?.stop();
    await tracked.done;
  }

  #live(id: string): { state: StoredSweepState; startedAt: number | undefined } | undefined {
    const tracked = this.#tracked.get(id);
    return tracked === undefined || tracked.ended
      ? undefined
      : { state: tracked.state, startedAt: tracked.startedAt };
  }

  /** A sweep with its ranked rows (`top` of each group when given), or undefined. */
  detail(id: string, top?: number): SweepDetail | undefined {
    const stored = this.#o.db.sweeps.get(id);
    if (stored === undefined) return undefined;
    return sweepDetail(stored, this.#o.db.sweeps.rows(id), this.#live(id), top);
  }

  /** A sweep without its rows, or undefined. */
  view(id: string): SweepView | undefined {
    const stored = this.#o.db.sweeps.get(id);
    if (stored === undefined) return undefined;
    return sweepView(stored, this.#o.db.sweeps.rows(id), this.#live(id)).view;
  }

  /** Sweeps newest first. */
  list(options: { limit: number; state?: StoredSweepState }): SweepView[] {
    return this.#o.db.sweeps
      .list(options)
      .map((stored) => sweepView(stored, this.#o.db.sweeps.rows(stored.id), this.#live(stored.id)).view);
  }

  /** Stops every running sweep (finished rows kept), waits for them to end and their processes to exit. */
  async close(): Promise<void> {
    this.#closed = true;
    const running = [...this.#tracked.values()].filter((t) => !t.ended);
    for (const tracked of running) tracked.process?.stop();
    await Promise.all(running.map((t) => t.done));
    await Promise.all([...this.#closing]);
  }
}

/** The 404 of a sweep id the service does not know. */
export function unknownSweep(id: string): ServiceError {
  return new ServiceError(404, 'SWEEP_NOT_FOUND', `There is no sweep ${id}`);
}
