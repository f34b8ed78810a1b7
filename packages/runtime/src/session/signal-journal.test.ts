import * as fs from 'node:fs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { StampedSignal } from '../thread/stamped-signal';
import { formatJournalLine, SignalJournal } from './signal-journal';

// Every writeSync of the journal goes through this wrapper, so a test can make it write less than asked.
const writes = vi.hoisted(() => ({ maxBytes: Number.POSITIVE_INFINITY, calls: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  // Like the system under a signal or on a full disk: at most `maxBytes` of each call are written.
  const writeSync = (fd: number, data: NodeJS.ArrayBufferView | string, ...rest: unknown[]): number => {
    writes.calls++;
    if (!Number.isFinite(writes.maxBytes)) {
      return (actual.writeSync as (...args: unknown[]) => number)(fd, data, ...rest);
    }
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const [offset = 0, length = bytes.byteLength - offset] =
      typeof data === 'string' ? [] : (rest as [number?, number?]);
    return actual.writeSync(fd, bytes, offset, Math.min(length, writes.maxBytes));
  };
  return { ...actual, default: { ...actual, writeSync }, writeSync };
});

const dir = mkdtempSync(join(tmpdir(), 'strat-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  writes.maxBytes = Number.POSITIVE_INFINITY;
  writes.calls = 0;
});

function signal(seq: number, reason = `cross ${seq}`): StampedSignal {
  return {
    seq,
    strategy: 'ma',
    time: Date.UTC(2024, 0, 2, 14, 31 + seq),
    barTime: Date.UTC(2024, 0, 2, 14, 30 + seq),
    interval: '1m',
    symbol: 'AAPL',
    action: seq % 2 === 0 ? 'SELL' : 'BUY',
    quantity: 10,
    price: 100 + seq / 8,
    reason,
    metadata: { seq },
  };
}

describe('SignalJournal', () => {
  it('writes one JSON line per signal, keys in a fixed order, creating missing folders', () => {
    const path = join(dir, 'a', 'b', 'signals.jsonl');
    const journal = new SignalJournal(path);
    journal.write([signal(1), signal(2)]);
    journal.write([]);
    journal.write([signal(3)]);
    journal.close();
    journal.close();
    journal.write([signal(4)]);
    expect(journal.format).toBe('jsonl');
    expect(journal.count).toBe(3);
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(JSON.parse(lines[0] as string)).toEqual({
      seq: 1,
      strategy: 'ma',
      time: '2024-01-02T14:32:00.000Z',
      barTime: '2024-01-02T14:31:00.000Z',
      interval: '1m',
      symbol: 'AAPL',
      action: 'BUY',
      quantity: 10,
      price: 100.125,
      reason: 'cross 1',
      metadata: { seq: 1 },
    });
    expect(Object.keys(JSON.parse(lines[2] as string))).toEqual([
      'seq',
      'strategy',
      'time',
      'barTime',
      'interval',
      'symbol',
      'action',
      'quantity',
      'price',
      'reason',
      'metadata',
    ]);
  });

  it('writes CSV with a header when the file ends in .csv, quoting fields that need it', () => {
    const path = join(dir, 'signals.CSV');
    const journal = new SignalJournal(path);
    journal.write([signal(1, 'a "quoted", reason')]);
    journal.close();
    expect(journal.format).toBe('csv');
    expect(readFileSync(path, 'utf8')).toBe(
      'seq,strategy,time,barTime,interval,symbol,action,quantity,price,reason,metadata\n' +
        '1,ma,2024-01-02T14:32:00.000Z,2024-01-02T14:31:00.000Z,1m,AAPL,BUY,10,100.125,"a ""quoted"", reason","{""seq"":1}"\n',
    );
  });

  it('truncates an existing file when opened', () => {
    const path = join(dir, 'existing.jsonl');
    writeFileSync(path, 'old content\n');
    const journal = new SignalJournal(path);
    journal.close();
    expect(readFileSync(path, 'utf8')).toBe('');
  });

  it('writes every byte of a large batch when the system writes less than asked each time', () => {
    const path = join(dir, 'partial.jsonl');
    const batch = Array.from({ length: 2000 }, (_, i) =>
      signal(i + 1, `Kurs über Schwelle ${'€'.repeat(i % 7)}`),
    );
    const expected = batch.map((s) => formatJournalLine(s, 'jsonl')).join('');
    writes.maxBytes = 4093;
    const journal = new SignalJournal(path);
    journal.write(batch.slice(0, 1500));
    journal.write(batch.slice(1500));
    journal.close();
    const text = readFileSync(path, 'utf8');
    // Before the fix one write call per batch wrote its first 4,093 bytes and the rest was lost.
    expect(text).toBe(expected);
    expect(writes.calls).toBeGreaterThanOrEqual(Math.ceil(Buffer.byteLength(expected) / 4093));
  });

  it('fails with the folder named, instead of hanging, when the folder cannot be created', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, '');
    expect(() => new SignalJournal(join(blocker, 'sub', 'j.jsonl'))).toThrow(
      `Cannot create the folder ${join(blocker, 'sub')}: ${blocker} is not a folder`,
    );
    expect(readFileSync(blocker, 'utf8')).toBe('');
    if (fs.existsSync('/proc/self')) {
      // mkdirSync(..., { recursive: true }) never returns here.
      expect(() => new SignalJournal('/proc/nope/x.jsonl')).toThrow(
        /^Cannot create the folder \/proc\/nope: ENOENT/,
      );
    }
  });
});
