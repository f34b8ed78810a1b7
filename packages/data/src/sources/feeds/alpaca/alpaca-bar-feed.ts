import type { Interval } from '@strat/core';
import { EventEmitter } from 'eventemitter3';
import type WebSocket from 'ws';
import type { BarFeed, BarFeedEvents, FeedBar, FeedState, FeedStats } from '../bar-feed';
import { FeedError } from '../feed-error';
import { OutageTracker, type TradingBarCounter } from '../outage-tracker';
import { DEFAULT_RECONNECT_POLICY, type ReconnectPolicy, reconnectDelay } from '../reconnect-backoff';
import { redactText, redactUrl } from '../redact';
import { StaleWatchdog } from '../stale-watchdog';
import { feedErrorFromServer } from './alpaca-errors';
import { type ClientMessage, decodeBar, parseFrame } from './alpaca-protocol';

/** Options of {@link AlpacaBarFeed}. */
export interface AlpacaBarFeedOptions {
  /** The stream URL, `wss://stream.data.alpaca.markets/v2/iex` or a replay server's `ws://127.0.0.1:8765`. */
  url: string;
  key: string;
  secret: string;
  /** Time to connect and authenticate, ms (default 10 000, the protocol's limit). */
  connectTimeoutMs?: number;
  /** Stale-feed watchdog: no message for this long (wall ms) while `isSessionOpen()` is a warning and a reconnect. 0 = off. Default 90 000. */
  staleAfterMs?: number;
  /** How dropped connections are retried. */
  reconnect?: Partial<ReconnectPolicy>;
  /** Whether the market is open now; the watchdog only counts silence then (default: always open). */
  isSessionOpen?: () => boolean;
  /** Counts bar starts in trading hours in a range: gap reports cover trading hours only (default: every bar). */
  countTradingBars?: TradingBarCounter;
  /** Bar length of the feed, ms (default one minute). */
  barMs?: number;
  /** Random numbers in [0, 1) for the backoff jitter (replaceable in tests). */
  random?: () => number;
}

interface PendingReply {
  action: 'subscribe' | 'unsubscribe';
  symbols: string[];
  resolve: (symbols: string[]) => void;
  reject: (error: FeedError) => void;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_STALE_AFTER_MS = 90_000;

/**
 * A thin client of the Alpaca market-data v2 stream for minute bars: connects, authenticates
 * within the protocol's 10 s, subscribes incrementally (the server answers with the full set),
 * decodes bar messages (several per frame), and maps error messages (400-409, 500) to
 * {@link FeedError}s.
 *
 * Resilience: a dropped connection is retried with exponential backoff and jitter, then
 * re-authenticated and re-subscribed; the bars missed meanwhile are reported as `gap` events; a
 * watchdog treats a feed silent for `staleAfterMs` during session hours as dead (a `stale`
 * event, then a reconnect). The key and secret are kept in private fields and never appear in an
 * event, a message or a log.
 */
export class AlpacaBarFeed extends EventEmitter<BarFeedEvents> implements BarFeed {
  /** Always `alpaca`. */
  readonly provider = 'alpaca';
  /** Always `1m`: the stream's minute bars. */
  readonly interval: Interval = '1m';
  readonly #url: string;
  readonly #key: string;
  readonly #secret: string;
  readonly #connectTimeoutMs: number;
  readonly #policy: ReconnectPolicy;
  readonly #random: () => number;
  #state: FeedState = 'idle';
  #ws: WebSocket | undefined;
  #attempt = 0;
  #wanted: string[] = [];
  #confirmed: string[] = [];
  #pending: PendingReply[] = [];
  #speed: number | undefined;
  readonly #outages: OutageTracker;
  #connectTimer: ReturnType<typeof setTimeout> | undefined;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #watchdog: StaleWatchdog;
  #firstConnect: { resolve: () => void; reject: (error: FeedError) => void } | undefined;
  #closeReason: FeedError | undefined;
  #connectionError: FeedError | undefined;
  #stats: FeedStats = {
    messages: 0,
    bars: 0,
    badMessages: 0,
    reconnects: 0,
    staleEvents: 0,
    gaps: 0,
    missedMinutes: 0,
  };

