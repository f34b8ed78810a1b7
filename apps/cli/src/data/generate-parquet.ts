import { renameSync, rmSync } from 'node:fs';
import type { BarChunk } from '@strat/data';
import { parquetWriteFile } from 'hyparquet-writer';

/** Rows per row group of generated Parquet files (what readers take in one step). */
export const GENERATED_PARQUET_ROW_GROUP = 100_000;

/**
 * Writes bars to a Parquet file: `timestamp` (TIMESTAMP in milliseconds, UTC, the bar's start) and
 * `open`, `high`, `low`, `close`, `volume` as DOUBLE, in row groups of {@link GENERATED_PARQUET_ROW_GROUP}.
 * The file appears whole or not at all (written under a temporary name, then renamed).
 * @returns the number of bars and the first and last bar start.
 */
export async function writeParquetBars(
  path: string,
  chunks: AsyncIterable<BarChunk>,
): Promise<{ bars: number; first: number | undefined; last: number | undefined }> {
  const parts: BarChunk[] = [];
  let bars = 0;
  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    parts.push(chunk);
    bars += chunk.length;
  }
  const column = (key: 'open' | 'high' | 'low' | 'close' | 'volume'): Float64Array => {
    const values = new Float64Array(bars);
    let at = 0;
    for (const part of parts) {
      values.set(part[key], at);
      at += part.length;
    }
    return values;
  };
  const time = new BigInt64Array(bars);
  let at = 0;
  for (const part of parts) for (let i = 0; i < part.length; i++) time[at++] = BigInt(part.time[i] as number);
  const partial = `${path}.partial`;
  try {
    parquetWriteFile({
      filename: partial,
      schema: [
        { name: 'root', num_children: 6 },
        {
          name: 'timestamp',
          type: 'INT64',
          repetition_type: 'REQUIRED',
          logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
        },
        ...(['open', 'high', 'low', 'close', 'volume'] as const).map((name) => ({
          name,
          type: 'DOUBLE' as const,
          repetition_type: 'REQUIRED' as const,
        })),
      ],
      columnData: [
        { name: 'timestamp', data: time },
        { name: 'open', data: column('open') },
        { name: 'high', data: column('high') },
        { name: 'low', data: column('low') },
        { name: 'close', data: column('close') },
        { name: 'volume', data: column('volume') },
      ],
      rowGroupSize: GENERATED_PARQUET_ROW_GROUP,
    });
    renameSync(partial, path);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return { bars, first: parts[0]?.time[0], last: parts.at(-1)?.time.at(-1) };
}
