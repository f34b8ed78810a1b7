import { PERFORMANCE_METRICS, type PerformanceStats, type SweepRow } from '@strat/runtime';
import { describe, expect, it } from 'vitest';
import { heatmapCells, renderSweepReport, type SweepReportInput } from './sweep-report';

const stats = (sharpe: number, maxDrawdown = 0.1): PerformanceStats => ({
  ...(Object.fromEntries(PERFORMANCE_METRICS.map((k) => [k, 0])) as unknown as PerformanceStats),
  sharpe,
  maxDrawdown,
});

const rows: SweepRow[] = [
  { index: 0, combination: { 'a.x': 1, 'a.y': 10, 'a.z': true }, stats: stats(1, 0.3) },
  { index: 1, combination: { 'a.x': 1, 'a.y': 10, 'a.z': false }, stats: stats(2, 0.2) },
  { index: 2, combination: { 'a.x': 2, 'a.y': 10, 'a.z': true }, stats: stats(0.5, 0.1) },
  { index: 3, combination: { 'a.x': 2, 'a.y': 10, 'a.z': false }, error: 'boom' },
  { index: 4, combination: { 'a.x': 1, 'a.y': 20, 'a.z': true }, stats: stats(-1, 0.05) },
];

function input(minimize = false, objective: 'sharpe' | 'maxDrawdown' = 'sharpe'): SweepReportInput {
  return {
    config: 'c.json',
    objective,
    minimize,
    keys: ['a.x', 'a.y', 'a.z'],
    values: { 'a.x': [1, 2], 'a.y': [10, 20], 'a.z': [true, false] },
    rows,
    combinations: 8,
    top: 10,
  };
}

describe('the sweep report', () => {
  it('puts the best objective over the other parameters in each cell, none where nothing finished', () => {
    const cells = heatmapCells(input(), 'a.x', 'a.y');
    expect(cells.map((line) => line.map((c) => c.value))).toEqual([
      [2, 0.5],
      [-1, undefined],
    ]);
    expect(cells[0]?.[0]?.row?.index).toBe(1);
    // Lower is better: the least drawdown wins the cell.
    const least = heatmapCells(input(true, 'maxDrawdown'), 'a.x', 'a.y');
    expect(least[0]?.map((c) => c.value)).toEqual([0.2, 0.1]);
  });

  it('renders one page without scripts: the heatmap, the top rows and the failed ones', () => {
    const html = renderSweepReport(input());
    expect(html).toContain("content=\"default-src 'none'; style-src 'unsafe-inline'\"");
    expect(html).not.toContain('<script');
    expect(html).toContain('4 of 8 combinations finished, ranked by sharpe');
    expect(html.match(/<td class="h\d"/g)).toHaveLength(3);
    // Best green (h8), worst red (h0).
    expect(html).toMatch(/<td class="h8" title="a\.x=1 a\.y=10 a\.z=false">2<\/td>/);
    expect(html).toMatch(/<td class="h0" title="a\.x=1 a\.y=20 a\.z=true">-1<\/td>/);
    expect(html).toContain('failed: boom');
    const single = renderSweepReport({ ...input(), keys: ['a.x'] });
    expect(single).toContain('One parameter swept: no heatmap');
  });
});
