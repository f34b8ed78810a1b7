import { randomUUID } from 'node:crypto';
import type { LogLevel, LogRecord, SessionConfig } from '@strat/core';
import { type AggregateMetrics, describeStrategyErrors, type SessionSummary } from '@strat/runtime';
import type { FastifyBaseLogger } from 'fastify';
import { ServiceError } from '../errors/service-error';
import { redactSecrets } from '../store/redact-secrets';
import type { ServiceDatabase, StoredSession, StoredSessionState } from '../store/service-database';
import type { SeriesColumns } from './bars/series-columns';
import { SessionProcess } from './process/session-process';
import type { SessionEnd, SessionProgress } from './process/session-process-protocol';
import type { SessionResultRecords } from './results/session-result-records';
import { SessionEventHub } from './session-event-hub';
import { DEFAULT_SESSION_LIMITS, type SessionLimits, tooLarge } from './session-limits';
import type { ResolvedSessionRequest } from './session-request';

export type { SessionProgress } from './process/session-process-protocol';

/** A session as the API shows it. */
export interface SessionView {
  id: string;
  name: string | null;
  mode: string;
  state: StoredSessionState;
  error: string | null;
  createdAt: string;
  endedAt: string | null;
  /** Signals stored: the newest signal's sequence number. */
  signals: number;
  symbols: string[];
  progress: SessionProgress | null;
  metrics: AggregateMetrics | null;
}

/** A session with its config and, once ended, its summary. */
export interface SessionDetail extends SessionView {
  config: unknown;
  summary: unknown;
}

/** Options of {@link SessionRegistry}. */
export interface SessionRegistryOptions {
  db: ServiceDatabase;
  /** The project: strategy roots and `session_configs/`. */
  projectRoot: string;
  /** Sessions that may run at once. */
  maxRunningSessions: number;
  logger: FastifyBaseLogger;
  /** Lowest level of the sessions' log records. */
  sessionLogLevel: LogLevel;
  /** How often running sessions publish metrics (ms). */
  metricsIntervalMs: number;
  /** Time each strategy gets to tear down on stop (ms). */
  stopTimeoutMs?: number;
  /** The most work one session may ask for (default {@link DEFAULT_SESSION_LIMITS}). */
  limits?: SessionLimits;
  /** The script session processes run (default: `session-process.js` of the build). */
  sessionProcessScript?: URL;
}

const STATE_POLL_MS = 200;
/** How often a session's process reports its state, metrics and progress (ms). */
const STATUS_INTERVAL_MS = 100;
/** Ended sessions whose final metrics stay in memory for `/metrics`. */
const RECENT_ENDED = 32;

interface TrackedSession {
  readonly id: string;
  readonly createdAt: number;
  readonly hub: SessionEventHub;
  /** The session's process; undefined once the session has ended. */
  process: SessionProcess | undefined;
  state: StoredSessionState;
  lastSeq: number;
  /** The newest stored fill's sequence number. */
  lastFill: number;
  /** The paper results, once the session sent them (stored with its end). */
  results: SessionResultRecords | undefined;
  progress: SessionProgress | null;
  metrics: AggregateMetrics | null;
  symbols: string[];
  ended: boolean;
  persistError: string | undefined;
  timer: NodeJS.Timeout | undefined;
  lastMetricsAt: number;
  /** Settles when the session has ended. */
  readonly done: Promise<void>;
  readonly resolveDone: () => void;
}

/** A session listed for `/metrics`: its id, state and newest strategy metrics. */
export interface SessionMetricsEntry {
  id: string;
  state: StoredSessionState;
  metrics: AggregateMetrics;
}

/**
 * The sessions the service runs: starts them from validated requests, stores their signals (each
 * committed before anyone hears of it) and state transitions, forwards their events to the hubs
 * the SSE streams listen to, stops them and adds symbols. Mode-agnostic: it hands the config to
 * `Session` and forwards what the session emits.
 *
 * Each session runs in a child process of its own ({@link SessionProcess}), its strategies in
 * worker threads there: the service's process only stores and serves, nothing a request names
 * runs in it, a session that crashes or exits ends alone (`failed`, with the reason), and the
 * memory of a session goes back to the system when it ends.
 */
