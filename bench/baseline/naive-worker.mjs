// @ts-check
// One naive strategy in a worker thread: every bar arrives as a message (a structured-clone copy
// of the bar object), is pushed onto the strategy's own array, and the signals go back as a reply.
import { parentPort, workerData } from 'node:worker_threads';
import { naiveStrategy } from './naive-strategies.mjs';

const port = parentPort;
if (port === null) throw new Error('naive-worker.mjs runs as a worker thread');
const strategy = naiveStrategy(workerData.kind);
/** @type {Map<string, import('./naive-strategies.mjs').NaiveBar[]>} */
const series = new Map();

port.on(
  'message',
  (
    /** @type {{ symbol: string, interval: string, bar: import('./naive-strategies.mjs').NaiveBar, sentAt?: number }} */ message,
  ) => {
    const receivedAt = performance.timeOrigin + performance.now();
    const key = `${message.symbol} ${message.interval}`;
    let bars = series.get(key);
    if (bars === undefined) {
      bars = [];
      series.set(key, bars);
    }
    bars.push(message.bar);
    const signals = strategy.onBar(message.symbol, bars);
    port.postMessage({
      signals,
      latencyMs: message.sentAt === undefined ? undefined : receivedAt - message.sentAt,
    });
  },
);
port.postMessage({ ready: true });
