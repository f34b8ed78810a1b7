import { mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataError } from '@strat/core';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TradingCalendar } from '../../calendar/trading-calendar';
import { DataProcessor } from '../../processor/data-processor';
import { SessionData } from '../../store/session-data';
import type { BarChunk, SourceReport } from '../bar-source';
import { CsvBarSource, type CsvBarSourceOptions } from './csv-bar-source';
import type { CsvFileSpec } from './csv-file-spec';
import { liveCsvParseThreads, startCsvParseWorker } from './csv-parse-thread';
import type { CsvParseMessage } from './csv-parse-thread-protocol';

// Real files, real worker threads: `parseThreadMinBytes: 0` sends every intraday read to a parsing
// thread, `Infinity` keeps it in this thread; small `fastPathChunkBytes` cross many pieces.

const utc = TradingCalendar.always();
const HEADER = 'timestamp,open,high,low,close,volume';

let tmp: string;
let files = 0;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'strat-csv-thread-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});
afterEach(() => {
  expect(liveCsvParseThreads()).toBe(0);
});

async function tempCsv(text: string): Promise<string> {
  const path = join(tmp, `f${files++}.csv`);
  await writeFile(path, text);
  return path;
}

function source(
  specs: CsvFileSpec[],
  inThread: boolean,
  options: Partial<CsvBarSourceOptions> = {},
): CsvBarSource {
  return new CsvBarSource({
    calendar: utc,
    files: specs,
    parseThreadMinBytes: inThread ? 0 : Number.POSITIVE_INFINITY,
    ...options,
  });
}

interface Outcome {
  bars: number[][];
  report: SourceReport;
  error: string | undefined;
  line: number | undefined;
}

async function readAll(csv: CsvBarSource, symbol: string, from = -Infinity, to = Infinity): Promise<Outcome> {
  const bars: number[][] = [];
  let error: string | undefined;
  let line: number | undefined;
  try {
    for await (const c of csv.read(symbol, from, to)) {
      for (let i = 0; i < c.length; i++) {
        bars.push([c.time, c.open, c.high, c.low, c.close, c.volume].map((col) => col[i] as number));
      }
    }
  } catch (e) {
    if (!DataError.isInstance(e)) throw e;
    error = e.message;
    line = e.line;
  }
  return { bars, report: csv.report(), error, line };
}

/**
 * Reads the files in a parsing thread in pieces of `fastPathChunkBytes`, and in the caller's thread
 * in pieces of the default size, and expects the same outcome; returns it.
 */
async function bothWays(specs: CsvFileSpec[], options: Partial<CsvBarSourceOptions> = {}): Promise<Outcome> {
  const symbol = specs[0]?.symbol as string;
  const { fastPathChunkBytes: _, ...inlineOptions } = options;
  const inline = await readAll(source(specs, false, inlineOptions), symbol);
  const threaded = await readAll(source(specs, true, options), symbol);
  expect(threaded).toEqual(inline);
  return threaded;
}

function row(minute: number, close = 1.5, high = 2): string {
  return `${new Date(Date.UTC(2024, 0, 2, 14, 30 + minute)).toISOString()},1,${high},0.5,${close},${100 + minute}`;
}

function rows(count: number, eol = '\n'): string {
  return Array.from({ length: count }, (_, i) => row(i)).join(eol);
}