export class SessionRegistry {
  readonly #o: SessionRegistryOptions;
  readonly #tracked = new Map<string, TrackedSession>();
  readonly #recentEnded: string[] = [];
  /** Processes of ended sessions still letting go of their resources. */
  readonly #closing = new Set<Promise<void>>();
  #closed = false;
  #signalsPersisted = 0;

  constructor(options: SessionRegistryOptions) {
    this.#o = options;
  }

  /** Signals this process has stored since it started. */
  get signalsPersisted(): number {
    return this.#signalsPersisted;
  }

  /** Sessions of this process that have not ended. */
  get runningCount(): number {
    let n = 0;
    for (const t of this.#tracked.values()) if (!t.ended) n++;
    return n;
  }

  /** The limits every session is held to. */
  get limits(): SessionLimits {
    return this.#o.limits ?? DEFAULT_SESSION_LIMITS;
  }

  /**
   * Builds a session in a process of its own and starts it; resolves with its id once it is
   * built (it loads its strategies in the background; a load error shows as state `failed`).
   * @throws ServiceError 429 when the limit of running sessions is reached, 400 when the session
   *   cannot be built from the config
   */
  async start(request: ResolvedSessionRequest): Promise<string> {
    // A session counts from here, while its process starts, so that requests at once cannot pass the limit.
    if (this.runningCount >= this.#o.maxRunningSessions) {
      throw new ServiceError(
        429,
        'SESSION_LIMIT',
        `${this.#o.maxRunningSessions} sessions are running already; stop one or wait for one to end`,
      );
    }
    const tracked = this.#track(randomUUID());
    try {
      tracked.process = await SessionProcess.open({
        script: this.#o.sessionProcessScript,
        init: {
          config: request.config,
          configDir: request.configDir,
          projectRoot: this.#o.projectRoot,
          logLevel: this.#o.sessionLogLevel,
          stopTimeoutMs: this.#o.stopTimeoutMs,
          feedEnv: request.feedEnv,
          statusIntervalMs: STATUS_INTERVAL_MS,
        },
        listener: {
          signals: (bodies) => this.#persist(tracked, bodies),
          fills: (bodies) => this.#persistFills(tracked, bodies),
          results: (results) => {
            tracked.results = results;
          },
          event: (name, data) => {
            if (name === 'symbolAdded' && tracked.process !== undefined)
              tracked.symbols = [...tracked.process.status.symbols];
            tracked.hub.publish({ kind: 'event', name, data });
          },
          log: (record) => logSessionRecord(this.#o.logger, tracked.id, record),
          end: (end) => this.#finish(tracked, end),
        },
      });
      // The service began to close meanwhile: this session never starts.
      if (this.#closed) throw new Error('the service is closing');
      this.#o.db.insertSession({
        id: tracked.id,
        name: request.name,
        mode: request.config.mode,
        config: JSON.stringify(redactSecrets(request.config)),
        createdAt: tracked.createdAt,
      });
    } catch (error) {
      this.#tracked.delete(tracked.id);
      tracked.ended = true;
      tracked.resolveDone();
      void tracked.process?.close();
      throw error;
    }
    const child = tracked.process;
    tracked.symbols = [...child.status.symbols];
    tracked.timer = setInterval(() => this.#tick(tracked), STATE_POLL_MS);
    tracked.timer.unref();
    child.start();
    this.#o.logger.info(
      { sessionId: tracked.id, name: request.name, mode: request.config.mode, pid: child.pid },
      'session started',
    );
    return tracked.id;
  }

  /** Registers a session about to start (it counts as running from now on). */
  #track(id: string): TrackedSession {
    let resolveDone = () => {};
    const done = new Promise<void>((resolve) => {
      resolveDone = resolve;
    });
    const tracked: TrackedSession = {
      id,
      createdAt: Date.now(),
      hub: new SessionEventHub(),
      process: undefined,
      state: 'created',
      lastSeq: 0,
      lastFill: 0,
      results: undefined,
      progress: null,
      metrics: null,
      symbols: [],
      ended: false,
      persistError: undefined,
      timer: undefined,
      lastMetricsAt: 0,
      done,
      resolveDone,
    };
    this.#tracked.set(id, tracked);
    return tracked;
  }

