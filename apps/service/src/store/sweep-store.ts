import type Database from 'better-sqlite3';

/**
 * The tables of parameter sweeps (schema 3). `sweeps`: one row per sweep with its validated config
 * (secrets redacted), its spec, state and counts; `sweep_rows`: one row per finished combination,
 * numbered from 1 in the order they finished (`seq`), with the grid index, the walk-forward window
 * and phase (null for a plain sweep), the combination, the session's total stats (JSON, so an
 * Infinity reads back as null), signals, error and wall time. Each row is committed when it arrives.
 */
export const SWEEP_SCHEMA = `
CREATE TABLE IF NOT EXISTS sweeps (
  id TEXT PRIMARY KEY,
  name TEXT,
  config TEXT NOT NULL,
  spec TEXT NOT NULL,
  state TEXT NOT NULL,
  error TEXT,
  total INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  started_at INTEGER,
  ended_at INTEGER,
  row_count INTEGER NOT NULL DEFAULT 0,
  steps TEXT
);
CREATE INDEX IF NOT EXISTS sweeps_by_created ON sweeps (created_at);
CREATE TABLE IF NOT EXISTS sweep_rows (
  sweep_id TEXT NOT NULL REFERENCES sweeps (id),
  seq INTEGER NOT NULL,
  grid_index INTEGER NOT NULL,
  window INTEGER,
  phase TEXT,
  combination TEXT NOT NULL,
  stats TEXT,
  signals INTEGER,
  error TEXT,
  ms REAL,
  PRIMARY KEY (sweep_id, seq)
) WITHOUT ROWID;
`;

/** Where a sweep is: `created` (checked, about to run), `running`, `stopping`, then how it ended. */
export type StoredSweepState =
  | 'created'
  | 'running'
  | 'stopping'
  | 'completed'
  | 'stopped'
  | 'failed'
  | 'interrupted';

/** States of a sweep that has not ended. */
export const ACTIVE_SWEEP_STATES: readonly StoredSweepState[] = ['created', 'running', 'stopping'];

/** One row of the `sweeps` table. */
export interface StoredSweep {
  id: string;
  /** The `session_configs/` file it was started from, if any. */
  name: string | null;
  /** The validated config (defaults applied, secrets redacted), as JSON. */
  config: string;
  /** The sweep's spec (parameters, objective, ...) as JSON. */
  spec: string;
  state: StoredSweepState;
  error: string | null;
  /** Sessions the sweep runs in all (with walk-forward: every window's training grid and its test). */
  total: number;
  /** Epoch ms. */
  createdAt: number;
  /** Epoch ms the first combination started; null before. */
  startedAt: number | null;
  /** Epoch ms; null while the sweep runs. */
  endedAt: number | null;
  /** Rows stored: the newest row's sequence number. */
  rowCount: number;
  /** The walk-forward steps as JSON, once a walk-forward sweep ended. */
  steps: string | null;
}

/** One finished combination as stored. */
export interface StoredSweepRow {
  seq: number;
  index: number;
  /** The walk-forward window (from 0), or null. */
  window: number | null;
  /** `train` or `test` in a walk-forward, else null. */
  phase: 'train' | 'test' | null;
  /** JSON. */
  combination: string;
  /** The total's stats as JSON, null for a failed combination. */
  stats: string | null;
  signals: number | null;
  error: string | null;
  ms: number | null;
}

/** What the service writes for a new sweep. */
export interface NewSweep {
  id: string;
  name: string | null;
  config: string;
  spec: string;
  total: number;
  createdAt: number;
}

const SWEEP_COLUMNS = `id, name, config, spec, state, error, total, created_at AS createdAt,
  started_at AS startedAt, ended_at AS endedAt, row_count AS rowCount, steps`;

/** The sweeps' tables of the service's database. */
export class SweepStore {
  readonly #db: Database.Database;
  readonly #appendRow: (sweepId: string, row: Omit<StoredSweepRow, never>) => void;

