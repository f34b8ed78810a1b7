import type { EquityColumns } from './execution-types';

/**
 * What the statistics read of an equity curve: a row's time and equity by index, and every row in
 * order, a block at a time. Curves kept compact while a session ran ({@link EquityBuffer.finish})
 * are read without working out their columns: a long replay's four columns are the largest memory
 * its results take, and on a VM writing them fresh costs more than the statistics themselves.
 */
export interface EquityRows {
  readonly count: number;
  timeAt(row: number): number;
  equityAt(row: number): number;
  /** A cursor over every row in order, a block at a time. */
  blocks(): EquityBlocks;
}

/**
 * Consecutive blocks of an equity curve's rows: each {@link next} fills `time`, `equity` and
 * `exposure` (views the next call may overwrite) from index 0 and says how many rows it gave, 0 past
 * the last. (A cursor rather than a callback: a callback's running sums would live in its closure,
 * where V8 boxes every double it stores.)
 */
export interface EquityBlocks {
  time: Float64Array;
  equity: Float64Array;
  exposure: Float64Array;
  next(): number;
}

/** Rows readers of columns that were handed out compact, by their columns object. */
const compact = new WeakMap<EquityColumns, EquityRows>();

/** Registers the reader of compact `columns` (their values read without materialising them). */
export function registerEquityRows(columns: EquityColumns, rows: EquityRows): void {
  compact.set(columns, rows);
}

/** Forgets the reader of `columns` (their values are all out: they are read in place from now on). */
export function unregisterEquityRows(columns: EquityColumns): void {
  compact.delete(columns);
}

/** The rows of an equity curve: its compact reader when it has one, else its columns read in place. */
export function equityRowsOf(columns: EquityColumns): EquityRows {
  return compact.get(columns) ?? columnRows(columns);
}

function columnRows(columns: EquityColumns): EquityRows {
  const n = columns.count;
  return {
    count: n,
    timeAt: (row) => columns.time[row] as number,
    equityAt: (row) => columns.equity[row] as number,
    blocks() {
      let done = n === 0;
      return {
        time: columns.time,
        equity: columns.equity,
        exposure: columns.exposure,
        next() {
          if (done) return 0;
          done = true;
          return n;
        },
      };
    },
  };
}
