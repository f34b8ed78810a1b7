import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultCsvSymbol, describeReplay } from './replay-description';

const dir = mkdtempSync(join(tmpdir(), 'strat-replay-description-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('defaultCsvSymbol', () => {
  it('takes the file name in capitals, without the interval suffix strat data generate writes', () => {
    expect(defaultCsvSymbol('data/spy.csv')).toBe('SPY');
    expect(defaultCsvSymbol('data/AAPL-1m.csv')).toBe('AAPL');
    expect(defaultCsvSymbol('/x/brk-b-5m.csv')).toBe('BRK-B');
    expect(defaultCsvSymbol('es-2006.csv')).toBe('ES-2006');
  });
});

describe('describeReplay', () => {
  it('says what a config serves and where the credentials came from, never their values', () => {
    const generated = join(dir, 'generated.json');
    writeFileSync(
      generated,
      JSON.stringify({
        mode: 'live',
        live_config: { secret: 'top-secret' },
        session_data_config: { symbols: ['AAPL', 'MSFT'] },
        data_config: { source: 'generator', seed: 9 },
      }),
    );
    const description = describeReplay(generated, { key: 'flag-key', env: { STRAT_FEED_SECRET: 'env' } });
    expect(description).toEqual({
      kind: 'session config',
      bars: 'generated (seed 9)',
      symbols: undefined,
      configSymbols: ['AAPL', 'MSFT'],
      credentials: 'from --key and live_config.secret',
    });
    expect(JSON.stringify(description)).not.toContain('top-secret');

    const csv = join(dir, 'csv.json');
    writeFileSync(
      csv,
      JSON.stringify({
        mode: 'backtest',
        backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
        session_data_config: { symbols: ['A', 'B'] },
        data_config: {
          source: 'csv',
          files: [
            { path: 'a.csv', symbol: 'A' },
            { path: 'b.csv', symbol: 'B' },
          ],
        },
      }),
    );
    expect(describeReplay(csv, { env: { STRAT_FEED_KEY: 'k', STRAT_FEED_SECRET: 's' } })).toMatchObject({
      bars: '2 CSV files of its data_config',
      symbols: ['A', 'B'],
      credentials: 'from STRAT_FEED_KEY and STRAT_FEED_SECRET',
    });
    expect(describeReplay('data/QQQ-1m.csv', { secret: 's', env: { STRAT_FEED_KEY: 'k' } })).toEqual({
      kind: 'CSV file',
      bars: 'the rows of QQQ-1m.csv',
      symbols: ['QQQ'],
      configSymbols: [],
      credentials: 'from STRAT_FEED_KEY and --secret',
    });
  });
});
