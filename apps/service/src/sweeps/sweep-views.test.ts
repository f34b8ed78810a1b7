import { describe, expect, it } from 'vitest';
import type { StoredSweep, StoredSweepRow } from '../store/sweep-store';
import { rankStoredRows, sweepDetail, sweepView } from './sweep-views';

function row(
  seq: number,
  index: number,
  stats: Record<string, number | null> | null,
  extra: Partial<StoredSweepRow> = {},
): StoredSweepRow {
  return {
    seq,
    index,
    window: null,
    phase: null,
    combination: JSON.stringify({ 'a.k': index }),
    stats: stats === null ? null : JSON.stringify(stats),
    signals: stats === null ? null : 10,
    error: stats === null ? 'the session ended failed' : null,
    ms: 5,
    ...extra,
  };
}

const spec = {
  params: [{ strategy: 'a', key: 'k', values: [0, 1, 2] }],
  objective: 'profitFactor',
  minimize: false,
  top: null,
  workers: 1,
  random: null,
  seed: 1,
  walkForward: null,
};

function stored(extra: Partial<StoredSweep> = {}): StoredSweep {
  return {
    id: 's',
    name: null,
    config: '{}',
    spec: JSON.stringify(spec),
    state: 'completed',
    error: null,
    total: 4,
    createdAt: 0,
    startedAt: 1000,
    endedAt: 5000,
    rowCount: 3,
    steps: null,
    ...extra,
  };
}

describe('sweep views', () => {
  it('ranks by the objective with a profit factor without losses (stored as null) first, failed rows last', () => {
    const rows = [row(1, 2, null), row(2, 0, { profitFactor: 1.5 }), row(3, 1, { profitFactor: null })];
    const ranked = rankStoredRows(rows, 'profitFactor', false);
    expect(ranked.map((r) => [r.rank, r.index])).toEqual([
      [1, 1],
      [2, 0],
      [3, 2],
    ]);
    expect(ranked[0]?.stats).toEqual({ profitFactor: null });
    expect(ranked[2]?.error).toBe('the session ended failed');
    expect(rankStoredRows(rows, 'profitFactor', true).map((r) => r.index)).toEqual([0, 1, 2]);
  });

  it('ranks walk-forward rows within each window and phase, windows in order', () => {
    const wf = (seq: number, index: number, sharpe: number, window: number, phase: 'train' | 'test') =>
      row(seq, index, { sharpe }, { window, phase });
    const ranked = rankStoredRows(
      [wf(1, 0, 1, 1, 'train'), wf(2, 1, 2, 0, 'train'), wf(3, 1, 0.5, 0, 'test'), wf(4, 0, 3, 0, 'train')],
      'sharpe',
      false,
    );
    expect(ranked.map((r) => `${r.window}${r.phase}${r.index}#${r.rank}`)).toEqual([
      '0train0#1',
      '0train1#2',
      '0test1#1',
      '1train0#1',
    ]);
  });

  it('gives progress, ETA while running, the best, the errors and the top rows', () => {
    const rows = [row(1, 2, null), row(2, 0, { profitFactor: 1.5 }), row(3, 1, { profitFactor: 2 })];
    const now = Date.now();
    const { view } = sweepView(stored({ endedAt: null }), rows, { state: 'running', startedAt: now - 3000 });
    expect(view.progress).toMatchObject({ done: 3, total: 4, failed: 1 });
    // 1 s a row so far, 1 row left.
    expect(view.progress.etaSeconds).toBeGreaterThanOrEqual(1);
    expect(view.progress.etaSeconds).toBeLessThanOrEqual(2);
    expect(view.spec.objective).toBe('profit_factor');
    expect(view.best?.index).toBe(1);
    const detail = sweepDetail(stored(), rows, undefined, 1);
    expect(detail.progress.etaSeconds).toBeNull();
    expect(detail.rows.map((r) => r.index)).toEqual([1]);
    expect(detail.errors).toEqual([
      { index: 2, combination: { 'a.k': 2 }, error: 'the session ended failed', window: null, phase: null },
    ]);
    expect(detail.startedAt).toBe(new Date(1000).toISOString());
    // Nothing ranked: no best.
    expect(sweepView(stored(), [row(1, 0, null)], undefined).view.best).toBeNull();
  });
});
