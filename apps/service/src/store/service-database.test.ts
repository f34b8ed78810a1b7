import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE, ServiceDatabase } from './service-database';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strat-db-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const session = (id: string, createdAt: number) => ({
  id,
  name: null,
  mode: 'backtest',
  config: '{}',
  createdAt,
});

describe('ServiceDatabase', () => {
  it('stores signals under consecutive sequence numbers and pages them', () => {
    const db = new ServiceDatabase(dataDir());
    db.insertSession(session('a', 1));
    db.appendSignals('a', 1, ['{"n":1}', '{"n":2}']);
    db.appendSignals('a', 3, ['{"n":3}']);
    expect(db.getSession('a')?.signalCount).toBe(3);
    expect(db.listSignals('a', 0, 2)).toEqual([
      { seq: 1, json: '{"n":1}' },
      { seq: 2, json: '{"n":2}' },
    ]);
    expect(db.listSignals('a', 2, 10)).toEqual([{ seq: 3, json: '{"n":3}' }]);
    expect(() => db.appendSignals('a', 3, ['{"again":true}'])).toThrow(/UNIQUE/);
    expect(db.getSession('a')?.signalCount).toBe(3);
    db.close();
  });

  it('uses WAL with synchronous FULL', () => {
    const dir = dataDir();
    const db = new ServiceDatabase(dir);
    db.close();
    const raw = new Database(join(dir, DATABASE_FILE));
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('keeps history across reopening and marks sessions left active as interrupted', () => {
    const dir = dataDir();
    const db = new ServiceDatabase(dir);
    db.insertSession(session('done', 1));
    db.endSession('done', { state: 'completed', endedAt: 5, error: null, summary: '{"signals":1}' });
    db.insertSession(session('running', 2));
    db.updateState('running', 'running');
    db.appendSignals('running', 1, ['{"n":1}']);
    db.close();

    const reopened = new ServiceDatabase(dir);
    expect(reopened.markInterrupted(99)).toBe(1);
    expect(reopened.getSession('running')).toMatchObject({
      state: 'interrupted',
      endedAt: 99,
      signalCount: 1,
    });
    expect(reopened.getSession('done')).toMatchObject({
      state: 'completed',
      endedAt: 5,
      summary: '{"signals":1}',
    });
    expect(reopened.listSignals('running', 0, 10)).toHaveLength(1);
    expect(reopened.listSessions({ limit: 10 }).map((s) => s.id)).toEqual(['running', 'done']);
    expect(reopened.listSessions({ limit: 10, state: 'completed' }).map((s) => s.id)).toEqual(['done']);
    expect([...reopened.countByState()]).toEqual(
      expect.arrayContaining([
        ['completed', 1],
        ['interrupted', 1],
      ]),
    );
    reopened.close();
  });

  it('holds the data dir exclusively while open', () => {
    const dir = dataDir();
    const db = new ServiceDatabase(dir);
    expect(() => new ServiceDatabase(dir)).toThrow(expect.objectContaining({ code: 'DATA_DIR_IN_USE' }));
    db.close();
    new ServiceDatabase(dir).close();
  });
  it('stores fills after the newest signal and finds where a stream resuming after a signal starts', () => {
    const db = new ServiceDatabase(dataDir());
    db.insertSession(session('a', 1));
    db.appendFills('a', 1, 0, ['{"f":1}']);
    db.appendSignals('a', 1, ['{"n":1}', '{"n":2}']);
    db.appendFills('a', 2, 2, ['{"f":2}', '{"f":3}']);
    expect(db.listFills('a', 1, 10)).toEqual([
      { seq: 2, afterSignal: 2, json: '{"f":2}' },
      { seq: 3, afterSignal: 2, json: '{"f":3}' },
    ]);
    expect(db.lastFillSeq('a')).toBe(3);
    expect(db.lastFillSeq('b')).toBe(0);
    expect([0, 1, 2, 3].map((seq) => db.fillsBeforeSignal('a', seq))).toEqual([0, 1, 1, 3]);
  });

  it('opens a file of schema 1 and adds the fills, results and sweep tables, keeping what it holds', () => {
    const dir = dataDir();
    const old = new Database(join(dir, DATABASE_FILE));
    old.exec(`CREATE TABLE sessions (id TEXT PRIMARY KEY, name TEXT, mode TEXT NOT NULL, config TEXT NOT NULL,
      state TEXT NOT NULL, error TEXT, created_at INTEGER NOT NULL, ended_at INTEGER,
      signal_count INTEGER NOT NULL DEFAULT 0, summary TEXT, snapshot TEXT);
      CREATE TABLE signals (session_id TEXT NOT NULL REFERENCES sessions (id), seq INTEGER NOT NULL,
      body TEXT NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID;
      INSERT INTO sessions (id, mode, config, state, created_at, signal_count) VALUES ('old', 'backtest', '{}', 'completed', 1, 1);
      INSERT INTO signals VALUES ('old', 1, '{"n":1}');
      PRAGMA user_version = 1;`);
    old.close();
    const db = new ServiceDatabase(dir);
    expect(db.listSignals('old', 0, 10)).toEqual([{ seq: 1, json: '{"n":1}' }]);
    expect(db.results.get('old')).toBeUndefined();
    expect(db.lastFillSeq('old')).toBe(0);
    expect(db.sweeps.list({ limit: 10 })).toEqual([]);
    db.close();
    const check = new Database(join(dir, DATABASE_FILE), { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(3);
    check.close();
  });
});
