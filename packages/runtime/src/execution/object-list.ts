/**
 * An empty array for objects that V8 already stores as one (`PACKED_ELEMENTS`). A fresh `[]` starts
 * as an array of small integers and changes its hidden class on the first object pushed; code
 * optimised on the previous session's arrays then deoptimises at the start of every session run
 * after it in the process (a sweep, the bench). Pushing one object and truncating keeps the kind.
 */
export function objectList<T extends object>(): T[] {
  const list = [OBJECT as T];
  list.length = 0;
  return list;
}

const OBJECT = {};
