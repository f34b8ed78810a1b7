import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { describe, expect, it } from 'vitest';
import { CsvLineTrackingParser, type CsvParsedItem } from './csv-line-tracking-parser';

const OPTIONS = { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true } as const;

/** Items and lines, fed in small pieces so records straddle chunks. */
async function tracked(text: string, piece = 7): Promise<{ item: CsvParsedItem; line: number }[]> {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += piece) pieces.push(text.slice(i, i + piece));
  const parser = Readable.from(pieces).pipe(new CsvLineTrackingParser(OPTIONS));
  const out: { item: CsvParsedItem; line: number }[] = [];
  for await (const item of parser as AsyncIterable<CsvParsedItem>)
    out.push({ item, line: parser.takeLine() });
  return out;
}

async function withInfo(text: string): Promise<{ record: string[]; line: number }[]> {
  const parser = Readable.from([text]).pipe(parse({ ...OPTIONS, info: true }));
  const out: { record: string[]; line: number }[] = [];
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>)
    out.push({ record, line: info.lines });
  return out;
}

describe('CsvLineTrackingParser', () => {
  it('gives the records and lines csv-parse gives with info: true', async () => {
    const text =
      '\uFEFFa,b,c\r\n1, 2 ,3\r\n\r\n"4\r\n4",5,6\r\n7,8\r\n"x ""y""",9,10,11\r\n' +
      Array.from({ length: 500 }, (_, i) => `${i},${i + 1},${i + 2}`).join('\r\n');
    const expected = await withInfo(text);
    const got = await tracked(text);
    expect(got.map(({ item, line }) => ({ record: item, line }))).toEqual(expected);
    const lf = await tracked('a\n"1\n2",3\n\n4,5\n', 3);
    expect(lf.map(({ line }) => line)).toEqual([1, 3, 5]);
  });

  it('puts a record it cannot split into the stream as a CsvError, in file order', async () => {
    const got = await tracked('a,b\n1,2\n3,x"y\n5,6\n"7,8\n');
    expect(got.map(({ item }) => (item instanceof CsvError ? item.code : item))).toEqual([
      ['a', 'b'],
      ['1', '2'],
      'INVALID_OPENING_QUOTE',
      ['5', '6'],
      'CSV_QUOTE_NOT_CLOSED',
    ]);
    expect(got.map(({ line }) => line).slice(0, 4)).toEqual([1, 2, 3, 4]);
  });
});
