// @ts-check
// The baseline every workload is printed beside: bars as arrays of objects, and one postMessage
// round trip per bar per strategy (each strategy in its own worker; the replay waits for every
// reply before the next bar, which is what keeps a naive backtest deterministic).
import { createWriteStream } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { naiveStrategy } from './naive-strategies.mjs';

/** @typedef {import('./naive-bars.mjs').NaiveEvent} NaiveEvent */
/** @typedef {import('./naive-strategies.mjs').NaiveSignal} NaiveSignal */

/**
 * A naive strategy in a worker thread, one round trip per bar.
 */
export class NaiveWorker {
  /** @type {Worker} */
  #worker;
  /** @type {((value: any) => void) | undefined} */
  #resolve;
  /** @type {Promise<unknown>} */
  ready;

  /** @param {string} kind a strategy kind of session-configs.mjs */
  constructor(kind) {
    this.kind = kind;
    this.interval = naiveStrategy(kind).interval;
    this.#worker = new Worker(new URL('./naive-worker.mjs', import.meta.url), { workerData: { kind } });
    this.ready = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    this.#worker.on('message', (message) => {
      const resolve = this.#resolve;
      this.#resolve = undefined;
      resolve?.(message);
    });
  }

  /**
   * Posts one bar and resolves with the reply.
   * @param {{ symbol: string, interval: string, bar: import('./naive-strategies.mjs').NaiveBar, sentAt?: number }} message
   * @returns {Promise<{ signals: NaiveSignal[], latencyMs: number | undefined }>}
   */
  send(message) {
    const reply = new Promise((resolve) => {
      this.#resolve = resolve;
    });
    this.#worker.postMessage(message);
    return /** @type {Promise<{ signals: NaiveSignal[], latencyMs: number | undefined }>} */ (reply);
  }

  /** Ends the worker. */
  async stop() {
    await this.#worker.terminate();
  }
}

/**
 * @typedef {object} NaiveRunResult
 * @property {number} baseBars 1m bars replayed
 * @property {number} notifications bars handed to strategies
 * @property {number} signals
 * @property {number} wallMs from the first bar read to the last reply (worker start-up excluded)
 */

/**
 * Replays the events a loader returns through naive strategies.
 * @param {object} options
 * @param {() => Promise<NaiveEvent[]>} options.load reads and orders the bars (timed: part of the pipeline)
 * @param {readonly string[]} options.strategies strategy kinds, each trading every symbol
 * @param {'worker' | 'inline'} [options.executor] default worker
 * @param {string} [options.journalPath] write signals as JSON lines here
 * @returns {Promise<NaiveRunResult>}
 */
export async function runNaivePipeline(options) {
  const inline = options.executor === 'inline';
  const workers = inline ? [] : options.strategies.map((kind) => new NaiveWorker(kind));
  await Promise.all(workers.map((w) => w.ready));
  const strategies = inline ? options.strategies.map((kind) => naiveStrategy(kind)) : [];
  /** @type {Map<string, import('./naive-strategies.mjs').NaiveBar[]>[]} */
  const inlineSeries = strategies.map(() => new Map());
  const journal = options.journalPath === undefined ? undefined : createWriteStream(options.journalPath);
  let baseBars = 0;
  let notifications = 0;
  let signals = 0;
  /** @param {NaiveSignal[]} batch */
  const record = (batch) => {
    signals += batch.length;
    if (journal !== undefined) for (const s of batch) journal.write(`${JSON.stringify(s)}\n`);
  };
  const started = performance.now();
  const events = await options.load();
  for (const event of events) {
    if (event.interval === '1m') baseBars++;
    if (inline) {
      for (let i = 0; i < strategies.length; i++) {
        const strategy = /** @type {import('./naive-strategies.mjs').NaiveStrategy} */ (strategies[i]);
        if (strategy.interval !== event.interval) continue;
        const series = /** @type {Map<string, import('./naive-strategies.mjs').NaiveBar[]>} */ (
          inlineSeries[i]
        );
        let bars = series.get(event.symbol);
        if (bars === undefined) {
          bars = [];
          series.set(event.symbol, bars);
        }
        bars.push(event.bar);
        notifications++;
        record(strategy.onBar(event.symbol, bars));
      }
      continue;
    }
    const replies = [];
    for (const worker of workers) {
      if (worker.interval !== event.interval) continue;
      notifications++;
      replies.push(worker.send({ symbol: event.symbol, interval: event.interval, bar: event.bar }));
    }
    for (const reply of await Promise.all(replies)) record(reply.signals);
  }
  if (journal !== undefined) await new Promise((resolve) => journal.end(resolve));
  const wallMs = performance.now() - started;
  await Promise.all(workers.map((w) => w.stop()));
  return { baseBars, notifications, signals, wallMs };
}
