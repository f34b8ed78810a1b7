/**
 * The Alpaca market-data v2 stream protocol, the part about minute bars: what a client sends,
 * what the server answers. Every server frame is a JSON array of messages.
 */
import type { FeedBar } from '../bar-feed';
import { LATEST_FEED_TIME } from '../check-feed-bar';

/** A bar on the wire: `{"T":"b","S","o","h","l","c","v","t","n","vw"}`, `t` an RFC 3339 start time. */
export interface WireBar {
  T: 'b';
  S: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  t: string;
  n?: number;
  vw?: number;
}

/** The server's messages: control (`success`, `error`, `subscription`) and data (`b`). */
export type ServerMessage =
  | { T: 'success'; msg: string; speed?: number }
  | { T: 'error'; code: number; msg: string }
  | { T: 'subscription'; trades: string[]; quotes: string[]; bars: string[] }
  | WireBar;

/** The client's messages. */
export type ClientMessage =
  | { action: 'auth'; key: string; secret: string }
  | { action: 'subscribe' | 'unsubscribe'; bars?: string[]; trades?: string[]; quotes?: string[] };

/** The server's wording of each error code. */
export const SERVER_ERROR_TEXT: Readonly<Record<number, string>> = {
  400: 'invalid syntax',
  401: 'not authenticated',
  402: 'auth failed',
  403: 'already authenticated',
  404: 'auth timeout',
  405: 'symbol limit exceeded',
  406: 'connection limit exceeded',
  407: 'slow client',
  408: 'v2 not enabled',
  409: 'insufficient subscription',
  500: 'internal error',
};

/** A bar as the server writes it. */
export function encodeBar(bar: FeedBar): WireBar {
  const wire: WireBar = {
    T: 'b',
    S: bar.symbol,
    o: bar.open,
    h: bar.high,
    l: bar.low,
    c: bar.close,
    v: bar.volume,
    t: new Date(bar.time).toISOString().replace('.000Z', 'Z'),
  };
  if (bar.tradeCount !== undefined) wire.n = bar.tradeCount;
  if (bar.vwap !== undefined) wire.vw = bar.vwap;
  return wire;
}

const isFiniteNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);

/**
 * Decodes a `{"T":"b"}` message. Returns the bar, or a sentence saying what is wrong with it (the
 * caller skips and reports such a bar).
 */
export function decodeBar(message: Record<string, unknown>): FeedBar | string {
  const { S, o, h, l, c, v, t, n, vw } = message;
  if (typeof S !== 'string' || S === '') return 'a bar without a symbol (S)';
  const name = clipText(S);
  if (!(isFiniteNumber(o) && isFiniteNumber(h) && isFiniteNumber(l) && isFiniteNumber(c))) {
    return `bar ${name}: open, high, low and close (o, h, l, c) must be numbers`;
  }
  if (!isFiniteNumber(v) || v < 0) return `bar ${name}: volume (v) must be a number >= 0`;
  const time = typeof t === 'string' ? Date.parse(t) : Number.NaN;
  if (!(Number.isFinite(time) && time >= 0 && time < LATEST_FEED_TIME))
    return `bar ${name}: start time (t) must be an RFC 3339 time between 1970 and 2200, got ${clipText(JSON.stringify(t))}`;
  if (h < l || o > h || o < l || c > h || c < l)
    return `bar ${name} at ${t}: high/low do not contain open and close`;
  const bar: FeedBar = { symbol: S, time, open: o, high: h, low: l, close: c, volume: v };
  if (isFiniteNumber(n)) bar.tradeCount = n;
  if (isFiniteNumber(vw)) bar.vwap = vw;
  return bar;
}

/** Parses one server frame: a JSON array of messages (a single object is accepted too). */
export function parseFrame(text: string): Record<string, unknown>[] | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const items = Array.isArray(value) ? value : [value];
  return items.every((m) => typeof m === 'object' && m !== null && !Array.isArray(m))
    ? (items as Record<string, unknown>[])
    : undefined;
}

function clipText(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
