import type { EquityColumns, EquityPoint } from './execution-types';

/** Rows per chunk: 16 Ki rows, 128 KiB per column. */
const CHUNK_ROWS = 16_384;

/**
 * Column chunks of finished buffers, for the next buffers of this thread to fill again (at most 32 MiB).
 * A fresh chunk costs its pages' first-touch faults, 32 of them, several microseconds each on a VM:
 * sessions run one after another in one process (sweeps, the service, the bench) write theirs into
 * memory already mapped.
 */
const spare: Float64Array[] = [];
const MAX_SPARE = 256;

function chunk(): Float64Array {
  return spare.pop() ?? new Float64Array(CHUNK_ROWS);
}

/**
 * The equity curve of one account, one row per step, in columns kept as fixed-size chunks: a row is
 * four stores, and a long run never copies (or leaves behind for the collector) the rows it already
 * has; {@link columns} joins the chunks once, at the end.
 */
export class EquityBuffer {
  /** Full chunks, per column. */
  readonly #full: { time: Float64Array; equity: Float64Array; cash: Float64Array; exposure: Float64Array }[] =
    [];
  #time = chunk();
  #equity = chunk();
  #cash = chunk();
  #exposure = chunk();
  /** Rows in the current chunk. */
  #rows = 0;
  readonly #scratch = new Float64Array(4);

  /** Rows recorded so far. */
  get count(): number {
    return this.#full.length * CHUNK_ROWS + this.#rows;
  }

  /**
   * Appends one row; a row at the time of the last one replaces it (a live minute whose bars came in
   * two steps is one row, as in a backtest).
   */
  push(time: number, equity: number, cash: number, exposure: number): void {
    const row = this.#scratch;
    row[0] = time;
    row[1] = equity;
    row[2] = cash;
    row[3] = exposure;
    this.pushRow(row);
  }

  /** {@link push} of `[time, equity, cash, exposure]`: no number boxed per call. */
  pushRow(values: Float64Array): void {
    const time = values[0] as number;
    let row = this.#rows;
    if (row === 0 || this.#time[row - 1] !== time) {
      if (row === CHUNK_ROWS) {
        this.#rollOver();
        row = 0;
      }
      this.#time[row] = time;
      this.#rows = row + 1;
    } else {
      row--;
    }
    this.#equity[row] = values[1] as number;
    this.#cash[row] = values[2] as number;
    this.#exposure[row] = values[3] as number;
  }

  /** The current chunk is full: it joins the full ones and a new one starts. */
  #rollOver(): void {
    this.#full.push({ time: this.#time, equity: this.#equity, cash: this.#cash, exposure: this.#exposure });
    this.#time = chunk();
    this.#equity = chunk();
    this.#cash = chunk();
    this.#exposure = chunk();
    this.#rows = 0;
  }

  /**
   * Done with: its chunks go back for other buffers to fill (the rows are gone; {@link columns}
   * first for a copy). The buffer must not be used again.
   */
  release(): void {
    const chunks = [
      ...this.#full,
      { time: this.#time, equity: this.#equity, cash: this.#cash, exposure: this.#exposure },
    ];
    this.#full.length = 0;
    this.#rows = 0;
    const empty = new Float64Array(0);
    this.#time = empty;
    this.#equity = empty;
    this.#cash = empty;
    this.#exposure = empty;
    for (const c of chunks) {
      for (const column of [c.time, c.equity, c.cash, c.exposure])
        if (spare.length < MAX_SPARE) spare.push(column);
    }
  }

  /** The last row, or undefined before the first. */
  last(): EquityPoint | undefined {
    const row = this.#rows - 1;
    if (row < 0) return undefined;
    return {
      time: this.#time[row] as number,
      equity: this.#equity[row] as number,
      cash: this.#cash[row] as number,
      exposure: this.#exposure[row] as number,
    };
  }

  /** The rows so far, as columns of exactly {@link count} elements (copies). */
  columns(): EquityColumns {
    const n = this.count;
    const out: EquityColumns = {
      count: n,
      time: new Float64Array(n),
      equity: new Float64Array(n),
      cash: new Float64Array(n),
      exposure: new Float64Array(n),
    };
    let at = 0;
    const chunks = [
      ...this.#full.map((chunk) => ({ ...chunk, rows: CHUNK_ROWS })),
      {
        time: this.#time,
        equity: this.#equity,
        cash: this.#cash,
        exposure: this.#exposure,
        rows: this.#rows,
      },
    ];
    for (const chunk of chunks) {
      out.time.set(chunk.time.subarray(0, chunk.rows), at);
      out.equity.set(chunk.equity.subarray(0, chunk.rows), at);
      out.cash.set(chunk.cash.subarray(0, chunk.rows), at);
      out.exposure.set(chunk.exposure.subarray(0, chunk.rows), at);
      at += chunk.rows;
    }
    return out;
  }
}
