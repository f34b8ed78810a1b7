/**
 * One bar's numbers as they pass from the paper tap to the broker and its accounts: a small
 * Float64Array written in place, so the hot path hands over a bar without boxing a number per
 * argument (a double passed to a call that is not inlined is a heap allocation in V8).
 */
export type BarRegister = Float64Array;

/** Slots of a {@link BarRegister}. */
export const BAR_TIME = 0;
export const CLOSE_TIME = 1;
export const OPEN = 2;
export const HIGH = 3;
export const LOW = 4;
export const CLOSE = 5;

/** A register for one bar. */
export function createBarRegister(): BarRegister {
  return new Float64Array(6);
}
