import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { StratError } from '@strat/core';
import Database from 'better-sqlite3';
import type { SessionResultRecords } from '../sessions/results/session-result-records';
import { RESULTS_SCHEMA, ResultsStore } from './results-store';
import { SWEEP_SCHEMA, SweepStore } from './sweep-store';

/** Where a session is, as the service records it: a runtime `SessionState`, or `interrupted`. */
export type StoredSessionState =
  | 'created'
  | 'starting'
  | 'running'
  | 'stopping'
  | 'completed'
  | 'stopped'
  | 'failed'
  | 'interrupted';

/** States of a session that has not ended. */
export const ACTIVE_STATES: readonly StoredSessionState[] = ['created', 'starting', 'running', 'stopping'];

/** One row of the `sessions` table. */
export interface StoredSession {
  id: string;
  /** The `session_configs/` file it was started from, if any. */
  name: string | null;
  mode: string;
  /** The validated config (defaults applied, secrets redacted), as JSON. */
  config: string;
  state: StoredSessionState;
  error: string | null;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms; null while the session runs. */
  endedAt: number | null;
  /** Signals stored, which is also the newest signal's sequence number. */
  signalCount: number;
  /** The `SessionSummary` as JSON, once the session ended. */
  summary: string | null;
  /** The newest metrics and progress snapshot as JSON (kept while running, for interrupted sessions). */
  snapshot: string | null;
}

/** One stored signal: its session-wide sequence number and the stamped signal as JSON. */
export interface StoredSignal {
  seq: number;
  /** The runtime's `StampedSignal`, serialised with its fixed key order. */
  json: string;
}

/** One stored paper fill: its session-wide sequence number, the newest signal stored before it, and the fill as JSON. */
export interface StoredFill {
  seq: number;
  /** The sequence number of the newest signal stored before this fill (0: none): where it falls among the signals. */
  afterSignal: number;
  /** The runtime's `Fill` as JSON. */
  json: string;
}

/** What the service writes for a new session. */
export interface NewSession {
  id: string;
  name: string | null;
  mode: string;
  config: string;
  createdAt: number;
}

/**
 * 1: sessions and signals. 2: paper fills and results. 3: parameter sweeps. Each version adds tables
 * only: an older file gains them on opening.
 */
