import { timingSafeEqual } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { DataError, type Interval, intervalToMs, StratError } from '@strat/core';
import { WebSocket, WebSocketServer } from 'ws';
import type { TradingSession } from '../calendar/trading-calendar';
import type { BarSource } from '../sources/bar-source';
import {
  encodeBar,
  SERVER_ERROR_TEXT,
  type ServerMessage,
  type WireBar,
} from '../sources/feeds/alpaca/alpaca-protocol';
import type { MarketReplayServerEvents, MarketReplayServerOptions } from './market-replay-server-options';
import { ReplayTape } from './replay-tape';

interface Client {
  id: number;
  ws: WebSocket;
  authenticated: boolean;
  symbols: Set<string>;
  silent: boolean;
  authTimer: ReturnType<typeof setTimeout> | undefined;
  outbox: WireBar[];
}

const SLOW_CLIENT_BYTES = 16 * 1024 * 1024;

/**
 * A local market-data server speaking the Alpaca v2 stream protocol (see `AlpacaBarFeed`), which
 * replays the bars of any {@link BarSource} for a range of dates at a speed multiple: users try
 * live mode offline, and tests get a real socket to misbehave on.
 *
 * It checks the credentials (402 otherwise, 404 when none arrive within 10 s), answers each
 * subscribe with the full current set, sends each bar just after its minute ends in replay time,
 * several bars per frame, and goes from one session's close straight to the next one's open. A
 * bar that falls due while a client is disconnected or silenced is not sent to it later, as with
 * the real service. For fault tests: {@link dropConnections}, {@link goSilent}, {@link sendError}.
 */
export class MarketReplayServer extends EventEmitter<MarketReplayServerEvents> {
  readonly #o: MarketReplayServerOptions;
  readonly #sessions: TradingSession[];
  readonly #baseMs: number;
  readonly #batch: number;
  readonly #clients = new Set<Client>();
  readonly #tape: ReplayTape;
  readonly #unknown = new Set<string>();
  #wss: WebSocketServer | undefined;
  #nextId = 1;
  #started = false;
  #finished = false;
  #closed = false;
  #sessionIndex = 0;
  /** Wall time at which the current session's open was (or is) due. */
  #sessionWallStart = 0;
  #nextSlot = Number.NaN;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #pumping = false;
  #barsSent = 0;

  /** @throws StratError for a speed that is not > 0, DataError when the dates hold no session */
  constructor(options: MarketReplayServerOptions) {
    super();
    if (!(options.speed > 0 && Number.isFinite(options.speed))) {
      throw new StratError(
        'REPLAY_SPEED_INVALID',
        `the replay speed must be a number > 0, got ${options.speed}`,
      );
    }
    this.#o = options;
    this.#sessions = options.calendar.sessions(options.startDate, options.endDate);
    if (this.#sessions.length === 0) {
      throw new DataError(
        `no trading sessions between ${options.startDate} and ${options.endDate}`,
        {},
        {
          code: 'NO_SESSIONS',
        },
      );
    }
    this.#baseMs = intervalToMs(options.source.interval as Interval);
    this.#tape = new ReplayTape(options.source);
    this.#batch = Math.max(1, Math.floor(options.maxBarsPerMessage ?? 4));
    this.#nextSlot = (this.#sessions[0] as TradingSession).open;
  }

  /** The port listened on (after {@link start}). */
  get port(): number {
    const address = this.#wss?.address();
    return typeof address === 'object' && address !== null ? (address as AddressInfo).port : 0;
  }

  /** The URL clients connect to, `ws://127.0.0.1:<port>`. */
  get url(): string {
    return `ws://${this.#o.host ?? '127.0.0.1'}:${this.port}`;
  }

  /** The replay speed (replay ms per wall ms). */
  get speed(): number {
    return this.#o.speed;
  }

  /** The sessions replayed. */
  get sessions(): readonly TradingSession[] {
    return this.#sessions;
  }

  /** True once the replay clock runs. */
  get started(): boolean {
    return this.#started;
  }

  /** True once every bar of the range was sent. */
  get finished(): boolean {
    return this.#finished;
  }

  /** Connected clients now. */
  get connectionCount(): number {
    return this.#clients.size;
  }

  /** Bars sent so far (to all clients). */
  get barsSent(): number {
    return this.#barsSent;
  }

