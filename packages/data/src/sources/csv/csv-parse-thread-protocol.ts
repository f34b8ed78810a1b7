// No @strat/core here: the parsing thread loads this module (see csv-data-problem.ts).
import type { BarChunk, SourceProblem } from '../bar-source';
import type { SourceReportRecorder } from '../source-report-recorder';
import { CsvDataProblem } from './csv-data-problem';
import type { CsvSymbolReadOptions } from './csv-symbol-reader';

/** What the parsing thread reads (its `workerData`). */
export interface CsvParseTask {
  readonly read: Omit<CsvSymbolReadOptions, 'calendar'>;
  /** Chunks the thread may post before the session has taken them: the bound on memory in flight. */
  readonly chunksInFlight: number;
}

/** Rows read and skipped since the previous message. */
export interface CsvReportDelta {
  readonly rowsRead: number;
  readonly rowsSkipped: number;
  /** The problems recorded since the previous message (the thread keeps at most 100 in all). */
  readonly problems: SourceProblem[];
}

/** An error of the read, as plain data: a CSV data problem comes back as the same DataError. */
export type CsvReadFailure =
  | {
      readonly kind: 'data';
      /** The message without the `file:line: ` prefix. */
      readonly reason: string;
      readonly file: string;
      readonly line: number | undefined;
      readonly cause: { name: string; message: string } | undefined;
    }
  | { readonly kind: 'other'; readonly name: string; readonly message: string; readonly stack?: string };

/** A message from the parsing thread; the session answers each `chunk` with a number: chunks taken. */
export type CsvParseMessage =
  | { readonly type: 'chunk'; readonly chunk: BarChunk; readonly report: CsvReportDelta }
  | { readonly type: 'end'; readonly report: CsvReportDelta }
  | { readonly type: 'error'; readonly failure: CsvReadFailure; readonly report: CsvReportDelta };

/** Takes what a recorder counted since the last call: the thread side of the report. */
export class CsvReportDeltas {
  private rowsRead = 0;
  private rowsSkipped = 0;
  private problems = 0;

  constructor(private readonly recorder: SourceReportRecorder) {}

  /** Counts and problems recorded since the previous call. */
  take(): CsvReportDelta {
    const { rowsRead, rowsSkipped } = this.recorder;
    const problems =
      rowsSkipped === this.rowsSkipped ? [] : this.recorder.snapshot().problems.slice(this.problems);
    const delta = {
      rowsRead: rowsRead - this.rowsRead,
      rowsSkipped: rowsSkipped - this.rowsSkipped,
      problems,
    };
    this.rowsRead = rowsRead;
    this.rowsSkipped = rowsSkipped;
    this.problems += problems.length;
    return delta;
  }
}

/** Adds a delta from the thread to the session's recorder, which keeps its own first 100 problems. */
export function applyReportDelta(recorder: SourceReportRecorder, delta: CsvReportDelta): void {
  recorder.rowsRead += delta.rowsRead;
  for (const problem of delta.problems) recorder.recordSkip(problem);
  recorder.rowsSkipped += delta.rowsSkipped - delta.problems.length;
}

/** An error thrown by the read in the thread, as plain data. */
export function describeReadFailure(error: unknown): CsvReadFailure {
  if (error instanceof CsvDataProblem) {
    const cause =
      error.cause instanceof Error ? { name: error.cause.name, message: error.cause.message } : undefined;
    return { kind: 'data', reason: error.reason, file: error.file, line: error.line, cause };
  }
  const e = error instanceof Error ? error : new Error(String(error));
  return {
    kind: 'other',
    name: e.name,
    message: e.message,
    ...(e.stack === undefined ? {} : { stack: e.stack }),
  };
}
