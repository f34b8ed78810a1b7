import { type EquityBlocks, registerEquityRows, unregisterEquityRows } from './equity-rows';
import type { EquityColumns, EquityPoint } from './execution-types';
import { grownTo, INITIAL_CAPACITY } from './growable-columns';

/** Rows per chunk: 16 Ki rows, 128 KiB per column. */
const CHUNK_ROWS = 16_384;

/** Rows per block of {@link EquityBuffer.finish}'s reader. */
const BLOCK_ROWS = 4096;

/** The columns of a curve, in the order their objects have them. */
const COLUMN_NAMES = ['time', 'equity', 'cash', 'exposure'] as const;
type ColumnName = (typeof COLUMN_NAMES)[number];

/**
 * Mark chunks of finished buffers, for the next buffers of this thread to fill again (at most 32 MiB).
 * A fresh chunk costs its pages' first-touch faults, 32 of them, several microseconds each on a VM:
 * sessions run one after another in one process (sweeps, the service, the bench) write theirs into
 * memory already mapped.
 */
const spare: Float64Array[] = [];
const MAX_SPARE = 256;

function chunk(): Float64Array {
  return spare.pop() ?? new Float64Array(CHUNK_ROWS);
}

/** Rows kept now and then, in row order: a row index and two numbers each, in growable columns. */
class SparseRows {
  count = 0;
  row = new Float64Array(INITIAL_CAPACITY);
  first = new Float64Array(INITIAL_CAPACITY);
  second = new Float64Array(INITIAL_CAPACITY);

  push(row: number, first: number, second: number): void {
    const k = this.count;
    if (k === this.row.length) {
      this.row = grownTo(this.row, k + 1);
      this.first = grownTo(this.first, k + 1);
      this.second = grownTo(this.second, k + 1);
    }
    this.row[k] = row;
    this.first[k] = first;
    this.second[k] = second;
    this.count = k + 1;
  }

  /** Forgets the last entry when it is of `row` (the row is being replaced). */
  dropRow(row: number): void {
    if (this.count > 0 && this.row[this.count - 1] === row) this.count--;
  }
}

/**
 * The equity curve of one account, one row per step (time, equity, cash, exposure), kept compact
 * while the replay runs: a step writes one number, its *mark*, the signed value of the account's one
 * position (`side * quantity * close`, 0 when flat). Times are kept as runs of evenly spaced rows
 * (a start and a spacing per run: a session of minute bars is one run). Cash and the position's side
 * change only at fills: they are kept once per change. A step with two positions or more (several
 * symbols) keeps its equity and exposure aside. {@link columns} works the rows out once, at the end,
 * with the operations of marking itself, so they are bit for bit what storing them whole would give:
 * equity `cash + mark`, exposure `0 + side * mark` (`side * mark` is exactly `quantity * close`), time
 * `start + k * spacing` (a row joins a run only when that gives its time exactly).
 *
 * A quarter of the bytes of four columns a step: a long replay's equity curve is the largest thing
 * paper execution writes, and on a VM its fresh pages cost more than the stores into them.
 */
export class EquityBuffer {
  /** Full mark chunks. */
  readonly #full: Float64Array[] = [];
  /** Per row the mark, or NaN: the row's equity and exposure are aside. */
  #mark = chunk();
  /** Rows in the current chunk. */
  #rows = 0;
  /** The time of the last row (see {@link #rowAt}). */
  #lastTime = Number.NaN;
  /** Runs of evenly spaced times: from a run's row on, row `row + k` is at `first + k * second`. */
  readonly #runs = new SparseRows();
  /** The current run: its start, spacing (0 while it has one row), rows, and the time its next row would have. */
  #runStart = Number.NaN;
  #runSpacing = 0;
  #runRows = 0;
  #runNext = Number.NaN;
  /** Changes of cash or side: from a change's row on, cash is its `first` and the side its `second`. */
  readonly #changes = new SparseRows();
  /** Rows whose equity (`first`) and exposure (`second`) are kept whole. */
  readonly #asides = new SparseRows();

  /** Rows recorded so far. */
  get count(): number {
    return this.#full.length * CHUNK_ROWS + this.#rows;
  }

