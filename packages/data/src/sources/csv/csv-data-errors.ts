import { DataError } from '@strat/core';
import { CsvError } from 'csv-parse';
import { clipQuotedValues } from './clip-value';

/** Where a CSV file is: the path as written in the config (for messages) and the one opened. */
export interface CsvFileName {
  readonly label: string;
  readonly absolutePath: string;
}

/** csv-parse's errors and file-system errors as the DataError a user sees; other errors as they are. */
export function asCsvDataError(file: CsvFileName, error: unknown): unknown {
  if (error instanceof CsvError) {
    const line = (error as CsvError & { lines?: number }).lines;
    return new DataError(
      `cannot parse CSV: ${clipQuotedValues(error.message)}`,
      { file: file.label, line },
      { cause: error },
    );
  }
  if (isFileSystemError(error)) return csvFileError(file, error);
  return error;
}

/** The DataError for a file that cannot be opened or read. */
export function csvFileError(file: CsvFileName, error: unknown): DataError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a folder'
          : (error as Error).message;
  return new DataError(`cannot open ${file.absolutePath}: ${reason}`, { file: file.label }, { cause: error });
}

function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error
  );
}
