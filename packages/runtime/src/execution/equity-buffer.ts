import type { EquityColumns, EquityPoint } from './execution-types';
import { grownTo, INITIAL_CAPACITY } from './growable-columns';

/** The equity curve of one account, one row per step, in growable columns. */
export class EquityBuffer {
  #count = 0;
  #time = new Float64Array(INITIAL_CAPACITY);
  #equity = new Float64Array(INITIAL_CAPACITY);
  #cash = new Float64Array(INITIAL_CAPACITY);
  #exposure = new Float64Array(INITIAL_CAPACITY);

  /** Rows recorded so far. */
  get count(): number {
    return this.#count;
  }

  /** Appends one row. */
  push(time: number, equity: number, cash: number, exposure: number): void {
    const row = this.#count;
    if (row === this.#time.length) {
      this.#time = grownTo(this.#time, row + 1);
      this.#equity = grownTo(this.#equity, row + 1);
      this.#cash = grownTo(this.#cash, row + 1);
      this.#exposure = grownTo(this.#exposure, row + 1);
    }
    this.#time[row] = time;
    this.#equity[row] = equity;
    this.#cash[row] = cash;
    this.#exposure[row] = exposure;
    this.#count = row + 1;
  }

  /** The last row, or undefined before the first. */
  last(): EquityPoint | undefined {
    const row = this.#count - 1;
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
    const n = this.#count;
    return {
      count: n,
      time: this.#time.slice(0, n),
      equity: this.#equity.slice(0, n),
      cash: this.#cash.slice(0, n),
      exposure: this.#exposure.slice(0, n),
    };
  }
}
