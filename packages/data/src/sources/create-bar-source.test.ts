import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseSessionConfig } from '@strat/core';
import { parquetWriteFile } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { TradingCalendar } from '../calendar/trading-calendar';
import { checkDataConfig } from './check-data-config';
import { createBarSource } from './create-bar-source';
import { CsvBarSource } from './csv/csv-bar-source';
import { GeneratorBarSource } from './generator/generator-bar-source';
import { ParquetBarSource } from './parquet/parquet-bar-source';

const fixtures = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));

async function firstBars(
  source: ReturnType<typeof createBarSource>,
  symbol: string,
  from: number,
  to: number,
) {
  const times: number[] = [];
  for await (const chunk of source.read(symbol, from, to)) times.push(...chunk.time);
  return times;
}

describe('createBarSource', () => {
  const calendar = TradingCalendar.usEquities();
  const base = {
    mode: 'backtest',
    backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
    session_data_config: { symbols: ['AAPL'] },
  };

  it('gives the seeded generator when the config has no data section', async () => {
    const config = parseSessionConfig(base);
    const source = createBarSource(config.data_config, { calendar });
    expect(source).toBeInstanceOf(GeneratorBarSource);
    const open = Date.UTC(2024, 0, 2, 14, 30);
    const times = await firstBars(source, 'AAPL', open, open + 3 * 60_000);
    expect(times).toEqual([open, open + 60_000, open + 120_000]);
  });

  it('honours the generator settings (different seed, different bars)', async () => {
    const open = Date.UTC(2024, 0, 2, 14, 30);
    const closes = async (seed: number) => {
      const config = parseSessionConfig({ ...base, data_config: { source: 'generator', seed } });
      const source = createBarSource(config.data_config, { calendar });
      const out: number[] = [];
      for await (const c of source.read('AAPL', open, open + 10 * 60_000)) out.push(...c.close);
      return out;
    };
    expect(await closes(1)).toEqual(await closes(1));
    expect(await closes(1)).not.toEqual(await closes(2));
  });

  it('reads CSV files named relative to the config folder', async () => {
    const config = parseSessionConfig({
      ...base,
      data_config: { source: 'csv', files: [{ path: 'iso-quoted-crlf-bom.csv', symbol: 'AAPL' }] },
    });
    const source = createBarSource(config.data_config, { calendar, baseDir: fixtures });
    expect(source).toBeInstanceOf(CsvBarSource);
    const open = Date.UTC(2024, 0, 2, 14, 30);
    const times = await firstBars(source, 'AAPL', open, open + 2 * 60_000);
    expect(times).toEqual([open, open + 60_000]);
  });

  describe('Parquet files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'strat-create-parquet-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const open = Date.UTC(2024, 0, 2, 14, 30);
    parquetWriteFile({
      filename: join(dir, 'aapl.parquet'),
      columnData: [
        { name: 'timestamp', data: [new Date(open), new Date(open + 60_000)], type: 'TIMESTAMP' },
        ...['open', 'high', 'low', 'close', 'volume'].map((name) => ({
          name,
          data: [1, 1],
          type: 'DOUBLE' as const,
        })),
      ],
    });

    it('reads Parquet files named relative to the config folder', async () => {
      const config = parseSessionConfig({
        ...base,
        data_config: { source: 'parquet', files: [{ path: 'aapl.parquet', symbol: 'AAPL' }] },
      });
      const source = createBarSource(config.data_config, { calendar, baseDir: dir });
      expect(source).toBeInstanceOf(ParquetBarSource);
      expect(source.description).toBe('parquet aapl.parquet');
      expect(await firstBars(source, 'AAPL', open, open + 2 * 60_000)).toEqual([open, open + 60_000]);
    });

    it('checks every Parquet file before a session starts, naming the entry', async () => {
      const config = parseSessionConfig({
        ...base,
        session_data_config: { symbols: ['AAPL', 'MSFT'] },
        data_config: {
          source: 'parquet',
          files: [
            { path: 'aapl.parquet', symbol: 'AAPL' },
            { path: 'msft.parquet', symbol: 'MSFT' },
          ],
        },
      });
      const { issues } = await checkDataConfig(config, { calendar, baseDir: dir });
      expect(issues).toEqual([
        {
          path: 'data_config.files[1]',
          message: expect.stringMatching(/msft\.parquet: cannot open .*: no such file/),
        },
      ]);
    });
  });
});
