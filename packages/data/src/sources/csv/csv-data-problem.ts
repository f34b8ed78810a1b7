import { CsvError } from 'csv-parse';
import { fileOpenReason } from '../file-open-reason';
import { clipQuotedValues } from './clip-value';

// No @strat/core here: the CSV parsing thread loads this, and @strat/core would bring its schemas
// (zod) into the thread's start-up. The session's thread turns a problem into a DataError.

/** Where a CSV file is: the path as written in the config (for messages) and the one opened. */
export interface CsvFileName {
  readonly label: string;
  readonly absolutePath: string;
}

/** A problem with a CSV file's data: the DataError to be, with the message, file and line. */
export class CsvDataProblem extends Error {
  /**
   * @param reason what is wrong, written for the user (without the `file:line: ` prefix)
   * @param file the file as named in the config
   * @param line the 1-based line, when known
   */
  constructor(
    readonly reason: string,
    readonly file: string,
    readonly line: number | undefined,
    options: { cause?: unknown } = {},
  ) {
    super(`${file}${line === undefined ? '' : `:${line}`}: ${reason}`, options);
    this.name = 'CsvDataProblem';
  }
}

/** csv-parse's errors and file-system errors as a {@link CsvDataProblem}; other errors as they are. */
export function csvProblemOf(file: CsvFileName, error: unknown): unknown {
  if (error instanceof CsvError) {
    const line = (error as CsvError & { lines?: number }).lines;
    return new CsvDataProblem(`cannot parse CSV: ${clipQuotedValues(error.message)}`, file.label, line, {
      cause: error,
    });
  }
  if (isFileSystemError(error)) return csvFileProblem(file, error);
  return error;
}

/** The problem of a file that cannot be opened or read. */
export function csvFileProblem(file: CsvFileName, error: unknown): CsvDataProblem {
  return new CsvDataProblem(
    `cannot open ${file.absolutePath}: ${fileOpenReason(error)}`,
    file.label,
    undefined,
    {
      cause: error,
    },
  );
}

function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error
  );
}
