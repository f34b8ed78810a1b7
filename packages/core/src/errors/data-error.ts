import { StratError, type StratErrorOptions } from './strat-error';
import type { StratErrorCode } from './strat-error-code';

/** Where a data problem was found. */
export interface DataErrorLocation {
  /** The data file, when the problem is in one. */
  file?: string;
  /** The 1-based line number in that file. */
  line?: number;
}

/** Market data is missing, unreadable or invalid. Names the file and line when there is one. */
export class DataError extends StratError {
  /** The kind {@link StratError.isInstance} recognises data errors by, across copies of the package. */
  static override readonly kind: string = '@strat/core/DataError';

  /** The data file, when the problem is in one. */
  readonly file: string | undefined;
  /** The 1-based line number in {@link DataError.file}, when known. */
  readonly line: number | undefined;

  /**
   * @param message - What is wrong with the data, written for the user.
   * @param location - The file and line; the message is prefixed with `file:line: `.
   * @param options - A more specific code than `DATA_INVALID` (such as `NO_SESSIONS`), the cause.
   */
  constructor(
    message: string,
    location: DataErrorLocation = {},
    options: StratErrorOptions & { code?: StratErrorCode } = {},
  ) {
    const where =
      location.file === undefined
        ? ''
        : `${location.file}${location.line === undefined ? '' : `:${location.line}`}: `;
    super(options.code ?? 'DATA_INVALID', `${where}${message}`, options);
    this.file = location.file;
    this.line = location.line;
  }
}
