import { extname } from 'node:path';
import { isoTime } from '../results/iso-time';
import type { StampedSignal } from '../thread/stamped-signal';

/** Journal formats: JSON lines (default) or CSV. */
export type JournalFormat = 'jsonl' | 'csv';

/** The format of a journal at `path`: CSV for a `.csv` extension (any case), else JSON lines. */
export function journalFormatOf(path: string): JournalFormat {
  return extname(path).toLowerCase() === '.csv' ? 'csv' : 'jsonl';
}

export const CSV_COLUMNS = [
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

/**
 * One journal line for a signal: ISO times beside the epoch ones, keys in a fixed order. (The ISO
 * times without a Date each: that was a third of a line's cost.)
 */
export function formatJournalLine(s: StampedSignal, format: JournalFormat): string {
  const row = {
    seq: s.seq,
    strategy: s.strategy,
    time: isoTime(s.time),
    barTime: isoTime(s.barTime),
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

/**
 * Lines a strategy's worker thread formatted for signals it sent (the session's thread then only
 * writes them): by format, then signal object as the session side received it.
 */
const preformatted: Record<JournalFormat, WeakMap<StampedSignal, string>> = {
  jsonl: new WeakMap(),
  csv: new WeakMap(),
};

/**
 * Keeps the lines a strategy's thread formatted (`lines[i]` is `signals[i]`'s, in `format`) for
 * {@link journalLineOf}. Lines of another count than the signals are ignored.
 */
export function rememberJournalLines(
  signals: readonly StampedSignal[],
  lines: readonly string[],
  format: JournalFormat,
): void {
  if (lines.length !== signals.length) return;
  const kept = preformatted[format];
  for (let i = 0; i < signals.length; i++) kept.set(signals[i] as StampedSignal, lines[i] as string);
}

/** Whether a strategy's thread formatted the line of `s` in `format`. */
export function hasJournalLine(s: StampedSignal, format: JournalFormat): boolean {
  return preformatted[format].has(s);
}

/** The journal line of `s`: the one its strategy's thread formatted, else formatted here (the same text). */
export function journalLineOf(s: StampedSignal, format: JournalFormat): string {
  return preformatted[format].get(s) ?? formatJournalLine(s, format);
}