  /**
   * Appends the row of a step with at most one position, given as `[time, cash, side, mark]`: `side`
   * 1 (long), -1 (short) or 0 (flat, `mark` 0), `mark` its `side * quantity * close`. (In a register: a
   * double passed to a call V8 does not inline is a heap allocation, four per step here.) A row at the
   * time of the last one replaces it (a live minute whose bars came in two steps is one row, as in a
   * backtest).
   */
  mark(values: Float64Array): void {
    const cash = values[1] as number;
    const side = values[2] as number;
    const mark = values[3] as number;
    const row = this.#rowAt(values[0] as number);
    if (this.#changed(cash, side)) this.#changes.push(row, cash, side);
    if (Number.isNaN(mark)) {
      // A NaN mark (a NaN price) is kept aside, where NaN means nothing else.
      this.#aside(row, side === 0 ? cash : cash + mark, 0 + side * mark);
      return;
    }
    this.#mark[this.#rows - 1] = mark;
  }

  /** Appends a row given whole (any number of positions; its side, which nothing reads, kept as 0). */
  push(time: number, equity: number, cash: number, exposure: number): void {
    const row = this.#rowAt(time);
    if (this.#changed(cash, 0)) this.#changes.push(row, cash, 0);
    this.#aside(row, equity, exposure);
  }

  /**
   * The index of the row at `time`: a new one, or the last one when it has that time (what was kept
   * of it is dropped). The row's time is written, its mark left to the caller.
   */
  #rowAt(time: number): number {
    // The common case first, in a method small enough for V8 to inline (the whole of it is not).
    const rows = this.#rows;
    if (rows < CHUNK_ROWS && time !== this.#lastTime && sameBits(time, this.#runNext)) {
      return this.#nextInRun(time, rows);
    }
    return this.#newRowAt(time);
  }

  /** {@link #rowAt} for any row: the last one again, one in a new chunk, one of a new run. */
  #newRowAt(time: number): number {
    let rows = this.#rows;
    if (rows > 0 && this.#lastTime === time) {
      const row = this.#full.length * CHUNK_ROWS + rows - 1;
      this.#changes.dropRow(row);
      this.#asides.dropRow(row);
      return row;
    }
    if (rows === CHUNK_ROWS) {
      this.#rollOver();
      rows = 0;
    }
    if (sameBits(time, this.#runNext)) return this.#nextInRun(time, rows);
    this.#rows = rows + 1;
    const row = this.#full.length * CHUNK_ROWS + rows;
    this.#lastTime = time;
    if (this.#runRows === 1 && sameBits(this.#runStart + (time - this.#runStart), time)) {
      // The run's second row sets its spacing.
      this.#runSpacing = time - this.#runStart;
      this.#runs.second[this.#runs.count - 1] = this.#runSpacing;
      this.#runRows = 2;
      this.#runNext = this.#runStart + 2 * this.#runSpacing;
    } else {
      this.#runs.push(row, time, 0);
      this.#runStart = time;
      this.#runSpacing = 0;
      this.#runRows = 1;
      this.#runNext = Number.NaN;
    }
    return row;
  }

  /** A new row, at `rows` in the current chunk, that carries on the current run at `time` (its next time). */
  #nextInRun(time: number, rows: number): number {
    this.#rows = rows + 1;
    this.#lastTime = time;
    this.#runRows++;
    this.#runNext = this.#runStart + this.#runRows * this.#runSpacing;
    return this.#full.length * CHUNK_ROWS + rows;
  }

  /** Whether cash or side differ from the last change's (0 and -0 differ: rows are kept bit for bit). */
  #changed(cash: number, side: number): boolean {
    const changes = this.#changes;
    const k = changes.count - 1;
    if (k < 0 || changes.second[k] !== side) return true;
    const last = changes.first[k] as number;
    return last !== cash || (cash === 0 && 1 / last !== 1 / cash);
  }

