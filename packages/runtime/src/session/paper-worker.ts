import { parentPort } from 'node:worker_threads';
import type { AccountResult } from '../execution/paper-account';
import { FillPacker } from './fill-batch';
import { PaperEngine, type StrategyEquity } from './paper-engine';
import type { FromPaperThread, ToPaperThread } from './paper-protocol';

// The entry point of a session's paper thread (started by SessionPaper; not part of the API): paper
// execution off the thread that runs the processor, fed chunks of what the session told it.
const port = parentPort;
if (port === null) throw new Error('paper-worker runs only as a worker thread started by a session');

let engine: PaperEngine | undefined;
let progress: Int32Array | undefined;
// Fills cross as numbers: cloning an object costs both threads microseconds, and W1x fills every few bars.
const fills = new FillPacker();
const post = (message: FromPaperThread, transfer: ArrayBuffer[] = []): void =>
  port.postMessage(message, transfer);
const postFills = (): void => {
  if (fills.count === 0) return;
  const batch = fills.take();
  post({ type: 'fills', fills: batch }, [batch.values.buffer as ArrayBuffer]);
};

port.on('message', (message: ToPaperThread) => {
  try {
    if (message.type === 'init') {
      progress = new Int32Array(message.progress);
      engine = new PaperEngine(
        new Map(message.settings),
        (fill) => fills.add(fill),
        (points: StrategyEquity[]) => {
          // Fills made before the snapshot go first, as in the session's own thread.
          postFills();
          post({ type: 'equity', points });
        },
      );
    } else if (engine === undefined) {
      throw new Error(`paper thread: '${message.type}' before 'init'`);
    } else if (message.type === 'chunk') {
      engine.apply(message.chunk);
      postFills();
      const entries = message.chunk.entries;
      post({ type: 'spent', entries }, [entries.buffer as ArrayBuffer]);
      if (progress !== undefined) {
        Atomics.add(progress, 0, 1);
        Atomics.notify(progress, 0);
      }
    } else {
      const accounts = engine.finish();
      postFills();
      post({ type: 'finished', accounts }, transferables(accounts));
    }
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    post({ type: 'failed', message: e.message, stack: e.stack });
  }
});

/** The buffers of the accounts' columns (moved, not copied, to the session). */
function transferables(accounts: AccountResult[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const { trades, equity } of accounts) {
    for (const column of [...Object.values(trades), ...Object.values(equity)]) {
      if (ArrayBuffer.isView(column) && column.buffer instanceof ArrayBuffer) out.add(column.buffer);
    }
  }
  return [...out];
}
