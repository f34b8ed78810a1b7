import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ServiceDatabase } from './service-database';

function sweep(id: string, createdAt: number) {
  return { id, name: null, config: '{}', spec: '{}', total: 3, createdAt };
}

function row(seq: number) {
  return {
    seq,
    index: seq - 1,
    window: null,
    phase: null,
    combination: '{}',
    stats: '{"sharpe":1}',
    signals: 2,
    error: null,
    ms: 1,
  };
}

describe('SweepStore', () => {
  it('keeps sweeps and their rows, lists newest first, and interrupts the ones left running', () => {
    const db = new ServiceDatabase(mkdtempSync(join(tmpdir(), 'strat-sweeps-')));
    const sweeps = db.sweeps;
    sweeps.insert(sweep('a', 1));
    sweeps.insert(sweep('b', 2));
    sweeps.updateState('a', 'running', 10);
    for (const seq of [1, 2, 3]) sweeps.appendRow('a', row(seq));
    expect(sweeps.get('a')).toMatchObject({ state: 'running', startedAt: 10, rowCount: 3, endedAt: null });
    expect(sweeps.rows('a', 1, 1).map((r) => r.seq)).toEqual([2]);
    expect(sweeps.rows('a').map((r) => r.index)).toEqual([0, 1, 2]);
    sweeps.end('b', { state: 'completed', endedAt: 20, error: null, steps: '[]' });
    expect(sweeps.list({ limit: 10 }).map((s) => s.id)).toEqual(['b', 'a']);
    expect(sweeps.list({ limit: 10, state: 'completed' }).map((s) => s.id)).toEqual(['b']);
    expect(sweeps.countByState()).toEqual(
      new Map([
        ['completed', 1],
        ['running', 1],
      ]),
    );
    expect(sweeps.markInterrupted(30)).toBe(1);
    expect(sweeps.get('a')).toMatchObject({
      state: 'interrupted',
      endedAt: 30,
      error: 'the service stopped while this sweep was running',
      rowCount: 3,
    });
    expect(sweeps.get('nope')).toBeUndefined();
    db.close();
  });
});