  constructor(options: AlpacaBarFeedOptions) {
    super();
    this.#url = options.url;
    this.#key = options.key;
    this.#secret = options.secret;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    this.#watchdog = new StaleWatchdog(
      options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS,
      () => this.#state === 'streaming',
      options.isSessionOpen ?? (() => true),
      (silentMs) => this.#stale(silentMs),
    );
    this.#policy = { ...DEFAULT_RECONNECT_POLICY, ...options.reconnect };
    this.#outages = new OutageTracker(options.barMs ?? 60_000, options.countTradingBars);
    this.#random = options.random ?? Math.random;
  }

  /** Where the connection is. */
  get state(): FeedState {
    return this.#state;
  }

  /** The URL, with any user:password part removed (safe to log). */
  get url(): string {
    return redactUrl(this.#url);
  }

  /** The bar symbols the server confirmed last. */
  get symbols(): readonly string[] {
    return this.#confirmed;
  }

  /** The replay speed a replay server announced on connect (feed ms per wall ms), if any. */
  get announcedSpeed(): number | undefined {
    return this.#speed;
  }

  /** Counters so far. */
  stats(): FeedStats {
    return { ...this.#stats };
  }

  /**
   * Connects, authenticates and subscribes to the symbols asked for so far. Resolves once bars
   * can flow; rejects with a {@link FeedError} when this first attempt fails (a wrong URL, refused
   * credentials, no answer within the connect timeout). Later drops are retried.
   */
  connect(): Promise<void> {
    if (this.#state !== 'idle') {
      return Promise.reject(
        new FeedError('FEED_CLOSED', `the feed was already started (it is ${this.#state})`),
      );
    }
    return new Promise<void>((resolve, reject) => {
      this.#firstConnect = { resolve, reject };
      this.#watchdog.start();
      this.#open();
    });
  }

  /**
   * Adds bar symbols (incremental). While streaming, resolves with the server's full set once it
   * answers; before that, the symbols are sent when the connection is up.
   */
  subscribe(symbols: readonly string[]): Promise<string[]> {
    const added = symbols.filter((s) => !this.#wanted.includes(s));
    this.#wanted.push(...added);
    return this.#request('subscribe', added);
  }

  /** Removes bar symbols; resolves like {@link subscribe}. */
  unsubscribe(symbols: readonly string[]): Promise<string[]> {
    const removed = symbols.filter((s) => this.#wanted.includes(s));
    this.#wanted = this.#wanted.filter((s) => !removed.includes(s));
    return this.#request('unsubscribe', removed);
  }

  /** Closes the connection for good (no reconnect). */
  async close(): Promise<void> {
    if (this.#state === 'closed') return;
    await this.#finish(undefined);
  }

  #request(action: 'subscribe' | 'unsubscribe', symbols: string[]): Promise<string[]> {
    if (symbols.length === 0 || this.#state !== 'streaming') return Promise.resolve([...this.#wanted]);
    return new Promise<string[]>((resolve, reject) => {
      this.#pending.push({ action, symbols, resolve, reject });
      this.#send({ action, bars: symbols });
    });
  }

  #setState(state: FeedState, extra: { delayMs?: number; reason?: string; error?: FeedError } = {}): void {
    const previous = this.#state;
    this.#state = state;
    this.emit('state', { state, previous, attempt: this.#attempt, ...extra });
  }

  #open(): void {
    this.#setState('connecting');
    this.#connectionError = undefined;
    if (webSocketClass !== undefined) {
      this.#dial(webSocketClass);
      return;
    }
    loadWebSocketClass().then(
      (loaded) => {
        if (this.#state === 'connecting' && this.#ws === undefined) this.#dial(loaded);
      },
      (error: unknown) => this.#failConnection(this.#cannotConnect(error)),
    );
  }

  #cannotConnect(error: unknown): FeedError {
    return new FeedError(
      'FEED_CONNECT_FAILED',
      `cannot connect to ${this.url}: ${(error as Error).message}`,
      {
        cause: error,
        fatal: true,
      },
    );
  }

  #dial(WebSocketClass: typeof WebSocket): void {
    let ws: WebSocket;
    try {
      ws = new WebSocketClass(this.#url, {
        handshakeTimeout: this.#connectTimeoutMs,
        perMessageDeflate: false,
      });
    } catch (error) {
      this.#failConnection(this.#cannotConnect(error));
      return;
    }
    this.#ws = ws;
    this.#connectTimer = setTimeout(() => {
      this.#connectionError ??= new FeedError(
        'FEED_AUTH_TIMEOUT',
        `${this.url} did not connect and authenticate within ${this.#connectTimeoutMs / 1000} s`,
      );
      ws.terminate();
    }, this.#connectTimeoutMs);
    ws.on('open', () => {
      this.#watchdog.heard();
      this.#setState('authenticating');
      this.#send({ action: 'auth', key: this.#key, secret: this.#secret });
    });
    ws.on('message', (data, isBinary) => {
      if (ws === this.#ws)
        this.#onFrame(isBinary ? Buffer.from(data as Buffer).toString('utf8') : String(data));
    });
    ws.on('error', (error) => {
      this.#connectionError ??= new FeedError(
        'FEED_CONNECT_FAILED',
        `cannot connect to ${this.url}: ${redactText(error.message, this.#key, this.#secret)}`,
      );
    });
    ws.on('close', (code, reason) => {
      if (ws === this.#ws) this.#onClose(code, reason.toString());
    });
  }

  #send(message: ClientMessage): void {
    const ws = this.#ws;
    if (ws?.readyState === OPEN) ws.send(JSON.stringify(message));
  }

  #onFrame(text: string): void {
    this.#watchdog.heard();
    this.#stats.messages++;
    const messages = parseFrame(text);
    if (messages === undefined) {
      this.#problem(new FeedError('FEED_PROTOCOL', `unreadable message from the feed: ${clip(text)}`));
      return;
    }
    let bars: FeedBar[] | undefined;
    for (const message of messages) {
      switch (message.T) {
        case 'b': {
          const bar = decodeBar(message);
          if (typeof bar === 'string') {
            this.#problem(new FeedError('FEED_PROTOCOL', `skipped a malformed bar: ${bar}`));
            break;
          }
          bars ??= [];
          bars.push(bar);
          break;
        }
        case 'success':
          this.#onSuccess(message);
          break;
        case 'subscription':
          this.#onSubscription(message);
          break;
        case 'error':
          this.#onServerError(Number(message.code), String(message.msg ?? ''));
          break;
        default:
          break; // trades, quotes, updated and daily bars are not used
      }
    }
    if (bars !== undefined) this.#onBars(bars);
  }

  #onSuccess(message: Record<string, unknown>): void {
    if (typeof message.speed === 'number' && message.speed > 0) this.#speed = message.speed;
    if (message.msg !== 'authenticated' || this.#state !== 'authenticating') return;
    if (this.#wanted.length === 0) {
      this.#streaming();
      return;
    }
    this.#setState('subscribing');
    this.#send({ action: 'subscribe', bars: [...this.#wanted] });
  }

  #onSubscription(message: Record<string, unknown>): void {
    const symbols = Array.isArray(message.bars) ? message.bars.filter((s) => typeof s === 'string') : [];
    this.#confirmed = symbols;
    this.emit('subscription', [...symbols]);
    if (this.#state === 'subscribing') {
      this.#streaming();
      for (const p of this.#pending.splice(0)) p.resolve([...symbols]);
      return;
    }
    this.#pending.shift()?.resolve([...symbols]);
  }

  #streaming(): void {
    clearTimeout(this.#connectTimer);
    const reconnected = this.#attempt > 0;
    this.#attempt = 0;
    this.#watchdog.heard();
    this.#setState('streaming', reconnected ? { reason: 'reconnected' } : {});
    const first = this.#firstConnect;
    this.#firstConnect = undefined;
    first?.resolve();
  }

  #onServerError(code: number, text: string): void {
    const error = feedErrorFromServer(code, text);
    if (error.fatal) {
      void this.#finish(error);
      return;
    }
    if (this.#state === 'streaming' && (code === 400 || code === 405)) {
      // A refused subscribe: the connection goes on with the previous set.
      const refused = this.#pending.shift();
      if (refused?.action === 'subscribe') {
        this.#wanted = this.#wanted.filter((s) => !refused.symbols.includes(s));
      }
      refused?.reject(error);
      this.#problem(error);
      return;
    }
    // Any other error ends this connection (the server closes it, or we do); the close retries.
    this.#connectionError = error;
    this.#ws?.close();
  }

  #onBars(bars: FeedBar[]): void {
    for (const gap of this.#outages.barsArrived(bars)) {
      this.#stats.gaps++;
      this.#stats.missedMinutes += gap.missed;
      this.emit('gap', gap);
    }
    this.#stats.bars += bars.length;
    this.emit('bars', bars);
  }

  #onClose(code: number, reason: string): void {
    clearTimeout(this.#connectTimer);
    this.#ws = undefined;
    if (this.#state === 'closed') return;
    const error =
      this.#connectionError ??
      new FeedError(
        'FEED_CONNECT_FAILED',
        `the connection to ${this.url} closed (code ${code}${reason === '' ? '' : `, ${redactText(reason, this.#key, this.#secret)}`})`,
      );
    this.#failConnection(error);
  }

  /** A connection ended: fail the first connect, end the feed on a fatal error, else retry. */
  #failConnection(error: FeedError): void {
    if (this.#firstConnect !== undefined || error.fatal) {
      void this.#finish(error);
      return;
    }
    this.#outages.connectionLost(this.#wanted);
    this.#attempt++;
    const max = this.#policy.maxAttempts;
    if (max > 0 && this.#attempt > max) {
      void this.#finish(
        new FeedError(
          'FEED_RECONNECT_FAILED',
          `gave up reconnecting to ${this.url} after ${max} attempts (last: ${error.message})`,
          { cause: error, fatal: true },
        ),
      );
      return;
    }
    this.#stats.reconnects++;
    const delayMs = reconnectDelay(this.#policy, this.#attempt, this.#random);
    this.#setState('reconnecting', { delayMs, reason: error.message, error });
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (this.#state === 'reconnecting') this.#open();
    }, delayMs);
  }

  #stale(silentMs: number): void {
    this.#stats.staleEvents++;
    this.emit('stale', { silentMs });
    this.#connectionError = new FeedError(
      'FEED_CONNECT_FAILED',
      `the feed sent nothing for ${(silentMs / 1000).toFixed(1)} s during session hours`,
    );
    this.#ws?.terminate();
  }

  #problem(error: FeedError): void {
    this.#stats.badMessages += error.code === 'FEED_PROTOCOL' ? 1 : 0;
    this.emit('problem', error);
  }

  async #finish(error: FeedError | undefined): Promise<void> {
    if (this.#state === 'closed') return;
    clearTimeout(this.#connectTimer);
    clearTimeout(this.#reconnectTimer);
    this.#watchdog.stop();
    this.#closeReason = error;
    const ws = this.#ws;
    this.#ws = undefined;
    this.#setState('closed', error === undefined ? {} : { reason: error.message, error });
    const failure = error ?? new FeedError('FEED_CLOSED', 'the feed was closed');
    for (const p of this.#pending.splice(0)) p.reject(failure);
    const first = this.#firstConnect;
    this.#firstConnect = undefined;
    if (first !== undefined) first.reject(failure);
    if (ws !== undefined && ws.readyState !== CLOSED) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000);
        ws.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        if (ws.readyState === CONNECTING) ws.terminate();
        else ws.close(1000);
      });
    }
    this.emit('closed', error);
  }

  /** Why the feed closed: undefined after `close()`, else the fatal error. */
  get closeReason(): FeedError | undefined {
    return this.#closeReason;
  }
}

// ws's ready states (the class's static constants, without loading the class).
const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 3;

let webSocketClass: typeof WebSocket | undefined;
let webSocketLoading: Promise<typeof WebSocket> | undefined;

// ws is loaded by the first connect, not at import: a process that never opens a live feed does
// not pay for it (about 90 ms of CPU).
function loadWebSocketClass(): Promise<typeof WebSocket> {
  webSocketLoading ??= import('ws').then((module) => {
    webSocketClass = module.default;
    return module.default;
  });
  return webSocketLoading;
}

function clip(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
