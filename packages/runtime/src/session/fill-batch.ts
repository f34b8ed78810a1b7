import type { Interval } from '@strat/core';
import type { Fill } from '../execution/execution-types';

/** Numbers per fill in a {@link FillBatch}. */
const STRIDE = 11;

/** Fills as numbers (ids of interned strings, NaN for no reference price): cheap to send between threads. */
export interface FillBatch {
  values: Float64Array;
  count: number;
  /** Strings first used in this batch, ids counting on from the last batch's. */
  strings: string[];
}

/** The paper thread's side: fills in, batches out. */
export class FillPacker {
  #values = new Float64Array(STRIDE * 256);
  #count = 0;
  readonly #ids = new Map<string, number>();
  #newStrings: string[] = [];

  get count(): number {
    return this.#count;
  }

  add(fill: Fill): void {
    let v = this.#values;
    const at = this.#count * STRIDE;
    if (at + STRIDE > v.length) {
      const grown = new Float64Array(v.length * 2);
      grown.set(v);
      this.#values = grown;
      v = grown;
    }
    v[at] = this.#id(fill.strategy);
    v[at + 1] = this.#id(fill.symbol);
    v[at + 2] = this.#id(fill.interval);
    v[at + 3] = fill.time;
    v[at + 4] = fill.signalSeq;
    v[at + 5] = fill.side === 'buy' ? 1 : -1;
    v[at + 6] = fill.quantity;
    v[at + 7] = fill.price;
    v[at + 8] = fill.referencePrice ?? Number.NaN;
    v[at + 9] = fill.commission;
    v[at + 10] = fill.positionAfter;
    this.#count++;
  }

  /** The fills added since the last batch (their buffer is the batch's to keep). */
  take(): FillBatch {
    const batch = {
      values: this.#values.slice(0, this.#count * STRIDE),
      count: this.#count,
      strings: this.#newStrings,
    };
    this.#count = 0;
    this.#newStrings = [];
    return batch;
  }

  #id(value: string): number {
    let id = this.#ids.get(value);
    if (id === undefined) {
      id = this.#ids.size;
      this.#ids.set(value, id);
      this.#newStrings.push(value);
    }
    return id;
  }
}

/** The session's side: batches in, {@link Fill}s out (keys in the engine's order, as journals write them). */
export class FillUnpacker {
  readonly #strings: string[] = [];

  unpack(batch: FillBatch, onFill: (fill: Fill) => void): void {
    const strings = this.#strings;
    for (const value of batch.strings) strings.push(value);
    const v = batch.values;
    for (let i = 0; i < batch.count; i++) {
      const at = i * STRIDE;
      const referencePrice = v[at + 8] as number;
      onFill({
        strategy: strings[v[at] as number] as string,
        symbol: strings[v[at + 1] as number] as string,
        interval: strings[v[at + 2] as number] as Interval,
        time: v[at + 3] as number,
        signalSeq: v[at + 4] as number,
        side: v[at + 5] === 1 ? 'buy' : 'sell',
        quantity: v[at + 6] as number,
        price: v[at + 7] as number,
        referencePrice: Number.isNaN(referencePrice) ? undefined : referencePrice,
        commission: v[at + 9] as number,
        positionAfter: v[at + 10] as number,
      });
    }
  }
}
