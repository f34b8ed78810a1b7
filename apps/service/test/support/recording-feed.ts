import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

/**
 * A WebSocket listener on 127.0.0.1 that records every message clients send and refuses every
 * `auth` (Alpaca code 402): what a feed a request picked would see of the service's credentials.
 */
export class RecordingFeed {
  /** Every message received, as sent. */
  readonly messages: string[] = [];
  readonly #server: WebSocketServer;
  readonly #waiters: (() => void)[] = [];

  private constructor(server: WebSocketServer) {
    this.#server = server;
    server.on('connection', (socket) => {
      socket.send(JSON.stringify([{ T: 'success', msg: 'connected' }]));
      socket.on('message', (data) => {
        const text = String(data);
        this.messages.push(text);
        for (const waiter of this.#waiters.splice(0)) waiter();
        if (text.includes('"auth"')) {
          socket.send(JSON.stringify([{ T: 'error', code: 402, msg: 'auth failed' }]));
          socket.close();
        }
      });
    });
  }

  /** Listens on 127.0.0.1 and a free port. */
  static async start(): Promise<RecordingFeed> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    return new RecordingFeed(server);
  }

  /** `ws://127.0.0.1:<port>` */
  get url(): string {
    return `ws://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The `auth` messages received, parsed. */
  get auths(): { key: string; secret: string }[] {
    return this.messages
      .map((m) => JSON.parse(m) as { action?: string; key: string; secret: string })
      .filter((m) => m.action === 'auth');
  }

  /** Resolves once an `auth` message has arrived. */
  async waitForAuth(timeoutMs = 20_000): Promise<{ key: string; secret: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const auth = this.auths[0];
      if (auth !== undefined) return auth;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no auth message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async close(): Promise<void> {
    for (const client of this.#server.clients) client.terminate();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
