import { randomUUID } from 'node:crypto';
import type { LogLevel, LogRecord, SessionConfig } from '@strat/core';
import { ConfigError, StratError } from '@strat/core';
import type { AggregateMetrics, SessionSummary } from '@strat/runtime';
import { Session } from '@strat/runtime';
import type { FastifyBaseLogger } from 'fastify';
import { ServiceError } from '../errors/service-error';
import { redactSecrets } from '../store/redact-secrets';
import type { ServiceDatabase, StoredSession, StoredSessionState } from '../store/service-database';
import { SessionEventHub } from './session-event-hub';
import { DEFAULT_SESSION_LIMITS, type SessionLimits, tooLarge } from './session-limits';
import type { ResolvedSessionRequest } from './session-request';

/** Where a replay or feed is: the newest `progress` of the session. */
export interface SessionProgress {
  barsDone: number;
  barsTotal: number;
  time: number;
  sessionDate: string;
}

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
}

/** Events the service forwards from a session as they are; `gap` and `feed` come from live sessions. */
const FORWARDED_EVENTS = ['overrun', 'quality', 'gap', 'feed', 'strategyError', 'symbolAdded'] as const;
const STATE_POLL_MS = 200;
/** Ended sessions whose final metrics stay in memory for `/metrics`. */
const RECENT_ENDED = 32;

interface TrackedSession {
  readonly id: string;
  readonly createdAt: number;
  readonly hub: SessionEventHub;
  session: Session | undefined;
  state: StoredSessionState;
  lastSeq: number;
  progress: SessionProgress | null;
  metrics: AggregateMetrics | null;
  symbols: string[];
  ended: boolean;
  persistError: string | undefined;
  timer: NodeJS.Timeout | undefined;
  lastMetricsAt: number;
  done: Promise<void>;
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
 */
export class SessionRegistry {
  readonly #o: SessionRegistryOptions;
  readonly #tracked = new Map<string, TrackedSession>();
  readonly #recentEnded: string[] = [];
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
   * Builds and starts a session; returns its id at once (the session loads its strategies in the
   * background; a load error shows as state `failed`).
   * @throws ServiceError 429 when the limit of running sessions is reached, 400 when the session
   *   cannot be built from the config
   */
  start(request: ResolvedSessionRequest): string {
    if (this.runningCount >= this.#o.maxRunningSessions) {
      throw new ServiceError(
        429,
        'SESSION_LIMIT',
        `${this.#o.maxRunningSessions} sessions are running already; stop one or wait for one to end`,
      );
    }
    const id = randomUUID();
    const session = this.#createSession(id, request);
    const tracked: TrackedSession = {
      id,
      createdAt: Date.now(),
      hub: new SessionEventHub(),
      session,
      state: 'created',
      lastSeq: 0,
      progress: null,
      metrics: null,
      symbols: [...session.symbols],
      ended: false,
      persistError: undefined,
      timer: undefined,
      lastMetricsAt: 0,
      done: Promise.resolve(),
    };
    this.#o.db.insertSession({
      id,
      name: request.name,
      mode: request.config.mode,
      config: JSON.stringify(redactSecrets(request.config)),
      createdAt: tracked.createdAt,
    });
    this.#tracked.set(id, tracked);
    this.#wire(tracked, session);
    tracked.timer = setInterval(() => this.#tick(tracked), STATE_POLL_MS);
    tracked.timer.unref();
    tracked.done = session.start().then(
      (summary) => this.#finish(tracked, summary, undefined),
      (error: unknown) => this.#finish(tracked, undefined, error),
    );
    this.#o.logger.info({ sessionId: id, name: request.name, mode: request.config.mode }, 'session started');
    return id;
  }

  #createSession(id: string, request: ResolvedSessionRequest): Session {
    const logger = this.#o.logger;
    try {
      return new Session(request.config, {
        configDir: request.configDir,
        roots: [this.#o.projectRoot],
        logLevel: this.#o.sessionLogLevel,
        logSink: (record: LogRecord) => logSessionRecord(logger, id, record),
        stopTimeoutMs: this.#o.stopTimeoutMs,
        // The service's feed credentials only for its own feed (see sessionFeedEnv).
        env: request.feedEnv,
      });
    } catch (error) {
      // A ConfigError (a live session without feed credentials, ...) keeps its issues: the handler answers 400.
      if (ServiceError.isInstance(error) || ConfigError.isInstance(error)) throw error;
      if (StratError.isInstance(error)) {
        throw new ServiceError(400, error.code, error.message, { cause: error });
      }
      throw error;
    }
  }