  /** Keeps the row's equity and exposure whole; its mark says so (NaN). */
  #aside(row: number, equity: number, exposure: number): void {
    this.#asides.push(row, equity, exposure);
    this.#mark[this.#rows - 1] = Number.NaN;
  }

  /** The current chunk is full: it joins the full ones and a new one starts. */
  #rollOver(): void {
    this.#full.push(this.#mark);
    this.#mark = chunk();
    this.#rows = 0;
  }

  /**
   * Done with: its chunks go back for other buffers to fill (the rows are gone; {@link columns}
   * first for a copy). The buffer must not be used again.
   */
  release(): void {
    const chunks = [...this.#full, this.#mark];
    this.#full.length = 0;
    this.#rows = 0;
    this.#changes.count = 0;
    this.#asides.count = 0;
    this.#runs.count = 0;
    this.#runRows = 0;
    this.#runNext = Number.NaN;
    this.#mark = new Float64Array(0);
    for (const column of chunks) if (column.length > 0 && spare.length < MAX_SPARE) spare.push(column);
  }

  /** The last row, or undefined before the first. */
  last(): EquityPoint | undefined {
    const rows = this.#rows;
    if (rows === 0) return undefined;
    const changes = this.#changes;
    const asides = this.#asides;
    const k = changes.count - 1;
    const cash = changes.first[k] as number;
    const side = changes.second[k] as number;
    const mark = this.#mark[rows - 1] as number;
    const aside = Number.isNaN(mark);
    return {
      time: this.#lastTime,
      equity: aside ? (asides.first[asides.count - 1] as number) : side === 0 ? cash : cash + mark,
      cash,
      exposure: aside ? (asides.second[asides.count - 1] as number) : 0 + side * mark,
    };
  }

  /** The rows so far, as columns of exactly {@link count} elements (new arrays). */
  columns(): EquityColumns {
    const n = this.count;
    const out: EquityColumns = {
      count: n,
      time: new Float64Array(n),
      equity: new Float64Array(n),
      cash: new Float64Array(n),
      exposure: new Float64Array(n),
    };
    const blocks = this.#blocks();
    let at = 0;
    for (let length = blocks.next(); length > 0; length = blocks.next()) {
      out.time.set(blocks.time.subarray(0, length), at);
      out.equity.set(blocks.equity.subarray(0, length), at);
      out.cash.set(blocks.cash.subarray(0, length), at);
      out.exposure.set(blocks.exposure.subarray(0, length), at);
      at += length;
    }
    return out;
  }

  /**
   * The rows as columns worked out when first read (the four at once), and the buffer's chunks then
   * given back as {@link release} does. What never reads them spares their memory: the statistics read
   * the compact rows in place (see `equityRowsOf`). The buffer must not be marked again.
   */
  finish(): EquityColumns {
    const columns = { count: this.count } as EquityColumns;
    const settle = (name: ColumnName, value: Float64Array) =>
      Object.defineProperty(columns, name, { value, writable: true, enumerable: true, configurable: true });
    const workOut = () => {
      const whole = this.columns();
      for (const name of COLUMN_NAMES) if (isPending(columns, name)) settle(name, whole[name]);
      // Every column is out: the compact rows are no longer read.
      unregisterEquityRows(columns);
      this.release();
    };
    for (const name of COLUMN_NAMES) {
      Object.defineProperty(columns, name, {
        enumerable: true,
        configurable: true,
        get: () => {
          workOut();
          return columns[name];
        },
        set: (value: Float64Array) => settle(name, value),
      });
    }
    registerEquityRows(columns, {
      count: this.count,
      timeAt: (row) => this.#timeAt(row),
      equityAt: (row) => this.#equityAt(row),
      blocks: () => this.#blocks(),
    });
    return columns;
  }

  /** A cursor over every row, as the columns hold them. */
  #blocks(): CompactBlocks {
    return new CompactBlocks(this.#chunks(), this.#rows, this.#runs, this.#changes, this.#asides);
  }

  /** The mark chunks, full ones first. */
  #chunks(): Float64Array[] {
    return [...this.#full, this.#mark];
  }

  /** The time of `row`, as {@link CompactBlocks} works it out. */
  #timeAt(row: number): number {
    const runs = this.#runs;
    const r = lastAtOrBefore(runs.row, runs.count, row);
    const k = row - (runs.row[r] as number);
    const start = runs.first[r] as number;
    return k === 0 ? start : start + k * (runs.second[r] as number);
  }

  /** The equity of `row`, as {@link CompactBlocks} works it out. */
  #equityAt(row: number): number {
    const chunk = Math.floor(row / CHUNK_ROWS);
    const marks = chunk < this.#full.length ? (this.#full[chunk] as Float64Array) : this.#mark;
    const mark = marks[row - chunk * CHUNK_ROWS] as number;
    if (Number.isNaN(mark)) {
      const asides = this.#asides;
      return asides.first[lastAtOrBefore(asides.row, asides.count, row)] as number;
    }
    const changes = this.#changes;
    const k = lastAtOrBefore(changes.row, changes.count, row);
    const cash = changes.first[k] as number;
    return changes.second[k] === 0 ? cash : cash + mark;
  }
}

/**
 * Every row of a buffer in order, {@link BLOCK_ROWS} at a time, for its columns and for the
 * statistics alike: equity `cash + mark` (cash when flat), exposure `0 + side * mark`, a run's times
 * `start + k * spacing`. (`#timeAt` and `#equityAt` give one row with the same arithmetic, found by
 * bisection; the tests hold the three to the same numbers.)
 */
