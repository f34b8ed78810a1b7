import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findProjectRoot } from '@strat/runtime';
import type { FastifyInstance } from 'fastify';
import { buildServer, type ServiceOptions } from '../../src/index';

/** A parsed response body or a config edited into shapes the types forbid: the assertions check it. */
// biome-ignore lint/suspicious/noExplicitAny: what tests read from responses is checked by their assertions
export type Json = any;

/** The monorepo: its strategies/ and session_configs/ are what the service runs. */
export const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** A service listening on a free port, with a fresh data dir. */
export interface TestService {
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>` */
  url: string;
  dataDir: string;
  /** Closes the service (stopping its sessions) and removes the data dir unless `keepData`. */
  close(options?: { keepData?: boolean }): Promise<void>;
}

/** Makes a temp data dir. */
export function makeDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'strat-service-'));
}

/** Builds and starts a service on 127.0.0.1 (or `listenHost`) and a free port. */
export async function startTestService(
  options: Partial<ServiceOptions> & { listenHost?: string } = {},
): Promise<TestService> {
  const dataDir = options.dataDir ?? makeDataDir();
  const listenHost = options.listenHost ?? options.host ?? '127.0.0.1';
  const app = await buildServer({
    projectRoot: PROJECT_ROOT,
    metricsIntervalMs: 200,
    stopTimeoutMs: 5000,
    ...options,
    host: listenHost,
    dataDir,
  });
  await app.listen({ host: listenHost, port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    app,
    url: `http://127.0.0.1:${address.port}`,
    dataDir,
    async close({ keepData = false } = {}) {
      await app.close();
      if (!keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A JSON request; resolves with status, headers and the parsed body (or text). */
export async function request(
  url: string,
  init: { method?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; body: Json }> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.rawBody !== undefined) body = init.rawBody;
  else if (init.body !== undefined) body = JSON.stringify(init.body);
  if (body !== undefined && headers['content-type'] === undefined)
    headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: init.method ?? (body === undefined ? 'GET' : 'POST'),
    headers,
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  if ((response.headers.get('content-type') ?? '').includes('json'))
    parsed = text === '' ? undefined : JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed };
}

/** An inline session config on generated bars (2024-01-02, one day unless `days` > 1). */
export function sessionConfig(options: {
  speed: number;
  symbols?: string[];
  executor?: 'worker' | 'inline';
  fast?: number;
  slow?: number;
  endDate?: string;
}): Json {
  const symbols = options.symbols ?? ['AAPL', 'MSFT'];
  return {
    mode: 'backtest',
    backtest_config: {
      start_date: '2024-01-02',
      end_date: options.endDate ?? '2024-01-02',
      speed_multiplier: options.speed,
    },
    session_data_config: {
      symbols,
      streams: ['1m'],
      streaming: { executor: options.executor ?? 'inline', time_budget_ms: 50 },
      strategies: [
        {
          module: 'strategies.examples.simple_ma_cross',
          config: {
            symbols,
            interval: '1m',
            fast_period: options.fast ?? 2,
            slow_period: options.slow ?? 3,
            follow_added_symbols: true,
          },
        },
      ],
    },
    data_config: { source: 'generator', seed: 7 },
  };
}

/** Polls `GET /sessions/:id` until `predicate` holds. */
export async function waitForSession(
  url: string,
  id: string,
  predicate: (session: Json) => boolean,
  timeoutMs = 30_000,
): Promise<Json> {
  const started = Date.now();
  for (;;) {
    const { body } = await request(`${url}/sessions/${id}`);
    if (predicate(body)) return body;
    if (Date.now() - started > timeoutMs) throw new Error(`session ${id} is ${body?.state}; timed out`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
