import { parentPort, workerData } from 'node:worker_threads';
import { SourceReportRecorder } from '../source-report-recorder';
import {
  type CsvParseMessage,
  type CsvParseTask,
  CsvReportDeltas,
  describeReadFailure,
} from './csv-parse-thread-protocol';
import { readCsvSymbol } from './csv-symbol-reader';

// The parsing thread of a CSV read (see readCsvSymbolInThread): reads one symbol's files and posts
// its bar chunks, their buffers transferred, at most `chunksInFlight` ahead of the session.

/** Only intraday files are read here: their decoder never asks a calendar. */
const NO_CALENDAR = {
  hoursOn(): never {
    throw new Error('date-only daily rows are read in the session thread, not the CSV parsing thread');
  },
};

async function parseCsv(task: CsvParseTask): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('csv-parse-worker runs as a worker thread');
  let credits = task.chunksInFlight;
  let wake: (() => void) | undefined;
  port.on('message', (taken: number) => {
    credits += taken;
    wake?.();
  });
  const recorder = new SourceReportRecorder();
  const deltas = new CsvReportDeltas(recorder);
  const post = (message: CsvParseMessage, transfer: ArrayBuffer[] = []): void =>
    port.postMessage(message, transfer);
  try {
    for await (const chunk of readCsvSymbol({ ...task.read, calendar: NO_CALENDAR }, recorder)) {
      while (credits === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
      credits--;
      // The six columns share one buffer (BarChunkBuilder): moved, not copied.
      post({ type: 'chunk', chunk, report: deltas.take() }, [chunk.time.buffer as ArrayBuffer]);
    }
    post({ type: 'end', report: deltas.take() });
  } catch (error) {
    post({ type: 'error', failure: describeReadFailure(error), report: deltas.take() });
  }
}

void parseCsv(workerData as CsvParseTask);