  constructor(db: Database.Database) {
    this.#db = db;
    const insertRow = db.prepare(
      `INSERT INTO sweep_rows (sweep_id, seq, grid_index, window, phase, combination, stats, signals, error, ms)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const setCount = db.prepare('UPDATE sweeps SET row_count = ? WHERE id = ?');
    this.#appendRow = db.transaction((sweepId: string, row: StoredSweepRow) => {
      insertRow.run(
        sweepId,
        row.seq,
        row.index,
        row.window,
        row.phase,
        row.combination,
        row.stats,
        row.signals,
        row.error,
        row.ms,
      );
      setCount.run(row.seq, sweepId);
    });
  }

  /** Records a new sweep in state `created`. */
  insert(sweep: NewSweep): void {
    this.#db
      .prepare(
        `INSERT INTO sweeps (id, name, config, spec, state, total, created_at) VALUES (?, ?, ?, ?, 'created', ?, ?)`,
      )
      .run(sweep.id, sweep.name, sweep.config, sweep.spec, sweep.total, sweep.createdAt);
  }

  /** Moves a sweep to `state`; `running` also records when it started. */
  updateState(id: string, state: StoredSweepState, at: number): void {
    if (state === 'running') {
      this.#db.prepare('UPDATE sweeps SET state = ?, started_at = ? WHERE id = ?').run(state, at, id);
    } else {
      this.#db.prepare('UPDATE sweeps SET state = ? WHERE id = ?').run(state, id);
    }
  }

  /** Stores one finished combination (durable when this returns) as row `row.seq`. */
  appendRow(sweepId: string, row: StoredSweepRow): void {
    this.#appendRow(sweepId, row);
  }

  /** Records how a sweep ended. */
  end(
    id: string,
    end: { state: StoredSweepState; endedAt: number; error: string | null; steps: string | null },
  ): void {
    this.#db
      .prepare('UPDATE sweeps SET state = ?, ended_at = ?, error = ?, steps = ? WHERE id = ?')
      .run(end.state, end.endedAt, end.error, end.steps, id);
  }

  /** One sweep, or undefined. */
  get(id: string): StoredSweep | undefined {
    return this.#db.prepare(`SELECT ${SWEEP_COLUMNS} FROM sweeps WHERE id = ?`).get(id) as
      | StoredSweep
      | undefined;
  }

  /** Sweeps newest first, optionally only those in `state`. */
  list(options: { limit: number; state?: StoredSweepState }): StoredSweep[] {
    if (options.state === undefined) {
      return this.#db
        .prepare(`SELECT ${SWEEP_COLUMNS} FROM sweeps ORDER BY created_at DESC, id LIMIT ?`)
        .all(options.limit) as StoredSweep[];
    }
    return this.#db
      .prepare(`SELECT ${SWEEP_COLUMNS} FROM sweeps WHERE state = ? ORDER BY created_at DESC, id LIMIT ?`)
      .all(options.state, options.limit) as StoredSweep[];
  }

  /** Rows of a sweep with a sequence number above `after`, in the order they finished, at most `limit`. */
  rows(sweepId: string, after = 0, limit = -1): StoredSweepRow[] {
    return this.#db
      .prepare(
        `SELECT seq, grid_index AS "index", window, phase, combination, stats, signals, error, ms
         FROM sweep_rows WHERE sweep_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
      )
      .all(sweepId, after, limit) as StoredSweepRow[];
  }

  /** How many sweeps are in each state. */
  countByState(): Map<StoredSweepState, number> {
    const rows = this.#db.prepare('SELECT state, COUNT(*) AS n FROM sweeps GROUP BY state').all() as {
      state: StoredSweepState;
      n: number;
    }[];
    return new Map(rows.map((r) => [r.state, r.n]));
  }

  /** Marks the sweeps a previous process left active as `interrupted`; their rows stay. Returns how many. */
  markInterrupted(endedAt: number): number {
    const placeholders = ACTIVE_SWEEP_STATES.map(() => '?').join(', ');
    return this.#db
      .prepare(
        `UPDATE sweeps SET state = 'interrupted', ended_at = ?, error = ? WHERE state IN (${placeholders})`,
      )
      .run(endedAt, 'the service stopped while this sweep was running', ...ACTIVE_SWEEP_STATES).changes;
  }
}
