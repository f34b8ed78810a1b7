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
});