const SCHEMA_VERSION = 3;
/** The file name of the database inside the data dir. */
export const DATABASE_FILE = 'service.db';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY,
  name TEXT,
  mode TEXT NOT NULL,
  config TEXT NOT NULL,
  state TEXT NOT NULL,
  error TEXT,
  created_at INTEGER NOT NULL,
  ended_at INTEGER,
  signal_count INTEGER NOT NULL DEFAULT 0,
  summary TEXT,
  snapshot TEXT
);
CREATE INDEX IF NOT EXISTS sessions_by_created ON sessions (created_at);
CREATE TABLE IF NOT EXISTS signals (
  session_id TEXT NOT NULL REFERENCES sessions (id),
  seq INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS fills (
  session_id TEXT NOT NULL REFERENCES sessions (id),
  seq INTEGER NOT NULL,
  after_signal INTEGER NOT NULL,
  body TEXT NOT NULL,
  PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
${RESULTS_SCHEMA}${SWEEP_SCHEMA}`;

const SESSION_COLUMNS = `id, name, mode, config, state, error, created_at AS createdAt, ended_at AS endedAt,
  signal_count AS signalCount, summary, snapshot`;

/**
 * The service's SQLite database (better-sqlite3) under the data dir: sessions, their signals, paper
 * fills and results.
 *
 * Durability: WAL with `synchronous = FULL`, so a committed transaction is on disk before the call
 * returns, and the service commits every signal before it sends it to any client. The connection
 * holds an exclusive lock, so a second service on the same data dir fails at start instead of
 * assigning the same sequence numbers twice; the OS releases it when the process dies.
 */
export class ServiceDatabase {
  readonly path: string;
  readonly #db: Database.Database;
  readonly #insertSignal: Database.Statement<[string, number, string]>;
  readonly #setSignalCount: Database.Statement<[number, string]>;
  readonly #selectSignals: Database.Statement<[string, number, number], StoredSignal>;
  readonly #appendSignals: (sessionId: string, firstSeq: number, bodies: readonly string[]) => void;
  readonly #insertFill: Database.Statement<[string, number, number, string]>;
  readonly #selectFills: Database.Statement<[string, number, number], StoredFill>;
  readonly #appendFills: (
    sessionId: string,
    firstSeq: number,
    afterSignal: number,
    bodies: readonly string[],
  ) => void;
  readonly #results: ResultsStore;
  readonly #sweeps: SweepStore;
  readonly #endSession: (
    id: string,
    end: { state: StoredSessionState; endedAt: number; error: string | null; summary: string | null },
    results: SessionResultRecords | undefined,
  ) => void;

  /** Opens (creating if needed) `<dataDir>/service.db`. @throws StratError when the file cannot be opened or is in use */
  constructor(dataDir: string) {
    try {
      mkdirSync(dataDir, { recursive: true });
    } catch (error) {
      throw new StratError('DATA_DIR_UNUSABLE', `Cannot create the data dir ${dataDir}: ${String(error)}`, {
        cause: error,
      });
    }
    this.path = join(dataDir, DATABASE_FILE);
    try {
      this.#db = new Database(this.path, { timeout: 1000 });
      // Exclusive locking before WAL: the WAL index then lives in process memory, not a shared file.
      this.#db.pragma('locking_mode = EXCLUSIVE');
      this.#db.pragma('journal_mode = WAL');
      this.#db.pragma('synchronous = FULL');
      this.#db.pragma('foreign_keys = ON');
      this.#migrate();
    } catch (error) {
      const busy = (error as { code?: string }).code === 'SQLITE_BUSY';
      throw new StratError(
        busy ? 'DATA_DIR_IN_USE' : 'DATABASE_UNUSABLE',
        busy
          ? `The database ${this.path} is in use by another process (is another service running on this data dir?)`
          : `Cannot open the database ${this.path}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    this.#insertSignal = this.#db.prepare('INSERT INTO signals (session_id, seq, body) VALUES (?, ?, ?)');
    this.#setSignalCount = this.#db.prepare('UPDATE sessions SET signal_count = ? WHERE id = ?');
    this.#selectSignals = this.#db.prepare(
      'SELECT seq, body AS json FROM signals WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.#appendSignals = this.#db.transaction(
      (sessionId: string, firstSeq: number, bodies: readonly string[]) => {
        let seq = firstSeq;
        for (const body of bodies) this.#insertSignal.run(sessionId, seq++, body);
        this.#setSignalCount.run(seq - 1, sessionId);
      },
    );
    this.#insertFill = this.#db.prepare(
      'INSERT INTO fills (session_id, seq, after_signal, body) VALUES (?, ?, ?, ?)',
    );
    this.#selectFills = this.#db.prepare(
      'SELECT seq, after_signal AS afterSignal, body AS json FROM fills WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    this.#appendFills = this.#db.transaction(
      (sessionId: string, firstSeq: number, afterSignal: number, bodies: readonly string[]) => {
        let seq = firstSeq;
        for (const body of bodies) this.#insertFill.run(sessionId, seq++, afterSignal, body);
      },
    );
    this.#results = new ResultsStore(this.#db);
    this.#sweeps = new SweepStore(this.#db);
    const updateEnd = this.#db.prepare(
      'UPDATE sessions SET state = ?, ended_at = ?, error = ?, summary = ? WHERE id = ?',
    );
    this.#endSession = this.#db.transaction(
      (
        id: string,
        end: { state: StoredSessionState; endedAt: number; error: string | null; summary: string | null },
        results: SessionResultRecords | undefined,
      ) => {
        updateEnd.run(end.state, end.endedAt, end.error, end.summary, id);
        if (results !== undefined) this.#results.save(id, results);
      },
    );
  }

  #migrate(): void {
    const version = this.#db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `it was written by a newer service (schema ${version}, this one knows ${SCHEMA_VERSION})`,
      );
    }
    this.#db.exec(SCHEMA);
    this.#db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }

  /** Records a new session in state `created`. */
  insertSession(session: NewSession): void {
    this.#db
      .prepare(
        `INSERT INTO sessions (id, name, mode, config, state, created_at) VALUES (?, ?, ?, ?, 'created', ?)`,
      )
      .run(session.id, session.name, session.mode, session.config, session.createdAt);
  }

  /** Moves a session to `state` (for the states a running session passes through). */
  updateState(id: string, state: StoredSessionState): void {
    this.#db.prepare('UPDATE sessions SET state = ? WHERE id = ?').run(state, id);
  }

  /** Keeps the newest metrics and progress of a running session. */
  saveSnapshot(id: string, snapshot: string): void {
    this.#db.prepare('UPDATE sessions SET snapshot = ? WHERE id = ?').run(snapshot, id);
  }

  /** Records how a session ended and, when it had paper execution, its results: in one transaction. */
  endSession(
    id: string,
    end: { state: StoredSessionState; endedAt: number; error: string | null; summary: string | null },
    results?: SessionResultRecords,
  ): void {
    this.#endSession(id, end, results);
  }

  /** The parameter sweeps' tables. */
  get sweeps(): SweepStore {
    return this.#sweeps;
  }

  /** The paper results tables (read; they are written by {@link endSession}). */
  get results(): ResultsStore {
    return this.#results;
  }

  /**
   * Stores fills with the sequence numbers `firstSeq`, `firstSeq + 1`, ... after signal `afterSignal`
   * in one transaction: when this returns they are durable.
   */
  appendFills(sessionId: string, firstSeq: number, afterSignal: number, bodies: readonly string[]): void {
    if (bodies.length > 0) this.#appendFills(sessionId, firstSeq, afterSignal, bodies);
  }

  /** Fills of a session with a sequence number above `after`, oldest first, at most `limit`. */
  listFills(sessionId: string, after: number, limit: number): StoredFill[] {
    return this.#selectFills.all(sessionId, after, limit);
  }

  /** The newest fill's sequence number of a session (0: none). */
  lastFillSeq(sessionId: string): number {
    const row = this.#db.prepare('SELECT MAX(seq) AS seq FROM fills WHERE session_id = ?').get(sessionId) as {
      seq: number | null;
    };
    return row.seq ?? 0;
  }

  /** How many fills came before signal `signalSeq` (were stored before it): a stream resuming after that signal skips them. */
  fillsBeforeSignal(sessionId: string, signalSeq: number): number {
    const row = this.#db
      .prepare('SELECT MAX(seq) AS seq FROM fills WHERE session_id = ? AND after_signal < ?')
      .get(sessionId, signalSeq) as { seq: number | null };
    return row.seq ?? 0;
  }

  /**
   * Stores signals with the sequence numbers `firstSeq`, `firstSeq + 1`, ... in one transaction:
   * when this returns they are durable.
   */
  appendSignals(sessionId: string, firstSeq: number, bodies: readonly string[]): void {
    if (bodies.length > 0) this.#appendSignals(sessionId, firstSeq, bodies);
  }

  /** Signals of a session with a sequence number above `after`, oldest first, at most `limit`. */
  listSignals(sessionId: string, after: number, limit: number): StoredSignal[] {
    return this.#selectSignals.all(sessionId, after, limit);
  }

  /** One session, or undefined. */
  getSession(id: string): StoredSession | undefined {
    return this.#db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ?`).get(id) as
      | StoredSession
      | undefined;
  }

  /** Sessions newest first, optionally only those in `state`. */
  listSessions(options: { limit: number; state?: StoredSessionState }): StoredSession[] {
    if (options.state === undefined) {
      return this.#db
        .prepare(`SELECT ${SESSION_COLUMNS} FROM sessions ORDER BY created_at DESC, id LIMIT ?`)
        .all(options.limit) as StoredSession[];
    }
    return this.#db
      .prepare(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE state = ? ORDER BY created_at DESC, id LIMIT ?`)
      .all(options.state, options.limit) as StoredSession[];
  }

  /** How many sessions are in each state. */
  countByState(): Map<StoredSessionState, number> {
    const rows = this.#db.prepare('SELECT state, COUNT(*) AS n FROM sessions GROUP BY state').all() as {
      state: StoredSessionState;
      n: number;
    }[];
    return new Map(rows.map((r) => [r.state, r.n]));
  }

  /**
   * Marks the sessions a previous process left active as `interrupted` (it died or was killed while
   * they ran). Their signals stay. Returns how many there were.
   */
  markInterrupted(endedAt: number): number {
    const placeholders = ACTIVE_STATES.map(() => '?').join(', ');
    return this.#db
      .prepare(
        `UPDATE sessions SET state = 'interrupted', ended_at = ?, error = ? WHERE state IN (${placeholders})`,
      )
      .run(endedAt, 'the service stopped while this session was running', ...ACTIVE_STATES).changes;
  }

  /** Closes the connection (and its lock). */
  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