describe('CSV parsing thread: chunk boundaries', () => {
  it('reads a row split across a piece boundary, in pieces of every size', async () => {
    const path = await tempCsv(`${HEADER}\n${rows(40)}\n`);
    for (const bytes of [1, 7, 45, 64, 100, 1000]) {
      const outcome = await bothWays([{ path, symbol: 'X' }], { fastPathChunkBytes: bytes });
      expect(outcome.bars).toHaveLength(40);
      expect(outcome.bars[39]?.[5]).toBe(139);
      expect(outcome.report.rowsRead).toBe(40);
    }
  });

  it('reads CRLF files and files without a final line end', async () => {
    const crlf = await tempCsv(`${HEADER}\r\n${rows(30, '\r\n')}\r\n`);
    const open = await tempCsv(`${HEADER}\n${rows(30)}`);
    const openCrlf = await tempCsv(`${HEADER}\r\n${rows(30, '\r\n')}`);
    for (const path of [crlf, open, openCrlf]) {
      for (const bytes of [50, 128]) {
        const outcome = await bothWays([{ path, symbol: 'X' }], { fastPathChunkBytes: bytes });
        expect(outcome.bars.map((b) => b[5])).toEqual(Array.from({ length: 30 }, (_, i) => 100 + i));
      }
    }
  });

  it('reads quoted fields with line breaks in them, counting lines as csv-parse does', async () => {
    const path = await tempCsv(
      `${HEADER}\n${rows(10)}\n"${new Date(Date.UTC(2024, 0, 2, 14, 40)).toISOString()}",1,2,0.5,"1.5",7\n` +
        `${row(11)}\n${row(12, 1.5, 1)}\n${row(13)}\n${row(14)},"a\nb"\n${row(15, 9)}\n`,
    );
    const failing = await bothWays([{ path, symbol: 'X' }], { fastPathChunkBytes: 64 });
    expect(failing.error).toBe(`${path}:14: high 1 is below close 1.5`);
    expect(failing.bars).toHaveLength(0);
    const skipping = await bothWays([{ path, symbol: 'X' }], { fastPathChunkBytes: 64, onBadRow: 'skip' });
    expect(skipping.bars.map((b) => b[5])).toEqual([
      100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 7, 111, 113, 114,
    ]);
    expect(skipping.report.problems.map((p) => [p.line, p.message])).toEqual([
      [14, 'high 1 is below close 1.5'],
      [18, 'high 2 is below close 9'],
    ]);
  });

  it('names the first line of the second piece when it is the bad one', async () => {
    const first = `${HEADER}\n${rows(5)}\n`;
    const bad = `${new Date(Date.UTC(2024, 0, 2, 14, 35)).toISOString()},1,2,0.5,1.5,-5\n`;
    const path = await tempCsv(`${first}${bad}${row(6)}\n`);
    // The first piece ends right after line 6: line 7 opens the second.
    const outcome = await bothWays([{ path, symbol: 'X' }], { fastPathChunkBytes: Buffer.byteLength(first) });
    expect(outcome.error).toBe(`${path}:7: volume -5 is negative`);
    expect(outcome.line).toBe(7);
    expect(outcome.report.rowsRead).toBe(6);
  });

  it('checks time order across the files of a symbol and across pieces', async () => {
    const a = await tempCsv(`${HEADER}\n${rows(20)}\n`);
    const b = await tempCsv(`${HEADER}\n${row(19)}\n${row(20)}\n`);
    const outcome = await bothWays(
      [
        { path: a, symbol: 'X' },
        { path: b, symbol: 'X' },
      ],
      { fastPathChunkBytes: 100 },
    );
    expect(outcome.error).toBe(
      `${b}:2: time 2024-01-02T14:49:00Z is not after the previous row's 2024-01-02T14:49:00Z: rows must be in strictly increasing time`,
    );
    expect(outcome.bars).toHaveLength(0);
  });
});

