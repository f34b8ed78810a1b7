import type { Worker } from 'node:worker_threads';
import type { Interval, SessionConfig, StrategyEntry } from '@strat/core';
import type { SessionData, TradingCalendar } from '@strat/data';
import type { ExecutionSettings, Fill, SessionResults, StrategyResult } from '../execution/execution-types';
import type { AccountResult } from '../execution/paper-account';
import { resolveExecutionSettings } from '../execution/resolve-execution-settings';
import { combineResults } from '../results/combine-results';
import { computeStats } from '../results/compute-stats';
import type { StampedSignal } from '../thread/stamped-signal';
import { startWorker, workerScript } from '../thread/start-worker';
import { countBusyThread } from '../thread/worker-executor';
import { FillUnpacker } from './fill-batch';
import { PaperEngine, type StrategyEquity } from './paper-engine';
import type { FromPaperThread, ToPaperThread } from './paper-protocol';
import { type PaperChunk, PaperRecorder } from './paper-stream';
import type { SessionResultsSummary } from './session-types';

export type { StrategyEquity } from './paper-engine';

/** Chunks the session may be ahead of the paper thread before it waits for it. */
const MAX_CHUNKS_AHEAD = 8;

/**
 * A session's paper execution: a {@link PaperRecorder} on the session's side, fed the processor's
 * bars and the sequencer's releases, and a {@link PaperEngine} (broker and accounts) replaying what
 * it recorded, in the session's thread (`thread: false`: every strategy inline) or in a paper
 * thread of its own, so the thread that runs the processor only copies each bar once (the engine's
 * work runs beside it). Same entries, same order, same results either way. The results are computed
 * from the accounts when the session ends. Exists only when the config or a strategy entry has an
 * `execution` section.
 */
export class SessionPaper {
  readonly #recorder: PaperRecorder;
  readonly #calendar: TradingCalendar;
  readonly #settings: ReadonlyMap<string, ExecutionSettings>;
  /** In-thread engine, or the paper thread. */
  readonly #engine: PaperEngine | undefined;
  readonly #thread: PaperThread | undefined;
  #results: SessionResults | undefined;

  /**
   * The session's paper execution, or undefined when no strategy has execution settings.
   * @param strategies - each running strategy's name and config entry, in config order
   * @param options.thread - run the engine in a paper thread of its own
   * @param options.eager - hand every release over at once (sessions that are not data-driven: fills show as they happen)
   * @param options.script - the paper thread's script (tests; default: the package's `paper-worker`)
   * @param options.chunkEntries - entries per chunk handed to the paper thread (tests; default: the recorder's)
   */
  static create(
    config: SessionConfig,
    strategies: ReadonlyArray<{ name: string; entry: StrategyEntry }>,
    store: SessionData,
    calendar: TradingCalendar,
    onFill: (fill: Fill) => void,
    onEquity: (points: StrategyEquity[]) => void,
    options: { thread: boolean; eager: boolean; script?: URL; chunkEntries?: number },
  ): SessionPaper | undefined {
    const settings = new Map<string, ExecutionSettings>();
    for (const { name, entry } of strategies) {
      const resolved = resolveExecutionSettings(config.execution, entry.execution);
      if (resolved !== undefined) settings.set(name, resolved);
    }
    return settings.size === 0
      ? undefined
      : new SessionPaper(settings, store, calendar, onFill, onEquity, options);
  }

  private constructor(
    settings: ReadonlyMap<string, ExecutionSettings>,
    store: SessionData,
    calendar: TradingCalendar,
    onFill: (fill: Fill) => void,
    onEquity: (points: StrategyEquity[]) => void,
    options: { thread: boolean; eager: boolean; script?: URL; chunkEntries?: number },
  ) {
    this.#settings = settings;
    this.#calendar = calendar;
    const bufferOf = (symbol: string, interval: Interval) => {
      const buffers = store.getSeries(symbol, interval);
      if (buffers === undefined)
        throw new Error(`paper execution: no series ${symbol} ${interval} in the store`);
      return buffers;
    };
    if (options.thread) {
      const thread = new PaperThread(settings, onFill, onEquity, options.script);
      this.#thread = thread;
      this.#recorder = new PaperRecorder(bufferOf, (chunk) => thread.send(chunk), {
        eager: options.eager,
        reuse: false,
        recycled: () => thread.recycled(),
        ...(options.chunkEntries === undefined ? {} : { chunkEntries: options.chunkEntries }),
      });
    } else {
      const engine = new PaperEngine(settings, onFill, onEquity);
      this.#engine = engine;
      this.#recorder = new PaperRecorder(bufferOf, (chunk) => engine.apply(chunk), {
        eager: true,
        reuse: true,
      });
    }
  }

  /** A bar the processor published. */
  bar(symbol: string, interval: Interval, index: number, closeTime: number): void {
    this.#recorder.bar(symbol, interval, index, closeTime);
  }

  /** Every bar closing at `closeTime` was published. */
  step(closeTime: number): void {
    this.#recorder.step(closeTime);
  }

  /** Signals the sequencer released. */
  signals(signals: readonly StampedSignal[]): void {
    this.#recorder.signals(signals);
  }

  /** The sequencer released everything stamped at or before `time`. */
  released(time: number): void {
    this.#recorder.released(time);
  }

  /** The session ended: settles what waits, closes the books and computes the results (once). */
  async finish(): Promise<SessionResults> {
    if (this.#results !== undefined) return this.#results;
    this.#recorder.flush();
    const accounts =
      this.#thread !== undefined ? await this.#thread.finish() : (this.#engine as PaperEngine).finish();
    const calendar = this.#calendar;
    // Results per day go by session date (a Globex evening belongs to the next day's session); a bar
    // closing at the session's end (midnight on a 24-hour calendar) belongs to the day it ran in.
    const dayOf = (time: number) => calendar.sessionDay(time - 1);
    const strategies: StrategyResult[] = [];
    for (const account of accounts) {
      const { commissions, notional, ...rest } = account;
      // Settings as the session resolved them (the thread's copy is equal; this keeps identity).
      const settings = this.#settings.get(account.strategy) ?? account.settings;
      const stats = computeStats({
        equity: account.equity,
        trades: account.trades,
        commissions,
        notional,
        initialCash: settings.initialCash,
        riskFreeRate: settings.riskFreeRate,
        dayOf,
      });
      strategies.push({ ...rest, settings, stats });
    }
    this.#results = { strategies, total: combineResults(strategies, dayOf) };
    return this.#results;
  }

  /** Stops the paper thread (when there is one); the results stay. */
  async close(): Promise<void> {
    await this.#thread?.close();
  }

  /** Chunks filled again after the paper thread gave their arrays back (0 in the session's thread). */
  get recycledChunks(): number {
    return this.#thread?.recycledCount ?? 0;
  }

  /** The results once the session ended. */
  get results(): SessionResults | undefined {
    return this.#results;
  }
}

