/** Where and why a JSON text fails to parse. */
export interface JsonSyntaxProblem {
  /** 0-based offset in the text. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column (in UTF-16 code units, as editors count for most text). */
  column: number;
  /** What is wrong, in plain words. */
  message: string;
}

class JsonSyntaxFailure {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER_PATTERN = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const MAX_DEPTH = 1000;

function showChar(ch: string | undefined): string {
  if (ch === undefined) return 'the end of the text';
  if (ch === '\n' || ch === '\r') return 'a line break';
  return `'${ch}'`;
}

// A strict JSON reader that only looks for the first error; JSON.parse does the real parsing.
// Node 20's JSON.parse messages do not always carry a position, so this one finds it.
class JsonScanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  scanDocument(): void {
    this.skipWhitespace();
    this.scanValue(0);
    this.skipWhitespace();
    if (this.pos < this.text.length) {
      this.fail(`unexpected ${showChar(this.text[this.pos])} after the end of the document`);
    }
  }

  private fail(message: string, offset = this.pos): never {
    throw new JsonSyntaxFailure(offset, message);
  }

  private skipWhitespace(): void {
    for (;;) {
      const ch = this.text[this.pos];
      if (ch !== undefined && WHITESPACE.has(ch)) this.pos++;
      else if (ch === '/' && (this.text[this.pos + 1] === '/' || this.text[this.pos + 1] === '*')) {
        this.fail('comments are not allowed in JSON');
      } else return;
    }
  }

  private scanValue(depth: number): void {
    if (depth > MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
    const ch = this.text[this.pos];
    if (ch === '{') this.scanObject(depth);
    else if (ch === '[') this.scanArray(depth);
    else if (ch === '"') this.scanString();
    else if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) this.scanNumber();
    else if (!this.scanKeyword()) {
      if (ch === "'") this.fail('strings must use double quotes (")');
      this.fail(
        `expected a value (object, array, string, number, true, false or null), found ${showChar(ch)}`,
      );
    }
  }

  private scanKeyword(): boolean {
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return true;
      }
    }
    return false;
  }

  private scanNumber(): void {
    NUMBER_PATTERN.lastIndex = this.pos;
    const match = NUMBER_PATTERN.exec(this.text);
    if (!match || match[0] === '-') this.fail('malformed number');
    this.pos += match[0].length;
  }

  private scanString(): void {
    const start = this.pos;
    this.pos++;
    for (;;) {
      const ch = this.text[this.pos];
      if (ch === undefined) this.fail('unterminated string (missing closing ")', start);
      if (ch === '"') {
        this.pos++;
        return;
      }
      if (ch === '\n' || ch === '\r') this.fail('line break inside a string (write it as \\n)');
      if (ch < ' ') this.fail('control character inside a string');
      if (ch === '\\') {
        const escaped = this.text[this.pos + 1];
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) {
            this.fail('\\u must be followed by four hex digits');
          }
          this.pos += 6;
          continue;
        }
        if (escaped === undefined || !'"\\/bfnrt'.includes(escaped)) {
          this.fail(`invalid escape \\${escaped ?? ''} in a string`);
        }
        this.pos += 2;
        continue;
      }
      this.pos++;
    }
  }

  private scanObject(depth: number): void {
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return;
    }
    for (;;) {
      const ch = this.text[this.pos];
      if (ch !== '"') {
        if (ch === '}') this.fail('trailing comma before "}"', this.lastCommaBefore(this.pos));
        if (ch === "'") this.fail('property names must use double quotes ("), not single quotes');
        this.fail(`expected a property name in double quotes, found ${showChar(ch)}`);
      }
      this.scanString();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') {
        this.fail(`expected ":" after the property name, found ${showChar(this.text[this.pos])}`);
      }
      this.pos++;
      this.skipWhitespace();
      this.scanValue(depth + 1);
      this.skipWhitespace();
      const next = this.text[this.pos];
      if (next === '}') {
        this.pos++;
        return;
      }
      if (next === '"') this.fail('expected "," or "}" after a property value (missing comma?)');
      if (next !== ',') this.fail(`expected "," or "}" after a property value, found ${showChar(next)}`);
      this.pos++;
      this.skipWhitespace();
    }
  }

  private scanArray(depth: number): void {
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return;
    }
    for (;;) {
      if (this.text[this.pos] === ']') this.fail('trailing comma before "]"', this.lastCommaBefore(this.pos));
      this.scanValue(depth + 1);
      this.skipWhitespace();
      const next = this.text[this.pos];
      if (next === ']') {
        this.pos++;
        return;
      }
      if (next !== ',') {
        this.fail(
          `expected "," or "]" after an array item, found ${showChar(next)}${next === '"' ? ' (missing comma?)' : ''}`,
        );
      }
      this.pos++;
      this.skipWhitespace();
    }
  }

  private lastCommaBefore(offset: number): number {
    const comma = this.text.lastIndexOf(',', offset);
    return comma === -1 ? offset : comma;
  }
}

/** The 1-based line and column of `offset` in `text`. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/**
 * Finds the first syntax error of a JSON text, with its line and column.
 * @returns undefined when `text` is valid JSON.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxProblem | undefined {
  try {
    new JsonScanner(text).scanDocument();
    return undefined;
  } catch (error) {
    if (!(error instanceof JsonSyntaxFailure)) throw error;
    return { offset: error.offset, ...lineAndColumn(text, error.offset), message: error.message };
  }
}
