import type { ExecutionSettings, PerformanceStats, TradeRecord } from '@strat/runtime';
import type Database from 'better-sqlite3';
import type { SessionResultRecords } from '../sessions/results/session-result-records';

/**
 * The tables of paper results (schema 2). Per session: the total's stats; per strategy (in config
 * order, `position`) its settings, stats, unfilled count, open positions and row counts; the
 * trades (numbered from 1 per session, strategy by strategy) and the equity rows (numbered from 0
 * per strategy). Stats are JSON, so an Infinity (a profit factor without losses) reads back as null.
 */
export const RESULTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS session_results (
  session_id TEXT PRIMARY KEY REFERENCES sessions (id),
  total TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS strategy_results (
  session_id TEXT NOT NULL REFERENCES sessions (id),
  position INTEGER NOT NULL,
  strategy TEXT NOT NULL,
  settings TEXT NOT NULL,
  stats TEXT NOT NULL,
  unfilled INTEGER NOT NULL,
  open_positions TEXT NOT NULL,
  trade_count INTEGER NOT NULL,
  equity_rows INTEGER NOT NULL,
  PRIMARY KEY (session_id, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS trades (
  session_id TEXT NOT NULL REFERENCES sessions (id),
  seq INTEGER NOT NULL,
  position INTEGER NOT NULL,
  symbol TEXT NOT NULL,
  side TEXT NOT NULL,
  quantity REAL NOT NULL,
  entry_time REAL NOT NULL,
  entry_price REAL NOT NULL,
  exit_time REAL NOT NULL,
  exit_price REAL NOT NULL,
  gross_pnl REAL NOT NULL,
  commission REAL NOT NULL,
  net_pnl REAL NOT NULL,
  bars_held INTEGER NOT NULL,
  mae REAL NOT NULL,
  mfe REAL NOT NULL,
  PRIMARY KEY (session_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS trades_by_strategy ON trades (session_id, position, seq);
CREATE TABLE IF NOT EXISTS equity (
  session_id TEXT NOT NULL REFERENCES sessions (id),
  position INTEGER NOT NULL,
  row INTEGER NOT NULL,
  time REAL NOT NULL,
  equity REAL NOT NULL,
  cash REAL NOT NULL,
  exposure REAL NOT NULL,
  PRIMARY KEY (session_id, position, row)
) WITHOUT ROWID;
`;

/** Stats as stored: JSON, so an Infinity reads back as null. */
export type StoredStats = { [K in keyof PerformanceStats]: number | null };

/** One strategy's stored results, without its rows. */
export interface StoredStrategyResult {
  position: number;
  strategy: string;
  settings: ExecutionSettings;
  /** Infinity reads back as null. */
  stats: StoredStats;
  unfilled: number;
  openPositions: Record<string, number>;
  tradeCount: number;
  equityRows: number;
}

/** A session's stored results, without rows. */
export interface StoredResults {
  strategies: StoredStrategyResult[];
  total: StoredStats;
}

/** A stored trade with its session-wide number. */
export type StoredTrade = { seq: number } & TradeRecord;

/** A stored equity row. */
export interface StoredEquityRow {
  strategy: string;
  time: number;
  equity: number;
  cash: number;
  exposure: number;
}

const TRADE_COLUMNS = `seq, position, symbol, side, quantity, entry_time AS entryTime, entry_price AS entryPrice,
  exit_time AS exitTime, exit_price AS exitPrice, gross_pnl AS grossPnl, commission, net_pnl AS netPnl,
  bars_held AS barsHeld, mae, mfe`;

/** Reads and writes the results tables on the service's connection (the caller holds the transaction). */
export class ResultsStore {
  readonly #db: Database.Database;
  readonly #insertTotal: Database.Statement;
  readonly #insertStrategy: Database.Statement;
  readonly #insertTrade: Database.Statement;
  readonly #insertEquity: Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#insertTotal = db.prepare('INSERT INTO session_results (session_id, total) VALUES (?, ?)');
    this.#insertStrategy = db.prepare(
      `INSERT INTO strategy_results (session_id, position, strategy, settings, stats, unfilled, open_positions,
        trade_count, equity_rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insertTrade = db.prepare(
      `INSERT INTO trades (session_id, seq, position, symbol, side, quantity, entry_time, entry_price, exit_time,
        exit_price, gross_pnl, commission, net_pnl, bars_held, mae, mfe)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#insertEquity = db.prepare(
      'INSERT INTO equity (session_id, position, row, time, equity, cash, exposure) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
  }

  /** Writes a session's results (call inside a transaction). */
  save(sessionId: string, results: SessionResultRecords): void {
    this.#insertTotal.run(sessionId, JSON.stringify(results.total));
    let seq = 1;
    results.strategies.forEach((s, position) => {
      this.#insertStrategy.run(
        sessionId,
        position,
        s.strategy,
        JSON.stringify(s.settings),
        JSON.stringify(s.stats),
        s.unfilled,
        JSON.stringify(s.openPositions),
        s.trades.length,
        s.equity.time.length,
      );
      for (const t of s.trades) {
        this.#insertTrade.run(
          sessionId,
          seq++,
          position,
          t.symbol,
          t.side,
          t.quantity,
          t.entryTime,
          t.entryPrice,
          t.exitTime,
          t.exitPrice,
          t.grossPnl,
          t.commission,
          t.netPnl,
          t.barsHeld,
          t.mae,
          t.mfe,
        );
      }
      const { time, equity, cash, exposure } = s.equity;
      for (let row = 0; row < time.length; row++) {
        this.#insertEquity.run(sessionId, position, row, time[row], equity[row], cash[row], exposure[row]);
      }
    });
  }

  /** A session's results without rows, or undefined when none were stored. */
  get(sessionId: string): StoredResults | undefined {
    const total = this.#db.prepare('SELECT total FROM session_results WHERE session_id = ?').get(sessionId) as
      | { total: string }
      | undefined;
    if (total === undefined) return undefined;
    const rows = this.#db
      .prepare(
        `SELECT position, strategy, settings, stats, unfilled, open_positions AS openPositions,
          trade_count AS tradeCount, equity_rows AS equityRows
          FROM strategy_results WHERE session_id = ? ORDER BY position`,
      )
      .all(sessionId) as (Omit<StoredStrategyResult, 'settings' | 'stats' | 'openPositions'> & {
      settings: string;
      stats: string;
      openPositions: string;
    })[];
    return {
      strategies: rows.map((r) => ({
        ...r,
        settings: JSON.parse(r.settings) as ExecutionSettings,
        stats: JSON.parse(r.stats) as StoredStats,
        openPositions: JSON.parse(r.openPositions) as Record<string, number>,
      })),
      total: JSON.parse(total.total) as StoredStats,
    };
  }

  /** Trades numbered above `after`, in order, at most `limit`; only strategy `position` when given. */
  listTrades(
    sessionId: string,
    names: readonly string[],
    options: { position?: number; after: number; limit: number },
  ): StoredTrade[] {
    const rows = (
      options.position === undefined
        ? this.#db
            .prepare(
              `SELECT ${TRADE_COLUMNS} FROM trades WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
            )
            .all(sessionId, options.after, options.limit)
        : this.#db
            .prepare(
              `SELECT ${TRADE_COLUMNS} FROM trades WHERE session_id = ? AND position = ? AND seq > ? ORDER BY seq LIMIT ?`,
            )
            .all(sessionId, options.position, options.after, options.limit)
    ) as (Omit<StoredTrade, 'strategy'> & { position: number })[];
    return rows.map(({ position, seq, ...trade }) => ({
      seq,
      strategy: names[position] as string,
      ...trade,
    }));
  }

  /**
   * The equity rows of strategy `position`, in time order: every one, or with `every` > 1 the rows
   * numbered 0, every, 2 * every, ... and the last.
   */
  listEquity(sessionId: string, strategy: StoredStrategyResult, every: number): StoredEquityRow[] {
    const rows = this.#db
      .prepare(
        `SELECT time, equity, cash, exposure FROM equity
          WHERE session_id = ? AND position = ? AND (row % ? = 0 OR row = ?) ORDER BY row`,
      )
      .all(sessionId, strategy.position, every, strategy.equityRows - 1) as Omit<
      StoredEquityRow,
      'strategy'
    >[];
    return rows.map((row) => ({ strategy: strategy.strategy, ...row }));
  }
}
