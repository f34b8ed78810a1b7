import { createSeriesBuffers, type SeriesBuffers } from '@strat/core/internal';

/**
 * The close time of the bar (or step) being handed over from the paper feed to the broker and its
 * accounts: a small Float64Array written in place, so the hot path passes it without boxing (a double
 * passed to a call that is not inlined is a heap allocation in V8). The bar's own numbers are read
 * from its {@link BarRing}.
 */
export type BarRegister = Float64Array;

/** The slot of a {@link BarRegister}. */
export const CLOSE_TIME = 0;

/** A register. */
export function createBarRegister(): BarRegister {
  return new Float64Array(1);
}

/**
 * Where a closed bar's numbers are read: a store ring (`SeriesBuffers`) and a slot of it. The feed
 * hands the store's own ring over, so a bar is read where it lies and only the numbers an account
 * needs are read at all.
 */
export type BarRing = Pick<SeriesBuffers, 'time' | 'open' | 'high' | 'low' | 'close'>;

/** A ring of the store's own layout for bars given one at a time (in slot 0): readers stay monomorphic. */
export function createScratchRing(): SeriesBuffers {
  return createSeriesBuffers({ window: 1, guard: 1 });
}
