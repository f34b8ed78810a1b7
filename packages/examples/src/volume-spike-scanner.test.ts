import { type BarInput, barSeriesFromBars } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { configIssuesOf } from './testing/config-issues-of';
import { FakeSession } from './testing/fake-session';
import { type VolumeSpikeConfig, VolumeSpikeScanner } from './volume-spike-scanner';

function withVolumes(volumes: number[]): BarInput[] {
  return volumes.map((volume, i) => ({ time: i * 60_000, open: 10, high: 10, low: 10, close: 10, volume }));
}

function scanner(config: VolumeSpikeConfig, session: FakeSession): VolumeSpikeScanner {
  const s = new VolumeSpikeScanner('spikes', config);
  expect(s.setup(session)).toBe(true);
  return s;
}

describe('VolumeSpikeScanner', () => {
  it('returns only the symbol whose newest volume spikes', () => {
    const session = new FakeSession()
      .setSeries(barSeriesFromBars('SPIKE', '1m', withVolumes([100, 100, 100, 100, 1000])))
      .setSeries(barSeriesFromBars('CALM', '1m', withVolumes([100, 100, 100, 100, 110])))
      .setSeries(barSeriesFromBars('SPIKE', '5m', withVolumes([1, 1, 1, 1, 1])));
    const s = scanner({ universe: ['CALM', 'SPIKE', 'NO_DATA'], lookback: 4, multiple: 3 }, session);
    expect(s.scan(session)).toEqual(['SPIKE']);
  });

  it('needs strictly more than multiple times the mean of the lookback bars before the newest', () => {
    const at = (volumes: number[]) => {
      const session = new FakeSession().setSeries(barSeriesFromBars('A', '1m', withVolumes(volumes)));
      return scanner({ universe: ['A'], lookback: 2, multiple: 3 }, session).scan(session);
    };
    expect(at([100, 300, 600])).toEqual([]); // 600 = 3 x 200
    expect(at([100, 300, 601])).toEqual(['A']);
    // a big bar older than the lookback does not count
    expect(at([100_000, 100, 300, 601])).toEqual(['A']);
    // too few bars to judge
    expect(at([100, 601])).toEqual([]);
  });

  it('uses the configured interval', () => {
    const session = new FakeSession().setSeries(barSeriesFromBars('A', '5m', withVolumes([1, 1, 50])));
    expect(scanner({ universe: ['A'], lookback: 2, interval: '5m' }, session).scan(session)).toEqual(['A']);
    expect(scanner({ universe: ['A'], lookback: 2 }, session).scan(session)).toEqual([]);
  });

  it.each<[string, VolumeSpikeConfig, string]>([
    ['no universe', {} as VolumeSpikeConfig, 'universe'],
    ['a zero lookback', { universe: ['A'], lookback: 0 }, 'lookback'],
    ['a zero multiple', { universe: ['A'], multiple: 0 }, 'multiple'],
    ['a bad interval', { universe: ['A'], interval: 'daily' as never }, 'interval'],
  ])('refuses %s, saying where', (_, config, path) => {
    expect(configIssuesOf(() => new VolumeSpikeScanner('spikes', config)).map((i) => i.path)).toEqual([path]);
  });
});
