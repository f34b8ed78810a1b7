import { DataError } from '@strat/core';
import { CsvDataProblem, type CsvFileName, csvFileProblem, csvProblemOf } from './csv-data-problem';

/** csv-parse's errors, file-system errors and CSV data problems as the DataError a user sees; other errors as they are. */
export function asCsvDataError(file: CsvFileName, error: unknown): unknown {
  return asDataError(csvProblemOf(file, error));
}

/** A {@link CsvDataProblem} as its DataError (message, file, line, cause); other errors as they are. */
export function asDataError(error: unknown): unknown {
  if (!(error instanceof CsvDataProblem)) return error;
  return new DataError(
    error.reason,
    error.line === undefined ? { file: error.file } : { file: error.file, line: error.line },
    error.cause === undefined ? {} : { cause: error.cause },
  );
}

/** The DataError for a file that cannot be opened or read. */
export function csvFileError(file: CsvFileName, error: unknown): DataError {
  return asDataError(csvFileProblem(file, error)) as DataError;
}