class CompactBlocks implements EquityBlocks {
  readonly time: Float64Array;
  readonly equity: Float64Array;
  readonly cash: Float64Array;
  readonly exposure: Float64Array;
  readonly #chunks: Float64Array[];
  readonly #lastRows: number;
  readonly #runs: SparseRows;
  readonly #changes: SparseRows;
  readonly #asides: SparseRows;
  readonly #count: number;
  #chunk = 0;
  #inChunk = 0;
  #row = 0;
  #run = -1;
  #runFrom = 0;
  #runEnd = 0;
  #start = Number.NaN;
  #spacing = Number.NaN;
  #nextChange = 0;
  #nextAside = 0;
  #cash = Number.NaN;
  #side = Number.NaN;

  /**
   * @param chunks - the mark chunks, full ones first
   * @param lastRows - rows in the last chunk
   */
  constructor(
    chunks: Float64Array[],
    lastRows: number,
    runs: SparseRows,
    changes: SparseRows,
    asides: SparseRows,
  ) {
    this.#chunks = chunks;
    this.#lastRows = lastRows;
    this.#runs = runs;
    this.#changes = changes;
    this.#asides = asides;
    this.#count = (chunks.length - 1) * CHUNK_ROWS + lastRows;
    const size = Math.min(this.#count, BLOCK_ROWS);
    this.time = new Float64Array(size);
    this.equity = new Float64Array(size);
    this.cash = new Float64Array(size);
    this.exposure = new Float64Array(size);
  }

  next(): number {
    const { time, equity, exposure } = this;
    const cashBlock = this.cash;
    const runs = this.#runs;
    const changes = this.#changes;
    const asides = this.#asides;
    const n = this.#count;
    let row = this.#row;
    let chunk = this.#chunk;
    let i = this.#inChunk;
    let runFrom = this.#runFrom;
    let runEnd = this.#runEnd;
    let start = this.#start;
    let spacing = this.#spacing;
    let cash = this.#cash;
    let side = this.#side;
    let filled = 0;
    while (filled < BLOCK_ROWS && row < n) {
      const chunkRows = chunk < this.#chunks.length - 1 ? CHUNK_ROWS : this.#lastRows;
      if (i === chunkRows) {
        chunk++;
        i = 0;
        continue;
      }
      if (row === runEnd) {
        const run = ++this.#run;
        runFrom = runs.row[run] as number;
        runEnd = run + 1 < runs.count ? (runs.row[run + 1] as number) : n;
        start = runs.first[run] as number;
        spacing = runs.second[run] as number;
      }
      const k = row - runFrom;
      time[filled] = k === 0 ? start : start + k * spacing;
      if (this.#nextChange < changes.count && changes.row[this.#nextChange] === row) {
        cash = changes.first[this.#nextChange] as number;
        side = changes.second[this.#nextChange] as number;
        this.#nextChange++;
      }
      cashBlock[filled] = cash;
      const mark = (this.#chunks[chunk] as Float64Array)[i] as number;
      if (Number.isNaN(mark)) {
        equity[filled] = asides.first[this.#nextAside] as number;
        exposure[filled] = asides.second[this.#nextAside] as number;
        this.#nextAside++;
      } else {
        equity[filled] = side === 0 ? cash : cash + mark;
        exposure[filled] = 0 + side * mark;
      }
      filled++;
      row++;
      i++;
    }
    this.#row = row;
    this.#chunk = chunk;
    this.#inChunk = i;
    this.#runFrom = runFrom;
    this.#runEnd = runEnd;
    this.#start = start;
    this.#spacing = spacing;
    this.#cash = cash;
    this.#side = side;
    return filled;
  }
}

/** Whether a property of `columns` is still an accessor (not worked out yet). */
function isPending(columns: EquityColumns, name: ColumnName): boolean {
  return Object.getOwnPropertyDescriptor(columns, name)?.get !== undefined;
}

/** The index of the last of `count` ascending `rows` at or before `row` (0 when none is). */
function lastAtOrBefore(rows: Float64Array, count: number, row: number): number {
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((rows[mid] as number) <= row) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Whether two numbers are the same double (0 and -0 differ; NaN is never the same: it starts a run). */
function sameBits(a: number, b: number): boolean {
  return a === b && (a !== 0 || 1 / a === 1 / b);
}
