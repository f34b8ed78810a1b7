import { closeSync, openSync, writeSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import type { StampedSignal } from '../thread/stamped-signal';
import { createOutputFolder } from './create-output-folder';

/** Journal formats: JSON lines (default) or CSV. */
export type JournalFormat = 'jsonl' | 'csv';

const CSV_COLUMNS = [
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
] as const;

function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text =
    typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One journal line for a signal: ISO times beside the epoch ones, keys in a fixed order. */
export function formatJournalLine(s: StampedSignal, format: JournalFormat): string {
  const row = {
    seq: s.seq,
    strategy: s.strategy,
    time: new Date(s.time).toISOString(),
    barTime: new Date(s.barTime).toISOString(),
    interval: s.interval,
    symbol: s.symbol,
    action: s.action,
    quantity: s.quantity,
    price: s.price,
    reason: s.reason,
    metadata: s.metadata,
  };
  if (format === 'jsonl') return `${JSON.stringify(row)}\n`;
  return `${CSV_COLUMNS.map((c) => csvField(row[c])).join(',')}\n`;
}

/** `writeSync` may write fewer bytes than asked (a signal, a full disk): write the rest until none is left. */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/**
 * Writes stamped signals to a file as they are flushed, synchronously, so the file is complete up
 * to the last flushed batch whatever happens next (Ctrl-C, a crash elsewhere).
 */
export class SignalJournal {
  readonly path: string;
  readonly format: JournalFormat;
  #fd: number | undefined;
  #count = 0;

  /**
   * Opens (truncates) the file, creating its folder first; the format follows the extension
   * (`.csv`, else JSON lines).
   * @throws Error when the folder cannot be created (see {@link createOutputFolder}) or the file cannot be opened
   */
  constructor(path: string, format?: JournalFormat) {
    this.path = path;
    this.format = format ?? (extname(path).toLowerCase() === '.csv' ? 'csv' : 'jsonl');
    createOutputFolder(dirname(path));
    this.#fd = openSync(path, 'w');
    if (this.format === 'csv') writeAll(this.#fd, `${CSV_COLUMNS.join(',')}\n`);
  }

  /** Signals written so far. */
  get count(): number {
    return this.#count;
  }

  /** Appends signals (already in journal order). */
  write(signals: readonly StampedSignal[]): void {
    if (this.#fd === undefined || signals.length === 0) return;
    let text = '';
    for (const s of signals) text += formatJournalLine(s, this.format);
    writeAll(this.#fd, text);
    this.#count += signals.length;
  }

  /** Closes the file (idempotent). */
  close(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }
}