  #persist(tracked: TrackedSession, bodies: string[]): void {
    if (tracked.persistError !== undefined) return;
    // The process tells a new state before the signals that follow it: a client that hears of them sees it.
    if (tracked.process !== undefined && !tracked.ended)
      this.#noteState(tracked, tracked.process.status.state);
    try {
      this.#o.db.appendSignals(tracked.id, tracked.lastSeq + 1, bodies);
    } catch (error) {
      // A signal that cannot be stored is never sent: the session ends as failed instead.
      tracked.persistError = `cannot store signals: ${(error as Error).message}`;
      this.#o.logger.error(
        { sessionId: tracked.id, err: error },
        'cannot store signals; stopping the session',
      );
      tracked.process?.stop();
      return;
    }
    tracked.lastSeq += bodies.length;
    this.#signalsPersisted += bodies.length;
    tracked.hub.publish({ kind: 'signals', lastSeq: tracked.lastSeq, lastFill: tracked.lastFill });
  }

  /** Stores fills like signals (committed before any stream sends one), each placed after the newest signal stored. */
  #persistFills(tracked: TrackedSession, bodies: string[]): void {
    if (tracked.persistError !== undefined) return;
    try {
      this.#o.db.appendFills(tracked.id, tracked.lastFill + 1, tracked.lastSeq, bodies);
    } catch (error) {
      tracked.persistError = `cannot store fills: ${(error as Error).message}`;
      this.#o.logger.error({ sessionId: tracked.id, err: error }, 'cannot store fills; stopping the session');
      tracked.process?.stop();
      return;
    }
    tracked.lastFill += bodies.length;
    tracked.hub.publish({ kind: 'signals', lastSeq: tracked.lastSeq, lastFill: tracked.lastFill });
  }

  #tick(tracked: TrackedSession): void {
    const child = tracked.process;
    if (child === undefined || tracked.ended) return;
    const status = child.status;
    this.#noteState(tracked, status.state);
    const now = performance.now();
    if (now - tracked.lastMetricsAt < this.#o.metricsIntervalMs) return;
    tracked.lastMetricsAt = now;
    tracked.metrics = status.metrics;
    if (status.progress !== null) tracked.progress = { ...status.progress };
    const data = { metrics: tracked.metrics, progress: tracked.progress };
    tracked.hub.publish({ kind: 'event', name: 'metrics', data });
    try {
      this.#o.db.saveSnapshot(tracked.id, JSON.stringify(data));
    } catch (error) {
      this.#o.logger.warn({ sessionId: tracked.id, err: error }, 'cannot store the metrics snapshot');
    }
  }

  #noteState(tracked: TrackedSession, state: StoredSessionState): void {
    if (state === tracked.state) return;
    tracked.state = state;
    this.#o.db.updateState(tracked.id, state);
    tracked.hub.publish({ kind: 'event', name: 'state', data: { state, time: Date.now() } });
  }

  #finish(tracked: TrackedSession, end: SessionEnd): void {
    if (tracked.ended) return;
    if (tracked.timer !== undefined) clearInterval(tracked.timer);
    const { summary, error, status } = end;
    const child = tracked.process;
    // A session whose strategies threw ran to its end ('completed'), but says so: its signals may be wrong.
    const strategyErrors =
      summary === undefined ? undefined : describeStrategyErrors(summary.strategyErrors, this.#o.projectRoot);
    const message = tracked.persistError ?? summary?.error ?? error ?? strategyErrors ?? null;
    const state: StoredSessionState =
      tracked.persistError !== undefined || error !== undefined ? 'failed' : (summary?.state ?? 'failed');
    if (summary !== undefined) tracked.metrics = summary.metrics;
    else if (status !== null) tracked.metrics = status.metrics;
    if (status !== null) {
      tracked.symbols = [...status.symbols];
      if (status.progress !== null) tracked.progress = { ...status.progress };
    }
    const endedAt = Date.now();
    try {
      this.#noteState(tracked, state);
      this.#storeEnd(tracked, {
        state,
        endedAt,
        error: message,
        summary: summary === undefined ? null : JSON.stringify(summary),
      });
    } catch (dbError) {
      this.#o.logger.error({ sessionId: tracked.id, err: dbError }, 'cannot record the end of a session');
    }
    tracked.ended = true;
    tracked.process = undefined;
    tracked.results = undefined;
    tracked.hub.publish({
      kind: 'end',
      data: {
        state,
        error: message,
        signals: tracked.lastSeq,
        fills: tracked.lastFill,
        endedAt: new Date(endedAt).toISOString(),
      },
    });
    this.#o.logger.info({ sessionId: tracked.id, state, signals: tracked.lastSeq }, 'session ended');
    if (child !== undefined) {
      const closing = child.close().catch((e: unknown) => {
        this.#o.logger.warn({ sessionId: tracked.id, err: e }, 'session shutdown failed');
      });
      this.#closing.add(closing);
      void closing.then(() => this.#closing.delete(closing));
    }
    tracked.resolveDone();
    this.#recentEnded.push(tracked.id);
    while (this.#recentEnded.length > RECENT_ENDED) {
      const old = this.#recentEnded.shift();
      if (old !== undefined) this.#tracked.delete(old);
    }
  }

  /** Records the end and the results in one transaction; results that cannot be stored do not keep the end from being recorded. */
  #storeEnd(tracked: TrackedSession, end: Parameters<ServiceDatabase['endSession']>[1]): void {
    const results = tracked.persistError === undefined ? tracked.results : undefined;
    if (results === undefined) {
      this.#o.db.endSession(tracked.id, end);
      return;
    }
    try {
      this.#o.db.endSession(tracked.id, end, results);
    } catch (error) {
      this.#o.logger.error({ sessionId: tracked.id, err: error }, 'cannot store the results of a session');
      this.#o.db.endSession(tracked.id, end);
    }
  }

  /** The hub of a session this process runs or ran recently. */
  hub(id: string): SessionEventHub | undefined {
    return this.#tracked.get(id)?.hub;
  }

  /** The state of a session this process runs, else the stored one. */
  currentState(id: string): StoredSessionState | undefined {
    const tracked = this.#tracked.get(id);
    if (tracked !== undefined && !tracked.ended) return tracked.state;
    return this.#o.db.getSession(id)?.state;
  }

  /** Whether `id` is a session of this process that has not ended. */
  isRunning(id: string): boolean {
    const tracked = this.#tracked.get(id);
    return tracked !== undefined && !tracked.ended;
  }

  /** The newest stored signal's sequence number of a session (from memory while it runs). */
  lastSeq(id: string): number {
    const tracked = this.#tracked.get(id);
    return tracked?.lastSeq ?? this.#o.db.getSession(id)?.signalCount ?? 0;
  }

  /** The newest stored fill's sequence number of a session (from memory while it runs). */
  lastFill(id: string): number {
    const tracked = this.#tracked.get(id);
    return tracked?.lastFill ?? this.#o.db.lastFillSeq(id);
  }

  /**
   * Stops a running session (teardown runs) and resolves when it has ended.
   * @throws ServiceError 404 for an unknown session, 409 when it has ended
   */
  async stop(id: string): Promise<void> {
    const tracked = this.#requireRunning(id);
    tracked.process?.stop();
    await tracked.done;
  }

  /**
   * Adds a symbol to a running session. Resolves with false when the session trades it already.
   * @throws ServiceError 404 for an unknown session, 409 when it is not running, 422 when the
   *   session streams as many symbols as a session may
   */
  async addSymbol(id: string, symbol: string): Promise<boolean> {
    const tracked = this.#requireRunning(id);
    const child = tracked.process;
    // The session's process decides whether it is running: the status here may be a moment old.
    if (child === undefined) throw notRunning(id, tracked.state);
    const { maxSymbols } = this.limits;
    if (!tracked.symbols.includes(symbol) && tracked.symbols.length >= maxSymbols) {
      throw tooLarge([
        {
          path: 'body.symbol',
          message: `the session streams ${tracked.symbols.length} symbols: the service's limit is ${maxSymbols} (--max-symbols, STRAT_MAX_SYMBOLS)`,
        },
      ]);
    }
    try {
      const { added, symbols } = await child.addSymbol(symbol);
      tracked.symbols = [...symbols];
      return added;
    } catch (error) {
      if (ServiceError.isInstance(error) && error.code === 'SESSION_NOT_RUNNING') {
        throw notRunning(id, child.status.state);
      }
      throw error;
    }
  }

  /**
   * The bars a running session's store holds for a series now (its last `streaming.window`): null
   * when the store has no such series, undefined when the session has no process (any more).
   */
  async storedBars(id: string, symbol: string, interval: string): Promise<SeriesColumns | null | undefined> {
    const child = this.#tracked.get(id)?.process;
    if (child === undefined) return undefined;
    try {
      return await child.bars(symbol, interval);
    } catch (error) {
      // It ended before it answered.
      if (ServiceError.isInstance(error) && error.code === 'SESSION_NOT_RUNNING') return undefined;
      throw error;
    }
  }

  #requireRunning(id: string): TrackedSession {
    const tracked = this.#tracked.get(id);
    if (tracked !== undefined && !tracked.ended) return tracked;
    const stored = this.#o.db.getSession(id);
    if (stored === undefined) throw unknownSession(id);
    throw new ServiceError(409, 'SESSION_ENDED', `Session ${id} has ended (${stored.state})`);
  }

  /** A session as the API shows it, or undefined when there is none. */
  view(id: string): SessionDetail | undefined {
    const stored = this.#o.db.getSession(id);
    if (stored === undefined) return undefined;
    return {
      ...this.#summaryView(stored),
      config: JSON.parse(stored.config),
      summary: parseOrNull(stored.summary),
    };
  }

  /** Sessions newest first. */
  list(options: { limit: number; state?: StoredSessionState }): SessionView[] {
    return this.#o.db.listSessions(options).map((row) => this.#summaryView(row));
  }

  #summaryView(stored: StoredSession): SessionView {
    const tracked = this.#tracked.get(stored.id);
    const summary = parseOrNull(stored.summary) as Partial<SessionSummary> | null;
    const snapshot = parseOrNull(stored.snapshot) as {
      metrics?: AggregateMetrics;
      progress?: SessionProgress | null;
    } | null;
    const metrics =
      tracked?.process?.status.metrics ?? tracked?.metrics ?? summary?.metrics ?? snapshot?.metrics ?? null;
    const live = tracked?.process?.status.progress ?? undefined;
    const progress = live ?? tracked?.progress ?? snapshot?.progress ?? null;
    const config = JSON.parse(stored.config) as SessionConfig;
    return {
      id: stored.id,
      name: stored.name,
      mode: stored.mode,
      state: tracked !== undefined && !tracked.ended ? tracked.state : stored.state,
      error: stored.error,
      createdAt: new Date(stored.createdAt).toISOString(),
      endedAt: stored.endedAt === null ? null : new Date(stored.endedAt).toISOString(),
      signals: tracked?.lastSeq ?? stored.signalCount,
      symbols: tracked?.symbols ?? [
        ...(config.session_data_config?.symbols ?? []),
        ...(summary?.symbolsAdded ?? []),
      ],
      progress: progress === null ? null : { ...progress },
      metrics,
    };
  }

  /** Sessions whose strategy metrics `/metrics` reports: those running and the recently ended. */
  metricsEntries(): SessionMetricsEntry[] {
    const out: SessionMetricsEntry[] = [];
    for (const tracked of this.#tracked.values()) {
      const metrics = tracked.process?.status.metrics ?? tracked.metrics;
      if (metrics !== null) out.push({ id: tracked.id, state: tracked.state, metrics });
    }
    return out;
  }

  /** Stops every running session (state `stopped`), waits for them to end and their workers to exit. */
  async close(): Promise<void> {
    this.#closed = true;
    const running = [...this.#tracked.values()].filter((t) => !t.ended);
    for (const tracked of running) tracked.process?.stop();
    await Promise.all(running.map((t) => t.done));
    await Promise.all([...this.#closing]);
  }
}

function notRunning(id: string, state: string): ServiceError {
  return new ServiceError(
    409,
    'SESSION_NOT_RUNNING',
    `Session ${id} is ${state}; symbols can be added while it is running`,
  );
}

function parseOrNull(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

/** The 404 of a session id the service does not know. */
export function unknownSession(id: string): ServiceError {
  return new ServiceError(404, 'SESSION_NOT_FOUND', `There is no session ${id}`);
}

function logSessionRecord(logger: FastifyBaseLogger, sessionId: string, record: LogRecord): void {
  const fields = { sessionId, source: record.name, ...record.fields };
  switch (record.level) {
    case 'error':
      logger.error(fields, record.message);
      break;
    case 'warn':
      logger.warn(fields, record.message);
      break;
    case 'info':
      logger.info(fields, record.message);
      break;
    default:
      logger.debug(fields, record.message);
  }
}
