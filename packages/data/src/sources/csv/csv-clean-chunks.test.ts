import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '@strat/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TradingCalendar } from '../../calendar/trading-calendar';
import { CsvBarSource } from './csv-bar-source';
import { readCleanChunks } from './csv-clean-chunks';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strat-csv-clean-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function pieces(
  text: string,
  options: { skipLines?: number; chunkBytes?: number; delimiter?: string } = {},
) {
  const path = join(dir, `pieces-${Math.random().toString(36).slice(2)}.csv`);
  await writeFile(path, text);
  const out: (string[][] | undefined)[] = [];
  // As rows, to read the expectations below.
  for await (const rows of readCleanChunks({
    absolutePath: path,
    delimiter: options.delimiter ?? ',',
    skipLines: options.skipLines ?? 0,
    chunkBytes: options.chunkBytes,
  })) {
    out.push(
      rows === undefined
        ? undefined
        : Array.from({ length: rows.rows }, (_, i) => rows.columns.map((column) => column[i] as string)),
    );
  }
  return out;
}

describe('readCleanChunks', () => {
  it('splits plain pieces at line feeds, after a BOM and the header, LF or CRLF, with or without a last line end', async () => {
    expect(await pieces('\uFEFFa,b\n1,2\n3,4\n', { skipLines: 1 })).toEqual([
      [
        ['1', '2'],
        ['3', '4'],
      ],
    ]);
    expect(await pieces('1,2\r\n3,4', {})).toEqual([[['1', '2']], [['3', '4']]]);
    expect(await pieces('1;2\n3;4\n5;6\n', { chunkBytes: 5, delimiter: ';' })).toEqual([
      [['1', '2']],
      [['3', '4']],
      [['5', '6']],
    ]);
    expect(await pieces('')).toEqual([]);
    expect(await pieces('a,b\n', { skipLines: 1 })).toEqual([]);
  });

  it('stops with undefined at the first piece that is not plain', async () => {
    expect(await pieces('1,2\n"3",4\n')).toEqual([undefined]);
    expect(await pieces('1,2\n\n3,4\n')).toEqual([undefined]);
    expect(await pieces('1,2\r\n3,4\n')).toEqual([undefined]);
    expect(await pieces('1,2\n3\r4,5\n')).toEqual([undefined]);
    expect(await pieces('1,2\n3\n4,5\n')).toEqual([undefined]);
    expect(await pieces('1,2\n3,4,5\n')).toEqual([undefined]);
    expect(await pieces('1,2,3\n4,5\n')).toEqual([undefined]);
    expect(await pieces('1,2\n3,4\n5', { chunkBytes: 4 })).toEqual([[['1', '2']], [['3', '4']], undefined]);
    expect(await pieces('1,2\n3,4\n5,"6"\n', { chunkBytes: 4 })).toEqual([
      [['1', '2']],
      [['3', '4']],
      undefined,
    ]);
    expect(await pieces('1,2\n', { skipLines: 2 })).toEqual([undefined]);
    expect(await pieces('1\u00a62\n', { delimiter: '\u00a6' })).toEqual([undefined]);
  });
});

// Rows the property below mixes: good bars, and every kind of row the fast path must hand to csv-parse.
const rowKind = fc.constantFrom(
  'good',
  'good',
  'good',
  'good',
  'good',
  'good',
  'highBelowOpen',
  'notNumber',
  'quoted',
  'blank',
  'extraField',
  'missingField',
  'spaces',
  'backInTime',
  'badTimestamp',
);

function csvOf(kinds: readonly string[], crlf: boolean, bom: boolean): string {
  const lines = ['timestamp,open,high,low,close,volume'];
  let minute = 0;
  for (const kind of kinds) {
    minute += 1;
    const time = new Date(Date.UTC(2024, 0, 2, 14, 30) + minute * 60_000).toISOString();
    const good = `${time},10.5,10.75,10.25,10.5,${minute}`;
    switch (kind) {
      case 'highBelowOpen':
        lines.push(`${time},10.5,10.4,10.25,10.5,1`);
        break;
      case 'notNumber':
        lines.push(`${time},abc,10.75,10.25,10.5,1`);
        break;
      case 'quoted':
        lines.push(`"${time}",10.5,10.75,10.25,"10.5",1`);
        break;
      case 'blank':
        lines.push('');
        break;
      case 'extraField':
        lines.push(`${good},x`);
        break;
      case 'missingField':
        lines.push(`${time},10.5,10.75,10.25,10.5`);
        break;
      case 'spaces':
        lines.push(` ${time} , 10.5,10.75 ,10.25,10.5,${minute}`);
        break;
      case 'backInTime':
        lines.push(`2024-01-01T00:00:00Z,10.5,10.75,10.25,10.5,1`);
        break;
      case 'badTimestamp':
        lines.push(`2024-01-02X14:30,10.5,10.75,10.25,10.5,1`);
        break;
      default:
        lines.push(good);
    }
  }
  return `${bom ? '\uFEFF' : ''}${lines.join(crlf ? '\r\n' : '\n')}${crlf ? '\r\n' : '\n'}`;
}

async function outcome(
  path: string,
  onBadRow: 'fail' | 'skip',
  fastPathChunkBytes: number,
  window: [number, number],
) {
  const source = new CsvBarSource({
    calendar: TradingCalendar.always(),
    files: [{ path, symbol: 'S' }],
    onBadRow,
    fastPathChunkBytes,
  });
  const bars: number[][] = [];
  try {
    for await (const c of source.read('S', window[0], window[1])) {
      for (let i = 0; i < c.length; i++) {
        bars.push([c.time[i], c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i]] as number[]);
      }
    }
  } catch (error) {
    if (!DataError.isInstance(error)) throw error;
    return { bars, error: error.message, line: error.line, report: source.report() };
  }
  return { bars, report: source.report() };
}

describe('CsvBarSource: the uDSV fast path and csv-parse agree', () => {
  it('gives the bars, reports, errors and lines csv-parse alone gives, on plain and unusual files', async () => {
    const start = Date.UTC(2024, 0, 2, 14, 30);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(rowKind, { maxLength: 60 }),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom('fail', 'skip') as fc.Arbitrary<'fail' | 'skip'>,
        fc.integer({ min: 16, max: 400 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 70 }),
        async (kinds, crlf, bom, onBadRow, chunkBytes, fromMinute, span) => {
          const path = join(dir, `property-${n++}.csv`);
          await writeFile(path, csvOf(kinds, crlf, bom));
          const window: [number, number] = [
            start + fromMinute * 60_000,
            start + (fromMinute + span) * 60_000,
          ];
          const fast = await outcome(path, onBadRow, chunkBytes, window);
          const reference = await outcome(path, onBadRow, 0, window);
          expect(fast).toEqual(reference);
        },
      ),
      { numRuns: Number(process.env.RUNS ?? 150), verbose: true },
    );
  });

  it('takes plain files on the fast path to their end across many reads', async () => {
    const kinds = Array.from({ length: 500 }, () => 'good');
    const path = join(dir, 'plain.csv');
    await writeFile(path, csvOf(kinds, false, false));
    const fast = await outcome(path, 'fail', 256, [-Infinity, Infinity]);
    expect(fast.bars).toHaveLength(500);
    expect(fast.report.rowsRead).toBe(500);
    expect(fast).toEqual(await outcome(path, 'fail', 0, [-Infinity, Infinity]));
  });
});
