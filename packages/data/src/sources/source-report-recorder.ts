import { MAX_REPORTED_PROBLEMS, type SourceProblem, type SourceReport } from './bar-source';

/** Counts rows and keeps the first problems for a source's {@link SourceReport}. */
export class SourceReportRecorder {
  /** Data rows read so far, skipped ones included. */
  rowsRead = 0;
  /** Rows skipped so far. */
  rowsSkipped = 0;
  private readonly problems: SourceProblem[] = [];

  /** Counts a skipped row and keeps its problem while fewer than {@link MAX_REPORTED_PROBLEMS} are kept. */
  recordSkip(problem: SourceProblem): void {
    this.rowsSkipped++;
    if (this.problems.length < MAX_REPORTED_PROBLEMS) this.problems.push(problem);
  }

  /** A copy of the counts and problems so far. */
  snapshot(): SourceReport {
    return {
      rowsRead: this.rowsRead,
      rowsSkipped: this.rowsSkipped,
      problems: this.problems.map((p) => ({ ...p })),
    };
  }
}