/** The paper thread, seen from the session: chunks in; fills, equity and at the end the accounts out. */
class PaperThread {
  readonly #worker: Worker;
  readonly #progress = new Int32Array(new SharedArrayBuffer(4));
  #sent = 0;
  /** Entries arrays the thread gave back. */
  readonly #spent: Float64Array[] = [];
  #failure: Error | undefined;
  #finished: { resolve: (accounts: AccountResult[]) => void; reject: (error: Error) => void } | undefined;
  #closed = false;

  constructor(
    settings: ReadonlyMap<string, ExecutionSettings>,
    onFill: (fill: Fill) => void,
    onEquity: (points: StrategyEquity[]) => void,
    script = workerScript('paper-worker', '../session/paper-worker.ts', 'paper execution'),
  ) {
    this.#worker = startWorker(script, {});
    // A busy thread beside the strategies' workers: waits must not poll on the core it needs.
    countBusyThread(1);
    this.#worker.once('exit', () => countBusyThread(-1));
    const fillsIn = new FillUnpacker();
    this.#worker.on('message', (message: FromPaperThread) => {
      if (message.type === 'fills') fillsIn.unpack(message.fills, onFill);
      else if (message.type === 'spent') {
        if (this.#spent.length < MAX_CHUNKS_AHEAD) this.#spent.push(message.entries);
      } else if (message.type === 'equity') onEquity(message.points);
      else if (message.type === 'finished') this.#finished?.resolve(message.accounts);
      else
        this.#fail(
          Object.assign(new Error(`paper execution failed: ${message.message}`), { stack: message.stack }),
        );
    });
    this.#worker.on('error', (error) => this.#fail(new Error(`paper execution failed: ${error.message}`)));
    this.#worker.on('exit', (code) => {
      if (!this.#closed)
        this.#fail(new Error(`paper execution's thread exited (code ${code}) before the session ended`));
    });
    this.#post({
      type: 'init',
      settings: [...settings],
      progress: this.#progress.buffer as SharedArrayBuffer,
    });
  }

  /** Hands a chunk over (its buffer moves to the thread); waits first when the thread is far behind. */
  send(chunk: PaperChunk): void {
    if (this.#failure !== undefined) return;
    // The processor may not run more than a few chunks ahead: memory stays bounded on a busy machine.
    // Blocks this thread briefly (the paper thread needs nothing from it to go on).
    for (
      let waited = 0;
      this.#sent - Atomics.load(this.#progress, 0) > MAX_CHUNKS_AHEAD && waited < 100;
      waited++
    ) {
      Atomics.wait(this.#progress, 0, Atomics.load(this.#progress, 0), 100);
    }
    this.#sent++;
    this.#post({ type: 'chunk', chunk }, [chunk.entries.buffer as ArrayBuffer]);
  }

  /** An entries array the thread is done with, to fill again (undefined: none came back yet). */
  recycled(): Float64Array | undefined {
    const entries = this.#spent.pop();
    if (entries !== undefined) this.recycledCount++;
    return entries;
  }

  /** Arrays handed out by {@link recycled}. */
  recycledCount = 0;

  /** Everything was sent: the accounts as they ended. */
  finish(): Promise<AccountResult[]> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const done = new Promise<AccountResult[]>((resolve, reject) => {
      this.#finished = { resolve, reject };
    });
    this.#post({ type: 'finish' });
    return done;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#worker.terminate();
  }

  #post(message: ToPaperThread, transfer: ArrayBuffer[] = []): void {
    this.#worker.postMessage(message, transfer);
  }

  #fail(error: Error): void {
    if (this.#failure !== undefined) return;
    this.#failure = error;
    this.#finished?.reject(error);
  }
}

/** What a session's summary tells of its results: the stats, not the columns. */
export function summarizeResults(results: SessionResults): SessionResultsSummary {
  return {
    strategies: results.strategies.map((s) => ({
      strategy: s.strategy,
      stats: s.stats,
      unfilled: s.unfilled,
      open_positions: s.openPositions,
    })),
    total: results.total,
  };
}