describe('CSV parsing thread: errors, and the end of the thread', () => {
  it('turns a CSV syntax error in the thread into the same DataError, with its cause', async () => {
    const path = await tempCsv(`${HEADER}\n${rows(3)}\n${row(3)}x"\n`);
    const outcome = await bothWays([{ path, symbol: 'X' }]);
    expect(outcome.error).toMatch(new RegExp(`^${path}:5: cannot parse CSV: Invalid Opening Quote`));
    let error: unknown;
    try {
      for await (const _ of source([{ path, symbol: 'X' }], true).read('X', -Infinity, Infinity)) {
        // nothing: the read fails
      }
    } catch (e) {
      error = e;
    }
    expect(DataError.isInstance(error)).toBe(true);
    expect((error as DataError).code).toBe('DATA_INVALID');
    expect((error as DataError).file).toBe(path);
    expect(((error as DataError).cause as Error).message).toMatch(/^Invalid Opening Quote/);
  });

  it('reports a file gone after its header was read as the same DataError', async () => {
    const path = await tempCsv(`${HEADER}\n${rows(3)}\n`);
    const inThread = source([{ path, symbol: 'X' }], true);
    const inline = source([{ path, symbol: 'X' }], false);
    await inThread.preflight();
    await inline.preflight();
    await unlink(path);
    const threaded = await readAll(inThread, 'X');
    expect(threaded.error).toBe(`${path}: cannot open ${path}: no such file`);
    expect(threaded).toEqual(await readAll(inline, 'X'));
  });

  it('ends the thread when the reader stops early, and after reading up to `to`', async () => {
    const path = await tempCsv(`${HEADER}\n${rows(10_000)}\n`);
    const csv = source([{ path, symbol: 'X' }], true, { fastPathChunkBytes: 256 });
    const iterator = csv.read('X', -Infinity, Infinity)[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect((first.value as BarChunk).length).toBe(4096);
    expect(liveCsvParseThreads()).toBe(1);
    await iterator.return?.(undefined);
    expect(liveCsvParseThreads()).toBe(0);

    const to = Date.UTC(2024, 0, 2, 14, 40);
    const ranged = await readAll(source([{ path, symbol: 'X' }], true), 'X', -Infinity, to);
    expect(ranged.bars).toHaveLength(10);
    expect(ranged.report.rowsRead).toBe(11);
  });

  it('hands over 4096-bar chunks, each its own buffer, in order to a slow consumer', async () => {
    const path = await tempCsv(`${HEADER}\n${rows(5000)}\n`);
    const csv = source([{ path, symbol: 'X' }], true);
    const lengths: number[] = [];
    for await (const chunk of csv.read('X', -Infinity, Infinity)) {
      lengths.push(chunk.length);
      expect(chunk.time.buffer.byteLength).toBe(4096 * 6 * 8);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(lengths).toEqual([4096, 904]);
  });

  it('posts at most `chunksInFlight` chunks the session has not taken, then waits', async () => {
    const path = await tempCsv(`${HEADER}\n${rows(30_000)}\n`);
    const decoding = {
      columns: { timestamp: 0, date: -1, time: -1, open: 1, high: 2, low: 3, close: 4, volume: 5 },
      dateFormat: 'YYYY-MM-DD',
      timestampFormat: 'iso',
      timezone: 'UTC',
      intervalMs: 60_000,
      labelEnd: false,
    } as const;
    const worker = startCsvParseWorker({
      read: {
        symbol: 'X',
        from: -Infinity,
        to: Infinity,
        files: [
          {
            label: path,
            absolutePath: path,
            hasHeader: true,
            parseOptions: { delimiter: ',' },
            headerLines: 1,
            decoding,
          },
        ],
        skipBadRows: false,
        fastPathChunkBytes: undefined,
      },
      chunksInFlight: 2,
    });
    try {
      const received: CsvParseMessage[] = [];
      worker.on('message', (m: CsvParseMessage) => received.push(m));
      const settle = async (count: number) => {
        while (received.length < count) await new Promise((resolve) => setTimeout(resolve, 10));
        // Time to post more, were it not held back.
        await new Promise((resolve) => setTimeout(resolve, 300));
      };
      await settle(2);
      expect(received.map((m) => m.type)).toEqual(['chunk', 'chunk']);
      worker.postMessage(1);
      await settle(3);
      expect(received).toHaveLength(3);
      worker.postMessage(5);
      await settle(9);
      // 30,000 rows: 7 full chunks and 1,328 bars (8 credits in all), then the end, which needs none.
      expect(received.map((m) => (m.type === 'chunk' ? m.chunk.length : m.type))).toEqual([
        4096,
        4096,
        4096,
        4096,
        4096,
        4096,
        4096,
        1328,
        'end',
      ]);
      expect(received.reduce((n, m) => n + m.report.rowsRead, 0)).toBe(30_000);
    } finally {
      await worker.terminate();
    }
  });

  it('runs at most two parsing threads at once; other reads parse in the caller', async () => {
    const specs = await Promise.all(
      ['A', 'B', 'C'].map(async (symbol) => ({ path: await tempCsv(`${HEADER}\n${rows(50)}\n`), symbol })),
    );
    const csv = source(specs, true, { fastPathChunkBytes: 200 });
    const iterators = ['A', 'B', 'C'].map((s) => csv.read(s, -Infinity, Infinity)[Symbol.asyncIterator]());
    const firsts = await Promise.all(iterators.map((i) => i.next()));
    expect(liveCsvParseThreads()).toBe(2);
    expect(firsts.map((r) => (r.value as BarChunk).length)).toEqual([50, 50, 50]);
    for (const i of iterators) await i.return?.(undefined);
  });

  it('keeps date-only daily files in the caller: the calendar does not cross threads', async () => {
    const path = await tempCsv(
      'date,open,high,low,close,volume\n2024-01-02,1,2,0.5,1.5,1\n2024-01-03,1,2,0.5,1.5,2\n',
    );
    const csv = new CsvBarSource({
      calendar: TradingCalendar.usEquities(),
      files: [{ path, symbol: 'D', interval: '1d' }],
      parseThreadMinBytes: 0,
    });
    const outcome = await readAll(csv, 'D');
    expect(outcome.bars.map((b) => new Date(b[0] as number).toISOString())).toEqual([
      '2024-01-02T14:30:00.000Z',
      '2024-01-03T14:30:00.000Z',
    ]);
  });
});

describe('CSV parsing thread: in a session', () => {
  /** Three New York sessions of 1m bars, 2024-01-02 to 01-04; `bad` breaks the high on that line. */
  async function sessionsCsv(bad?: number): Promise<string> {
    const lines = [HEADER];
    for (const day of [2, 3, 4]) {
      for (let m = 0; m < 390; m++) {
        const time = new Date(Date.UTC(2024, 0, day, 14, 30 + m)).toISOString();
        lines.push(`${time},1,${lines.length + 1 === bad ? 0.9 : 2},0.5,1.5,${m}`);
      }
    }
    return tempCsv(`${lines.join('\n')}\n`);
  }

  function processor(path: string, onStep: (p: DataProcessor) => void = () => {}): DataProcessor {
    const calendar = TradingCalendar.usEquities();
    const created: DataProcessor = new DataProcessor({
      store: new SessionData(),
      source: new CsvBarSource({
        calendar,
        files: [{ path, symbol: 'X' }],
        parseThreadMinBytes: 0,
        fastPathChunkBytes: 4096,
      }),
      calendar,
      symbols: ['X'],
      streams: ['1m', '5m'],
      startDate: '2024-01-02',
      endDate: '2024-01-04',
      consumer: { onBar: () => {}, onStep: () => onStep(created) },
    });
    return created;
  }

  it('replays every row, and ends the thread when the session stops early', async () => {
    const path = await sessionsCsv();
    expect((await processor(path).run()).barsDone).toBe(1170);

    // Stops inside the first session, the thread still holding the other two.
    let steps = 0;
    const summary = await processor(path, (p) => {
      if (++steps === 100) p.stop();
    }).run();
    expect(summary.stopped).toBe(true);
    expect(summary.barsDone).toBeLessThan(200);
    expect(liveCsvParseThreads()).toBe(0);
  });

  it("fails the session with the thread's DataError, the thread ended", async () => {
    const path = await sessionsCsv(500);
    const error = await processor(path)
      .run()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(DataError.isInstance(error)).toBe(true);
    expect((error as DataError).message).toBe(`${path}:500: high 0.9 is below close 1.5`);
    expect(liveCsvParseThreads()).toBe(0);
  });
});

describe('CSV parsing thread: the same bars as in the caller', () => {
  it('gives the same bars, report and errors on random files split at random sizes', async () => {
    const line = fc.record({
      gap: fc.integer({ min: -1, max: 3 }),
      close: fc.integer({ min: 1, max: 300 }),
      high: fc.integer({ min: 1, max: 300 }),
      volume: fc.oneof(fc.nat(1000), fc.constant(-1)),
      quoted: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { minLength: 0, maxLength: 120 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.integer({ min: 1, max: 600 }),
        fc.constantFrom<'fail' | 'skip'>('fail', 'skip'),
        async (lines, eol, finalEol, chunkBytes, onBadRow) => {
          let minute = 0;
          const body = lines.map((l) => {
            minute += l.gap;
            const time = new Date(Date.UTC(2024, 0, 2, 14, 30 + minute)).toISOString();
            const close = (l.close / 100).toFixed(2);
            const high = (l.high / 100).toFixed(2);
            return `${l.quoted ? `"${time}"` : time},0.5,${high},0.01,${close},${l.volume}`;
          });
          const text = `${HEADER}${eol}${body.join(eol)}${finalEol && body.length > 0 ? eol : ''}`;
          const path = await tempCsv(text);
          await bothWays([{ path, symbol: 'X' }], { fastPathChunkBytes: chunkBytes, onBadRow });
        },
      ),
      { numRuns: 15 },
    );
  });
});
