// Opens a journal, journals two batches faster than the flush time, and exits without closing it
// (as a second Ctrl-C does): the test reads what reached the file.
import { SignalJournal } from '../src/session/signal-journal';

const path = process.argv[2] as string;
const journal = new SignalJournal(path);
const signal = (seq: number) => ({
  seq,
  strategy: 'probe',
  time: Date.UTC(2024, 0, 2, 14, 31 + seq),
  barTime: Date.UTC(2024, 0, 2, 14, 30 + seq),
  interval: '1m' as const,
  symbol: 'AAPL',
  action: 'BUY' as const,
  reason: 'probe',
  metadata: {},
});
journal.write([signal(1)]);
journal.write([signal(2)]);
journal.write([signal(3)]);
process.exit(3);
