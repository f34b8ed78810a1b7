import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StampedSignal } from '../thread/stamped-signal';
import { createOutputFolder } from './create-output-folder';
import { CSV_COLUMNS, type JournalFormat, journalFormatOf, journalLineOf } from './journal-line';

export { formatJournalLine, type JournalFormat } from './journal-line';

/** `writeSync` may write fewer bytes than asked (a signal, a full disk): write the rest until none is left. */
function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/** Journals not closed yet: a `process.exit` on the way (a second Ctrl-C) writes what they gathered. */
const openJournals = new Set<SignalJournal>();
let exitHookInstalled = false;

function flushOnExit(): void {
  for (const journal of openJournals) {
    try {
      journal.flush();
    } catch {
      // Exiting: nothing left to tell it to.
    }
  }
}

/** Journalled lines reach the file at the latest this long (wall time) after they were journalled. */
export const JOURNAL_FLUSH_MS = 100;
/** ... or as soon as this many bytes wait: the size of the buffer they wait in. */
const BUFFER_BYTES = 1 << 20;
/** The buffer starts this small (a live session journals a few lines a minute). */
const FIRST_BUFFER_BYTES = 1 << 14;

/**
 * Writes stamped signals to a file, synchronously, at most {@link JOURNAL_FLUSH_MS} after they were
 * journalled: a write that comes that long after the last one goes to the file at once (a live
 * session's releases, a minute apart, each reach the file as they happen); writes that come faster
 * (a backtest releases thousands of batches a second) are gathered and written together, by the next
 * write after that time or by a timer. So the file is complete up to at most that long before
 * whatever happens next (a crash elsewhere); {@link close}, and a `process.exit` before it, write the
 * rest. A write that fails in the timer is thrown by the next {@link write} or by {@link close}.
 */
export class SignalJournal {
  readonly path: string;
  readonly format: JournalFormat;
  #fd: number | undefined;
  #count = 0;
  /**
   * Lines journalled and not written yet, encoded, in `#buffer[0, #used)`. One buffer, reused for the
   * whole journal: a backtest journals megabytes, and on a VM fresh memory costs more than encoding.
   */
  #buffer = Buffer.allocUnsafe(FIRST_BUFFER_BYTES);
  #used = 0;
  /** When the file was last written to (performance.now()). */
  #flushedAt = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** A write of the timer's that failed, for the next call to throw. */
  #failure: unknown;

  /**
   * Opens (truncates) the file, creating its folder first; the format follows the extension
   * (`.csv`, else JSON lines).
   * @throws Error when the folder cannot be created (see {@link createOutputFolder}) or the file cannot be opened
   */
  constructor(path: string, format?: JournalFormat) {
    this.path = path;
    this.format = format ?? journalFormatOf(path);
    createOutputFolder(dirname(path));
    this.#fd = openSync(path, 'w');
    if (this.format === 'csv') writeAll(this.#fd, Buffer.from(`${CSV_COLUMNS.join(',')}\n`, 'utf8'));
    openJournals.add(this);
    if (!exitHookInstalled) {
      process.on('exit', flushOnExit);
      exitHookInstalled = true;
    }
  }

  /** Signals journalled so far. */
  get count(): number {
    return this.#count;
  }

  /**
   * Journals signals (already in journal order).
   * @throws Error when writing to the file failed (now, or in the timer since the last call)
   */
  write(signals: readonly StampedSignal[]): void {
    this.#throwFailure();
    if (this.#fd === undefined || signals.length === 0) return;
    for (const s of signals) this.#append(journalLineOf(s, this.format));
    this.#count += signals.length;
    if (performance.now() - this.#flushedAt >= JOURNAL_FLUSH_MS) this.flush();
    else
      this.#timer ??= setTimeout(() => {
        this.#timer = undefined;
        try {
          this.flush();
        } catch (error) {
          this.#failure = error;
        }
      }, JOURNAL_FLUSH_MS).unref();
  }

  /** Writes every line journalled so far to the file. */
  flush(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#fd === undefined || this.#used === 0) return;
    this.#flushedAt = performance.now();
    this.#writeOut(this.#fd);
  }

  /** Encodes a line after those waiting; a full buffer is written out first (or grown, up to its size). */
  #append(line: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const most = line.length * 3;
    if (this.#used + most > this.#buffer.length) {
      if (this.#buffer.length < BUFFER_BYTES) {
        const grown = Buffer.allocUnsafe(Math.max(BUFFER_BYTES, most));
        this.#buffer.copy(grown, 0, 0, this.#used);
        this.#buffer = grown;
      }
      if (this.#used + most > this.#buffer.length && this.#fd !== undefined) this.#writeOut(this.#fd);
      if (most > this.#buffer.length) this.#buffer = Buffer.allocUnsafe(most);
    }
    this.#used += this.#buffer.write(line, this.#used, 'utf8');
  }

  #writeOut(fd: number): void {
    const used = this.#used;
    this.#used = 0;
    writeAll(fd, this.#buffer.subarray(0, used));
  }

  /**
   * Writes what waits and closes the file (idempotent).
   * @throws Error when writing to the file failed (the file is closed all the same)
   */
  close(): void {
    if (this.#fd === undefined) return;
    openJournals.delete(this);
    try {
      this.flush();
    } finally {
      closeSync(this.#fd);
      this.#fd = undefined;
    }
    this.#throwFailure();
  }

  #throwFailure(): void {
    const failure = this.#failure;
    if (failure === undefined) return;
    this.#failure = undefined;
    throw failure;
  }
}
