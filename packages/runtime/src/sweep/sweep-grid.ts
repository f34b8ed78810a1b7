import type { SweepParam, SweepValue } from './sweep-params';

/** One combination: a value per swept parameter, keyed `STRATEGY.KEY`, in the order the parameters were given. */
export type Combination = Record<string, SweepValue>;

/** The key of a parameter in a {@link Combination}. */
export function paramKey(param: Pick<SweepParam, 'strategy' | 'key'>): string {
  return `${param.strategy}.${param.key}`;
}

/** Combinations in a full grid of `params` (1 for none). */
export function gridSize(params: readonly SweepParam[]): number {
  return params.reduce((n, p) => n * p.values.length, 1);
}

/**
 * The `index`-th combination of the grid, the first parameter varying slowest (`0 <= index < gridSize`).
 */
export function combinationAt(params: readonly SweepParam[], index: number): Combination {
  const combination: Combination = {};
  let rest = index;
  for (let i = params.length - 1; i >= 0; i--) {
    const p = params[i] as SweepParam;
    combination[paramKey(p)] = p.values[rest % p.values.length] as SweepValue;
    rest = Math.floor(rest / p.values.length);
  }
  // Keys in the order the parameters were given.
  const ordered: Combination = {};
  for (const p of params) ordered[paramKey(p)] = combination[paramKey(p)] as SweepValue;
  return ordered;
}

/** mulberry32: a small seeded generator, the same sequence on every machine. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The grid indices to run: every one in order, or with `random` a seeded sample of that many
 * distinct ones (all of them when the grid is not larger), in grid order. Same seed, same sample.
 */
export function sweepIndices(params: readonly SweepParam[], random?: number, seed = 1): number[] {
  const size = gridSize(params);
  if (random === undefined || random >= size) return Array.from({ length: size }, (_, i) => i);
  // Floyd's algorithm: `random` distinct indices without listing the grid.
  const next = seeded(seed);
  const chosen = new Set<number>();
  for (let j = size - random; j < size; j++) {
    const t = Math.floor(next() * (j + 1));
    chosen.add(chosen.has(t) ? j : t);
  }
  return [...chosen].sort((a, b) => a - b);
}
