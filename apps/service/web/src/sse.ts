import { authorizedFetch, describeError } from './api';

/** Handlers per event name; `data` is the event's parsed JSON. */
export type EventHandlers = Record<string, (data: unknown, id: string | undefined) => void>;

/** An open event stream: `close()` ends it. */
export interface EventStream {
  close(): void;
}

const RETRY_MS = 2000;

/**
 * Reads a Server-Sent Events route with fetch (so the token goes in the Authorization header, as on
 * every other route, never in the URL) and calls `handlers` per event. When the connection drops
 * before an `end` event it reconnects after 2 s with `Last-Event-ID`, as EventSource would: the
 * service resumes after the last signal or fill seen, none missed or repeated. `onProblem` hears of
 * each drop (and `undefined` once it streams again).
 */
export function openEvents(
  path: string,
  handlers: EventHandlers,
  onProblem: (problem: string | undefined) => void = () => {},
): EventStream {
  const abort = new AbortController();
  let lastId: string | undefined;
  let ended = false;

  const dispatch = (name: string, data: string, id: string | undefined) => {
    if (id !== undefined) lastId = id;
    if (name === 'end') ended = true;
    const handler = handlers[name];
    if (handler === undefined || data === '') return;
    handler(JSON.parse(data), id);
  };

  const run = async () => {
    while (!abort.signal.aborted && !ended) {
      try {
        const headers: Record<string, string> = { accept: 'text/event-stream' };
        if (lastId !== undefined) headers['last-event-id'] = lastId;
        const response = await authorizedFetch(path, { headers, signal: abort.signal });
        if (!response.ok || response.body === null) {
          const body = (await response.json().catch(() => ({}))) as { error?: string };
          onProblem(body.error ?? `event stream: ${response.status}`);
          if (response.status === 404 || response.status === 400) return;
        } else {
          onProblem(undefined);
          await readEvents(response.body, dispatch);
          if (ended || abort.signal.aborted) return;
          onProblem('The event stream closed; reconnecting…');
        }
      } catch (error) {
        if (abort.signal.aborted) return;
        onProblem(`${describeError(error)} Reconnecting…`);
      }
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  };
  void run();
  return { close: () => abort.abort() };
}

/** Parses a text/event-stream body, calling `dispatch` per event. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  dispatch: (name: string, data: string, id: string | undefined) => void,
): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let name = 'message';
  let data: string[] = [];
  let id: string | undefined;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let newline = buffer.indexOf('\n');
    while (newline >= 0) {
      const line = buffer.slice(0, newline).replace(/\r$/, '');
      buffer = buffer.slice(newline + 1);
      newline = buffer.indexOf('\n');
      if (line === '') {
        if (data.length > 0) dispatch(name, data.join('\n'), id);
        name = 'message';
        data = [];
        id = undefined;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') name = text;
      else if (field === 'data') data.push(text);
      else if (field === 'id') id = text;
    }
  }
}
