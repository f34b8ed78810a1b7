import type { Signal } from '@strat/core';

/**
 * The answer of `onBars` when nothing happens, shared so that quiet bars (nearly all of them)
 * allocate nothing. Frozen: a caller that tried to add to it would otherwise leak signals into
 * every later quiet bar.
 */
export const NO_SIGNALS: Signal[] = Object.freeze([]) as unknown as Signal[];
