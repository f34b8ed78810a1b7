import { type Interval, Signal } from '@strat/core';

/** A signal in its plain form, as `Signal.toJSON()` gives it. */
export type SignalJson = ReturnType<Signal['toJSON']>;

/**
 * A signal as the runtime emits and journals it: the strategy's signal stamped with who sent it
 * and for which bar. Key order is fixed, so JSON journals are byte-identical run after run.
 */
export interface StampedSignal extends SignalJson {
  /** Sequence number within the strategy, from 1. */
  seq: number;
  /** The strategy's name. */
  strategy: string;
  /** Close time of the bar that produced the signal (epoch ms): the strategy's current time. */
  time: number;
  /** Start time (label) of that bar (epoch ms). */
  barTime: number;
  /** Interval of that bar's series. */
  interval: Interval;
}

/**
 * The plain form of one element of `onBars`' result: a `Signal` (also one from another copy of
 * @strat/core), or a plain `SignalInit`-shaped object, validated like `new Signal(...)`.
 * @throws TypeError for anything that is not a valid signal
 */
export function toSignalJson(value: unknown): SignalJson {
  if (value instanceof Signal) return value.toJSON();
  if (value === null || typeof value !== 'object') {
    throw new TypeError(`onBars must return Signal objects, got ${value === null ? 'null' : typeof value}`);
  }
  const candidate = value as { toJSON?: unknown };
  const init = typeof candidate.toJSON === 'function' ? (candidate.toJSON as () => unknown)() : value;
  return new Signal(init as ConstructorParameters<typeof Signal>[0]).toJSON();
}

/** Stamps a signal; see {@link StampedSignal} for the fields. */
export function stampSignal(
  seq: number,
  strategy: string,
  time: number,
  barTime: number,
  interval: Interval,
  signal: SignalJson,
): StampedSignal {
  return { seq, strategy, time, barTime, interval, ...signal };
}
