import { type Fill, formatJournalLine, type StampedSignal } from '@strat/runtime';
import type { z } from 'zod';
import type { stampedSignalSchema } from './schemas';

/**
 * A signal as clients get it (`GET /sessions/:id/signals` and the event stream's `signal`): the
 * signal journal's line, ISO 8601 times included (`time`, `barTime`), then the same two instants in
 * epoch ms (`timeMs`, `barTimeMs`) for clients that compute with them.
 */
export type ClientSignal = z.infer<typeof stampedSignalSchema>;

/** A paper fill as the event stream's `fill` carries it: the runtime's `Fill` with `time` ISO 8601 UTC and `timeMs` epoch ms. */
export type ClientFill = Omit<Fill, 'time'> & { time: string; timeMs: number };

/** The client form of a stored signal (stored as the runtime's `StampedSignal` JSON, times in epoch ms). */
export function clientSignal(stored: string): ClientSignal {
  const signal = JSON.parse(stored) as StampedSignal;
  // The journal's line has every key but the two added after it.
  const line = JSON.parse(formatJournalLine(signal, 'jsonl')) as ClientSignal;
  return { ...line, timeMs: signal.time, barTimeMs: signal.barTime };
}

/** The client form of a stored fill (stored as the runtime's `Fill` JSON). */
export function clientFill(stored: string): ClientFill {
  const fill = JSON.parse(stored) as Fill;
  return { ...fill, time: new Date(fill.time).toISOString(), timeMs: fill.time };
}