  /** The replay time now (epoch ms): the first open before the start, the last close after the end. */
  replayTime(): number {
    if (!this.#started) return (this.#sessions[0] as TradingSession).open;
    const session = this.#sessions[this.#sessionIndex];
    if (session === undefined) return (this.#sessions[this.#sessions.length - 1] as TradingSession).close;
    return Math.min(session.close, session.open + (Date.now() - this.#sessionWallStart) * this.#o.speed);
  }

  /** Listens on the host and port; resolves once bound. */
  start(): Promise<void> {
    if (this.#wss !== undefined) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const wss = new WebSocketServer({
        host: this.#o.host ?? '127.0.0.1',
        port: this.#o.port ?? 0,
        perMessageDeflate: false,
      });
      this.#wss = wss;
      wss.once('listening', () => {
        wss.off('error', reject);
        wss.on('error', (error) => this.emit('problem', error));
        if (this.#o.startOn === 'listen') this.#startReplay();
        resolve();
      });
      wss.once('error', (error) => {
        reject(
          new StratError(
            'REPLAY_LISTEN_FAILED',
            `cannot listen on ${this.#o.host ?? '127.0.0.1'}:${this.#o.port ?? 0}: ${error.message}`,
            { cause: error },
          ),
        );
      });
      wss.on('connection', (ws) => this.#onConnection(ws));
    });
  }

  /** Ends every connection abruptly (no close frame, as a network failure would). Returns how many. */
  dropConnections(): number {
    const n = this.#clients.size;
    for (const c of this.#clients) c.ws.terminate();
    return n;
  }

  /** Stops sending anything to the clients connected now (the socket stays open). New clients are served. Returns how many. */
  goSilent(): number {
    for (const c of this.#clients) c.silent = true;
    return this.#clients.size;
  }

  /** Serves silenced clients again (bars that fell due meanwhile are not sent). */
  resume(): void {
    for (const c of this.#clients) c.silent = false;
  }

  /** Sends `{"T":"error","code"}` to every client, then closes their connections unless `close` is false. */
  sendError(code: number, close = true): void {
    for (const c of this.#clients) {
      this.#sendNow(c, [{ T: 'error', code, msg: SERVER_ERROR_TEXT[code] ?? 'error' }]);
      if (close) c.ws.close(1011, SERVER_ERROR_TEXT[code] ?? 'error');
    }
  }

  /** Stops the replay and closes every connection and the listener. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const c of this.#clients) {
      clearTimeout(c.authTimer);
      c.ws.terminate();
    }
    await this.#tape.close();
    const wss = this.#wss;
    if (wss !== undefined) await new Promise<void>((resolve) => wss.close(() => resolve()));
  }

  #onConnection(ws: WebSocket): void {
    if (this.#closed) {
      ws.terminate();
      return;
    }
    const client: Client = {
      id: this.#nextId++,
      ws,
      authenticated: false,
      symbols: new Set(),
      silent: false,
      authTimer: undefined,
      outbox: [],
    };
    this.#clients.add(client);
    client.authTimer = setTimeout(() => this.#refuse(client, 404), this.#o.authTimeoutMs ?? 10_000);
    ws.on('message', (data) => this.#onMessage(client, String(data)));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearTimeout(client.authTimer);
      this.#clients.delete(client);
      this.emit('disconnected', { connection: client.id });
    });
    this.#send(client, [{ T: 'success', msg: 'connected', speed: this.#o.speed }]);
  }

  #onMessage(client: Client, text: string): void {
    if (client.silent) return;
    let message: Record<string, unknown>;
    try {
      const value: unknown = JSON.parse(text);
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new TypeError('not an object');
      message = value as Record<string, unknown>;
    } catch {
      this.#error(client, 400);
      return;
    }
    switch (message.action) {
      case 'auth':
        this.#onAuth(client, message);
        return;
      case 'subscribe':
      case 'unsubscribe':
        this.#onSubscribe(client, message.action, message);
        return;
      default:
        this.#error(client, 400);
    }
  }

  #onAuth(client: Client, message: Record<string, unknown>): void {
    if (client.authenticated) {
      this.#error(client, 403);
      return;
    }
    if (!(sameText(message.key, this.#o.key) && sameText(message.secret, this.#o.secret))) {
      this.#refuse(client, 402);
      return;
    }
    const max = this.#o.maxConnections ?? 0;
    let authenticated = 0;
    for (const c of this.#clients) if (c.authenticated) authenticated++;
    if (max > 0 && authenticated >= max) {
      this.#refuse(client, 406);
      return;
    }
    clearTimeout(client.authTimer);
    client.authenticated = true;
    this.#send(client, [{ T: 'success', msg: 'authenticated' }]);
    this.emit('authenticated', { connection: client.id });
  }

  #onSubscribe(client: Client, action: 'subscribe' | 'unsubscribe', message: Record<string, unknown>): void {
    if (!client.authenticated) {
      this.#error(client, 401);
      return;
    }
    const bars = message.bars ?? [];
    if (!Array.isArray(bars) || !bars.every((s) => typeof s === 'string' && s !== '')) {
      this.#error(client, 400);
      return;
    }
    const next = new Set(client.symbols);
    for (const symbol of bars as string[]) {
      if (action === 'subscribe') next.add(symbol);
      else next.delete(symbol);
    }
    const max = this.#o.maxSymbols ?? 0;
    if (max > 0 && next.size > max) {
      this.#error(client, 405);
      return;
    }
    client.symbols = next;
    const symbols = [...next];
    this.#send(client, [{ T: 'subscription', trades: [], quotes: [], bars: symbols }]);
    this.emit('subscribed', { connection: client.id, symbols });
    for (const symbol of symbols) this.#ensureCursor(symbol);
    if (!this.#started && symbols.length > 0) this.#startReplay();
  }

  #ensureCursor(symbol: string): void {
    if (this.#tape.playing(symbol) || this.#unknown.has(symbol)) return;
    if (!this.#tape.has(symbol)) {
      this.#unknown.add(symbol);
      this.emit(
        'problem',
        new DataError(
          `a client subscribed ${symbol}, which the source does not have (it has: ${this.#o.source.symbols?.join(', ')})`,
        ),
      );
      return;
    }
    const last = this.#sessions[this.#sessions.length - 1] as TradingSession;
    this.#tape.add(symbol, this.#nextSlot, last.close);
  }

  #startReplay(): void {
    if (this.#started) return;
    this.#started = true;
    this.#sessionWallStart = Date.now();
    this.emit('started');
    this.emit('session', this.#sessions[0] as TradingSession);
    this.#schedule(0);
  }

  #schedule(delayMs: number): void {
    clearTimeout(this.#timer);
    if (this.#closed || this.#finished) return;
    this.#timer = setTimeout(() => void this.#pump(), Math.max(0, Math.ceil(delayMs)));
  }

  /** Sends every bar due by now (in slot order, batched per client), then sleeps until the next slot is due. */
  async #pump(): Promise<void> {
    if (this.#pumping || this.#closed) return;
    this.#pumping = true;
    try {
      for (;;) {
        const session = this.#sessions[this.#sessionIndex];
        if (session === undefined) break;
        const now = this.replayTime();
        while (
          this.#nextSlot < session.close &&
          Math.min(this.#nextSlot + this.#baseMs, session.close) <= now
        ) {
          await this.#collectSlot(this.#nextSlot);
          this.#nextSlot += this.#baseMs;
        }
        if (this.#nextSlot < session.close) break;
        // The session is over: its close is when the next session's open is due.
        this.#sessionWallStart += (session.close - session.open) / this.#o.speed;
        this.#sessionIndex++;
        const next = this.#sessions[this.#sessionIndex];
        if (next === undefined) break;
        this.#nextSlot = next.open;
        this.#flush();
        this.emit('session', next);
      }
      this.#flush();
    } catch (error) {
      this.#flush();
      this.emit('problem', error as Error);
      for (const c of this.#clients) this.#error(c, 500);
    } finally {
      this.#pumping = false;
    }
    const session = this.#sessions[this.#sessionIndex];
    if (session === undefined) {
      if (!this.#finished) {
        this.#finished = true;
        this.emit('finished');
      }
      return;
    }
    const dueAt = Math.min(this.#nextSlot + this.#baseMs, session.close);
    this.#schedule((dueAt - this.replayTime()) / this.#o.speed);
  }

  /** Queues the bars starting at `time` for every client subscribed to their symbol. */
  async #collectSlot(time: number): Promise<void> {
    await this.#tape.barsAt(time, (bar) => {
      let wire: WireBar | undefined;
      for (const c of this.#clients) {
        if (!c.authenticated || c.silent || !c.symbols.has(bar.symbol)) continue;
        wire ??= encodeBar(bar);
        c.outbox.push(wire);
      }
    });
  }

  #flush(): void {
    for (const c of this.#clients) {
      const bars = c.outbox;
      if (bars.length === 0) continue;
      c.outbox = [];
      for (let i = 0; i < bars.length; i += this.#batch) this.#send(c, bars.slice(i, i + this.#batch));
      this.#barsSent += bars.length;
    }
  }

  #send(client: Client, messages: ServerMessage[]): void {
    if (client.silent) return;
    this.#sendNow(client, messages);
  }

  #sendNow(client: Client, messages: ServerMessage[]): void {
    const ws = client.ws;
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > SLOW_CLIENT_BYTES) {
      this.#refuse(client, 407);
      return;
    }
    ws.send(JSON.stringify(messages));
  }

  #error(client: Client, code: number): void {
    this.#send(client, [{ T: 'error', code, msg: SERVER_ERROR_TEXT[code] ?? 'error' }]);
  }

  /** Sends an error and closes the connection (auth failed or timed out, too many connections, too slow). */
  #refuse(client: Client, code: number): void {
    clearTimeout(client.authTimer);
    const ws = client.ws;
    if (ws.readyState === WebSocket.OPEN && code !== 407) {
      ws.send(JSON.stringify([{ T: 'error', code, msg: SERVER_ERROR_TEXT[code] ?? 'error' }]));
    }
    if (code === 407) ws.terminate();
    else ws.close(1008, SERVER_ERROR_TEXT[code] ?? 'error');
  }
}

function sameText(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
