import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import type { StampedSignal } from '../thread/stamped-signal';
import { formatJournalLine, JOURNAL_FLUSH_MS, SignalJournal } from './signal-journal';

// Every writeSync of the journal goes through this wrapper, so a test can make it write less than asked.
const writes = vi.hoisted(() => ({ maxBytes: Number.POSITIVE_INFINITY, calls: 0, fail: false }));
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  // Like the system under a signal or on a full disk: at most `maxBytes` of each call are written.
  const writeSync = (fd: number, data: NodeJS.ArrayBufferView | string, ...rest: unknown[]): number => {
    writes.calls++;
    if (writes.fail)
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
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
  writes.fail = false;
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

  it('writes every line exactly, multi-byte text across its buffer boundaries and lines larger than its buffer', () => {
    const path = join(dir, 'sizes.jsonl');
    const journal = new SignalJournal(path);
    // Reasons of every size up to past the buffer (1 MiB), in 1, 2, 3 and 4 bytes per character.
    const pieces = ['a', 'é', '€', '😀'];
    const signals: StampedSignal[] = [];
    for (let i = 0; i < 600; i++) {
      const piece = pieces[i % pieces.length] as string;
      signals.push(signal(i, piece.repeat(i % 7 === 0 ? 1 + i * 97 : 1 + (i % 50))));
    }
    signals.push(signal(600, '€'.repeat(600_000)), signal(601, 'end'));
    for (let i = 0; i < signals.length; i += 37) journal.write(signals.slice(i, i + 37));
    journal.close();
    const expected = signals.map((s) => formatJournalLine(s, 'jsonl')).join('');
    expect(readFileSync(path, 'utf8')).toBe(expected);
    expect(journal.count).toBe(signals.length);
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

  it('writes a batch at once when the last write is older than the flush time, and gathers faster ones', async () => {
    // The clock stands still but where the test moves it: a slow machine cannot make a write late.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const sleep = async (ms: number) => vi.advanceTimersByTimeAsync(ms);
    const path = join(dir, 'gathered.jsonl');
    const journal = new SignalJournal(path);
    const line = (seq: number) => formatJournalLine(signal(seq), 'jsonl');
    journal.write([signal(1)]);
    expect(readFileSync(path, 'utf8')).toBe(line(1));
    journal.write([signal(2)]);
    journal.write([signal(3)]);
    // Within the flush time: gathered, not written yet.
    expect(readFileSync(path, 'utf8')).toBe(line(1));
    expect(journal.count).toBe(3);
    await sleep(JOURNAL_FLUSH_MS * 2);
    // The timer wrote them, in one call.
    expect(readFileSync(path, 'utf8')).toBe(line(1) + line(2) + line(3));
    const calls = writes.calls;
    expect(calls).toBe(2);
    // A write long after the last: at once.
    journal.write([signal(4)]);
    expect(readFileSync(path, 'utf8')).toBe(line(1) + line(2) + line(3) + line(4));
    journal.write([signal(5)]);
    journal.close();
    expect(readFileSync(path, 'utf8')).toBe([1, 2, 3, 4, 5].map(line).join(''));
    await sleep(JOURNAL_FLUSH_MS * 2);
    expect(writes.calls).toBe(calls + 2);
  });

  it('throws a failed write of the timer from the next write, and one of close from close', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const sleep = async (ms: number) => vi.advanceTimersByTimeAsync(ms);
    const path = join(dir, 'failing.jsonl');
    const journal = new SignalJournal(path);
    journal.write([signal(1)]);
    journal.write([signal(2)]);
    writes.fail = true;
    await sleep(JOURNAL_FLUSH_MS * 2);
    expect(() => journal.write([signal(3)])).toThrow(/ENOSPC/);
    writes.fail = false;
    // The flush time has passed since the failed write: this one is written at once.
    journal.write([signal(4)]);
    journal.write([signal(5)]);
    writes.fail = true;
    expect(() => journal.close()).toThrow(/ENOSPC/);
    writes.fail = false;
    // Closed all the same: nothing more is written. (Line 2 went with the failed write, 3 was refused.)
    journal.write([signal(6)]);
    await sleep(JOURNAL_FLUSH_MS * 2);
    expect(readFileSync(path, 'utf8')).toBe(
      formatJournalLine(signal(1), 'jsonl') + formatJournalLine(signal(4), 'jsonl'),
    );
  });
});

describe('SignalJournal on process.exit', () => {
  it('writes what it gathered when the process exits before it was closed', () => {
    const path = join(dir, 'exit.jsonl');
    const probe = fileURLToPath(new URL('../../test/journal-exit-probe.ts', import.meta.url));
    const child = spawnSync(process.execPath, ['--import', 'tsx', probe, path], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.status).toBe(3);
    expect(
      readFileSync(path, 'utf8')
        .split('\n')
        .map((l) => (l === '' ? l : JSON.parse(l).seq)),
    ).toEqual([1, 2, 3, '']);
  });
});
