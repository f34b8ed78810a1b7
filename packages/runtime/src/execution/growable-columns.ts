/** A typed array that {@link grownTo} can enlarge. */
export type GrowableArray = Float64Array | Int32Array | Int8Array;

/** The first capacity of a growable column. */
export const INITIAL_CAPACITY = 64;

/**
 * `array` when it holds `needed` elements, else a copy twice as large (or `needed`, if larger)
 * holding its values: amortised O(1) appends with no object per row.
 */
export function grownTo<T extends GrowableArray>(array: T, needed: number): T {
  if (needed <= array.length) return array;
  const Constructor = array.constructor as new (length: number) => T;
  const next = new Constructor(Math.max(needed, array.length * 2));
  next.set(array);
  return next;
}
