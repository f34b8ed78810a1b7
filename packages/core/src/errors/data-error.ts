import { StratError, type StratErrorOptions } from './strat-error';

/** Where a data problem was found. */
export interface DataErrorLocation {
  /** The data file, when the problem is in one. */
  file?: string;
  /** The 1-based line number in that file. */
  line?: number;
}

/** Market data is missing, unreadable or invalid. Names the file and line when there is one. */
export class DataError extends StratError {
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(
    message: string,
    location: DataErrorLocation = {},
    options: StratErrorOptions & { code?: string } = {},
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
