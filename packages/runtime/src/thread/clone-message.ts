import type { HostMessage } from './host-protocol';
import type { StampedSignal } from './stamped-signal';

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

const NOT_PLAIN = Symbol('not plain data');
// Deeper than this, leave it to structuredClone (which also handles cycles).
const MAX_PLAIN_DEPTH = 32;

/**
 * A copy of JSON-like data (plain objects, dense arrays, strings, numbers, booleans, null,
 * undefined), exactly what structuredClone would give for it, at a fraction of the cost; NOT_PLAIN
 * for anything else.
 */
function copyPlainData(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') {
    const type = typeof value;
    return type === 'function' || type === 'symbol' || type === 'bigint' ? NOT_PLAIN : value;
  }
  if (depth > MAX_PLAIN_DEPTH) return NOT_PLAIN;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return NOT_PLAIN;
    const copy: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) return NOT_PLAIN;
      const item = copyPlainData(value[i], depth + 1);
      if (item === NOT_PLAIN) return NOT_PLAIN;
      copy[i] = item;
    }
    return copy;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = copyPlainData((value as Record<string, unknown>)[key], depth + 1);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    copy[key] = item;
  }
  return copy;
}

/**
 * True when `value` is JSON-like data as {@link copyPlainData} takes it: then structured cloning
 * gives an equal copy, whose JSON text is the original's.
 */
export function isPlainData(value: unknown, depth = 0): boolean {
  if (value === null || typeof value !== 'object') {
    const type = typeof value;
    return type !== 'function' && type !== 'symbol' && type !== 'bigint';
  }
  if (depth > MAX_PLAIN_DEPTH) return false;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let i = 0; i < value.length; i++) {
      if (!(i in value) || !isPlainData(value[i], depth + 1)) return false;
    }
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const key of Object.keys(value)) {
    if (!isPlainData((value as Record<string, unknown>)[key], depth + 1)) return false;
  }
  return true;
}

/**
 * A deep copy that survives structured cloning: `message` itself when it clones, else its JSON
 * form (functions and symbols dropped, bigints as strings). Strategies put anything in log fields
 * and signal metadata; a bad field must not kill the strategy's thread. Plain JSON-like messages
 * (nearly all: signals) are copied directly, which gives the same result far faster.
 */
export function cloneMessage(message: HostMessage): HostMessage {
  if (message.type === 'signals') {
    const signals = copySignals(message.signals);
    if (signals !== undefined) return { type: 'signals', signals };
  }
  const plain = copyPlainData(message, 0);
  if (plain !== NOT_PLAIN) return plain as HostMessage;
  try {
    return structuredClone(message);
  } catch {
    return JSON.parse(JSON.stringify(message, jsonSafe)) as HostMessage;
  }
}

/**
 * The signals of a `signals` message copied as {@link copyPlainData} would, faster: a stamped signal
 * is a plain object of strings and numbers made by the runtime (`stampSignal`), whose only object is
 * the strategy's metadata. Undefined when some metadata is not plain data (the caller then clones the
 * whole message the general way).
 */
function copySignals(signals: readonly StampedSignal[]): StampedSignal[] | undefined {
  const copies: StampedSignal[] = new Array(signals.length);
  for (let i = 0; i < signals.length; i++) {
    const signal = signals[i] as StampedSignal;
    const metadata = copyPlainData(signal.metadata, 3);
    if (metadata === NOT_PLAIN) return undefined;
    copies[i] = { ...signal, metadata: metadata as StampedSignal['metadata'] };
  }
  return copies;
}
