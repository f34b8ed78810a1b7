import { type CsvError, type Options as CsvParseOptions, Parser } from 'csv-parse';

/**
 * csv-parse's stream parser that remembers the line each record ends on (csv-parse's `info.lines`)
 * without the `info: true` option, which copies the parser's info into a new object per record and
 * costs about as much as the parsing. The parser pushes each record right after counting its lines,
 * so its live `info.lines` is the record's line at that moment. A record csv-parse cannot split comes
 * out of the stream as its `CsvError`, in file order, rather than ending the stream before the records
 * read ahead of it.
 */
export class CsvLineTrackingParser extends Parser {
  private readonly lines: number[] = [];
  private nextLine = 0;

  constructor(options: CsvParseOptions) {
    super({
      ...options,
      skip_records_with_error: true,
      on_skip: (error) => {
        if (error !== undefined) this.push(error);
        return undefined;
      },
    });
  }

  override push(chunk: unknown, encoding?: BufferEncoding): boolean {
    if (chunk !== null) this.lines.push(this.info.lines);
    return super.push(chunk, encoding);
  }

  /** The line the next record (or error) read from the stream ends on; call once per item, in order. */
  takeLine(): number {
    const line = this.lines[this.nextLine++] ?? 0;
    if (this.nextLine === this.lines.length) {
      this.lines.length = 0;
      this.nextLine = 0;
    }
    return line;
  }
}

/** An item of a {@link CsvLineTrackingParser} stream. */
export type CsvParsedItem = string[] | CsvError;
