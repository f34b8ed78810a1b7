import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StampedSignal } from '../thread/stamped-signal';
import { createOutputFolder } from './create-output-folder';
import { CSV_COLUMNS, type JournalFormat, journalFormatOf, journalLineOf } from './journal-line';

export { formatJournalLine, type JournalFormat } from './journal-line';

/** `writeSync` may write fewer bytes than asked (a signal, a full disk): write the rest until none is left. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
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
/** ... or as soon as this many characters wait. */
const FLUSH_CHARS = 1 << 20;

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
  /** Lines journalled and not written yet. */
  #pending = '';
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
    if (this.format === 'csv') writeAll(this.#fd, `${CSV_COLUMNS.join(',')}\n`);
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
    let text = this.#pending;
    for (const s of signals) text += journalLineOf(s, this.format);
    this.#pending = text;
    this.#count += signals.length;
    if (text.length >= FLUSH_CHARS || performance.now() - this.#flushedAt >= JOURNAL_FLUSH_MS) this.flush();
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
    const text = this.#pending;
    if (this.#fd === undefined || text.length === 0) return;
    this.#pending = '';
    this.#flushedAt = performance.now();
    writeAll(this.#fd, text);
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
