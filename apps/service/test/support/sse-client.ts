/** One Server-Sent Event as a client sees it. */
export interface ReceivedEvent {
  id: string | undefined;
  event: string;
  data: string;
}

/** A minimal SSE reader over fetch, for tests: collects events and waits for the ones asked for. */
export class SseClient {
  readonly events: ReceivedEvent[] = [];
  readonly status: number;
  readonly headers: Headers;
  #ended = false;
  #waiters: (() => void)[] = [];
  readonly #controller: AbortController;

  private constructor(response: Response, controller: AbortController) {
    this.status = response.status;
    this.headers = response.headers;
    this.#controller = controller;
    if (response.body !== null) void this.#read(response.body);
    else this.#end();
  }

  /** Opens a stream; resolves once the response head arrived. */
  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const controller = new AbortController();
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    return new SseClient(response, controller);
  }

  /** Whether the server ended the stream. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Events named `name`, parsed. */
  named<T = unknown>(name: string): { id: string | undefined; data: T }[] {
    return this.events
      .filter((e) => e.event === name)
      .map((e) => ({ id: e.id, data: JSON.parse(e.data) as T }));
  }

  /** Resolves when `predicate` holds (checked after every event), rejects after `timeoutMs`. */
  async waitFor(
    predicate: (client: SseClient) => boolean,
    timeoutMs = 30_000,
    what = 'events',
  ): Promise<void> {
    const started = Date.now();
    while (!predicate(this)) {
      if (this.#ended) throw new Error(`the stream ended before ${what} arrived`);
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 250);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves when the server has ended the stream. */
  async waitForEnd(timeoutMs = 30_000): Promise<void> {
    const started = Date.now();
    while (!this.#ended) {
      if (Date.now() - started > timeoutMs) throw new Error('timed out waiting for the stream to end');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Closes the connection from the client side. */
  close(): void {
    this.#controller.abort();
  }

  async #read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary = buffer.indexOf('\n\n');
        while (boundary >= 0) {
          this.#parse(buffer.slice(0, boundary));
          buffer = buffer.slice(boundary + 2);
          boundary = buffer.indexOf('\n\n');
        }
        this.#wake();
      }
    } catch {
      // aborted by close()
    }
    this.#end();
  }

  #parse(block: string): void {
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':') || line === '') continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') id = value;
      else if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length > 0) this.events.push({ id, event, data: data.join('\n') });
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }

  #end(): void {
    this.#ended = true;
    this.#wake();
  }
}