  #wire(tracked: TrackedSession, session: Session): void {
    const { hub, id } = tracked;
    session.on('signal', (batch) => {
      if (tracked.persistError !== undefined) return;
      const bodies = batch.map((signal) => JSON.stringify(signal));
      try {
        this.#o.db.appendSignals(id, tracked.lastSeq + 1, bodies);
      } catch (error) {
        // A signal that cannot be stored is never sent: the session ends as failed instead.
        tracked.persistError = `cannot store signals: ${(error as Error).message}`;
        this.#o.logger.error({ sessionId: id, err: error }, 'cannot store signals; stopping the session');
        void session.stop().catch(() => undefined);
        return;
      }
      tracked.lastSeq += bodies.length;
      this.#signalsPersisted += bodies.length;
      hub.publish({ kind: 'signals', lastSeq: tracked.lastSeq });
    });
    session.on('progress', (progress) => {
      tracked.progress = { ...progress };
    });
    session.on('metrics', (metrics) => {
      tracked.metrics = metrics;
    });
    const loose = session as unknown as { on(name: string, listener: (payload: unknown) => void): unknown };
    for (const name of FORWARDED_EVENTS) {
      loose.on(name, (payload) => {
        if (name === 'symbolAdded') tracked.symbols = [...session.symbols];
        hub.publish({ kind: 'event', name, data: payload });
      });
    }
  }

  #tick(tracked: TrackedSession): void {
    const session = tracked.session;
    if (session === undefined || tracked.ended) return;
    this.#noteState(tracked, session.state);
    const now = performance.now();
    if (now - tracked.lastMetricsAt < this.#o.metricsIntervalMs) return;
    tracked.lastMetricsAt = now;
    tracked.metrics = session.getMetrics();
    const processorProgress = session.processor?.progress();
    if (processorProgress !== undefined) tracked.progress = { ...processorProgress };
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

  #finish(tracked: TrackedSession, summary: SessionSummary | undefined, error: unknown): void {
    if (tracked.ended) return;
    if (tracked.timer !== undefined) clearInterval(tracked.timer);
    const session = tracked.session;
    const message =
      tracked.persistError ??
      summary?.error ??
      (error === undefined ? null : error instanceof Error ? error.message : String(error));
    const state: StoredSessionState =
      tracked.persistError !== undefined || error !== undefined ? 'failed' : (summary?.state ?? 'failed');
    if (summary !== undefined) tracked.metrics = summary.metrics;
    else if (session !== undefined) tracked.metrics = session.getMetrics();
    if (session !== undefined) {
      tracked.symbols = [...session.symbols];
      const progress = session.processor?.progress();
      if (progress !== undefined) tracked.progress = { ...progress };
    }
    const endedAt = Date.now();
    try {
      this.#noteState(tracked, state);
      this.#o.db.endSession(tracked.id, {
        state,
        endedAt,
        error: message,
        summary: summary === undefined ? null : JSON.stringify(summary),
      });
    } catch (dbError) {
      this.#o.logger.error({ sessionId: tracked.id, err: dbError }, 'cannot record the end of a session');
    }
    tracked.ended = true;
    tracked.session = undefined;
    tracked.hub.publish({
      kind: 'end',
      data: { state, error: message, signals: tracked.lastSeq, endedAt: new Date(endedAt).toISOString() },
    });
    this.#o.logger.info({ sessionId: tracked.id, state, signals: tracked.lastSeq }, 'session ended');
    if (session !== undefined) {
      session.shutdown().catch((e: unknown) => {
        this.#o.logger.warn({ sessionId: tracked.id, err: e }, 'session shutdown failed');
      });
    }
    this.#recentEnded.push(tracked.id);
    while (this.#recentEnded.length > RECENT_ENDED) {
      const old = this.#recentEnded.shift();
      if (old !== undefined) this.#tracked.delete(old);
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

  /**
   * Stops a running session (teardown runs) and resolves when it has ended.
   * @throws ServiceError 404 for an unknown session, 409 when it has ended
   */
  async stop(id: string): Promise<void> {
    const tracked = this.#requireRunning(id);
    tracked.session?.stop().catch(() => undefined);
    await tracked.done;
  }

  /**
   * Adds a symbol to a running session. Resolves with false when the session trades it already.
   * @throws ServiceError 404 for an unknown session, 409 when it is not running, 422 when the
   *   session streams as many symbols as a session may
   */
  async addSymbol(id: string, symbol: string): Promise<boolean> {
    const tracked = this.#requireRunning(id);
    const session = tracked.session;
    if (session === undefined || session.state !== 'running') {
      throw new ServiceError(
        409,
        'SESSION_NOT_RUNNING',
        `Session ${id} is ${session?.state ?? tracked.state}; symbols can be added while it is running`,
      );
    }
    const { maxSymbols } = this.limits;
    if (!session.symbols.includes(symbol) && session.symbols.length >= maxSymbols) {
      throw tooLarge([
        {
          path: 'body.symbol',
          message: `the session streams ${session.symbols.length} symbols: the service's limit is ${maxSymbols} (--max-symbols, STRAT_MAX_SYMBOLS)`,
        },
      ]);
    }
    const added = await session.addSymbol(symbol);
    tracked.symbols = [...session.symbols];
    return added;
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
      tracked?.session?.getMetrics() ?? tracked?.metrics ?? summary?.metrics ?? snapshot?.metrics ?? null;
    const live = tracked?.session?.processor?.progress();
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
      const metrics = tracked.session?.getMetrics() ?? tracked.metrics;
      if (metrics !== null) out.push({ id: tracked.id, state: tracked.state, metrics });
    }
    return out;
  }

  /** Stops every running session (state `stopped`) and waits for them to end. */
  async close(): Promise<void> {
    const running = [...this.#tracked.values()].filter((t) => !t.ended);
    for (const tracked of running) tracked.session?.stop().catch(() => undefined);
    await Promise.all(running.map((t) => t.done));
  }
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
