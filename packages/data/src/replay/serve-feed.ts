import { basename, dirname, extname, resolve } from 'node:path';
import { ConfigError, csvFileConfigSchema, parseSessionConfigText } from '@strat/core';
import { TradingCalendar } from '../calendar/trading-calendar';
import { readSessionConfigText } from '../config-file/read-session-config';
import type { BarSource } from '../sources/bar-source';
import { createBarSource } from '../sources/create-bar-source';
import { CsvBarSource } from '../sources/csv/csv-bar-source';
import { FEED_ENV } from '../sources/feeds/feed-settings';
import { MarketReplayServer } from './market-replay-server';
import type { MarketReplayServerOptions } from './market-replay-server-options';

/** Creates a {@link MarketReplayServer} and starts listening; resolves once bound. */
export async function startReplayServer(options: MarketReplayServerOptions): Promise<MarketReplayServer> {
  const server = new MarketReplayServer(options);
  await server.start();
  return server;
}

/** Options of {@link serveFeedFromConfig}: the `strat feed serve` command's arguments. */
export interface ServeFeedOptions {
  /** A session config (`.json`: its data source, symbols' calendar and backtest dates) or a CSV file of 1m bars. */
  path: string;
  /** Port (default 8765; 0 = any free port). */
  port?: number;
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Replay ms per wall ms (default 60). */
  speed?: number;
  /** Credentials clients must send (default: the config's live_config, then STRAT_FEED_KEY / STRAT_FEED_SECRET). */
  key?: string;
  secret?: string;
  /** First and last replayed date (default: the config's backtest dates, or the CSV file's first and last). */
  from?: string;
  to?: string;
  /** CSV only: the symbol of its bars (default: the file name in capitals, `aapl.csv` -> `AAPL`). */
  symbol?: string;
  /** Most bars per frame (default 4). */
  maxBarsPerMessage?: number;
  /** Environment to read credentials from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
}

const DEFAULT_PORT = 8765;
const DEFAULT_SPEED = 60;

/**
 * The `strat feed serve <config-or-csv> --port 8765 --speed 60` command: replays a session
 * config's bars (generator or CSV, its calendar and backtest dates) or one CSV file of 1m bars
 * over the Alpaca stream protocol. Resolves with the listening server; `close()` it to stop.
 * @throws ConfigError for a bad config, missing dates or credentials; StratError when the port is taken
 */
export async function serveFeedFromConfig(options: ServeFeedOptions): Promise<MarketReplayServer> {
  const env = options.env ?? process.env;
  const file = resolve(options.path);
  const isCsv = extname(file).toLowerCase() !== '.json';
  const plan = isCsv ? await planCsv(file, options) : planConfig(file, options);
  const key = options.key ?? plan.key ?? env[FEED_ENV.key];
  const secret = options.secret ?? plan.secret ?? env[FEED_ENV.secret];
  if (key === undefined || key === '' || secret === undefined || secret === '') {
    throw new ConfigError(
      [
        {
          path: key === undefined || key === '' ? 'key' : 'secret',
          message: `the replay server checks credentials: pass --key and --secret, or set ${FEED_ENV.key} and ${FEED_ENV.secret} (the session reads the same variables)`,
        },
      ],
      { summary: 'Cannot serve the feed' },
    );
  }
  return startReplayServer({
    source: plan.source,
    calendar: plan.calendar,
    startDate: plan.from,
    endDate: plan.to,
    speed: options.speed ?? DEFAULT_SPEED,
    key,
    secret,
    port: options.port ?? DEFAULT_PORT,
    host: options.host,
    maxBarsPerMessage: options.maxBarsPerMessage,
  });
}

interface ReplayPlan {
  source: BarSource;
  calendar: TradingCalendar;
  from: string;
  to: string;
  key?: string;
  secret?: string;
}

function planConfig(file: string, options: ServeFeedOptions): ReplayPlan {
  const config = parseSessionConfigText(readSessionConfigText(file), { file: options.path });
  const calendar = TradingCalendar.fromConfig(config.session_data_config.calendar);
  const from = options.from ?? config.backtest_config?.start_date;
  const to = options.to ?? config.backtest_config?.end_date ?? from;
  if (from === undefined || to === undefined) {
    throw new ConfigError(
      [
        {
          path: 'backtest_config',
          message: 'the replayed dates come from backtest_config (start_date, end_date) or --from and --to',
        },
      ],
      { file: options.path, summary: `Cannot serve ${options.path}` },
    );
  }
  const source = createBarSource(config.data_config, {
    calendar,
    baseDir: dirname(file),
    baseInterval: '1m',
  });
  requireMinuteBars(source, options.path);
  return { source, calendar, from, to, key: config.live_config?.key, secret: config.live_config?.secret };
}

async function planCsv(file: string, options: ServeFeedOptions): Promise<ReplayPlan> {
  const calendar = TradingCalendar.usEquities();
  const symbol = options.symbol ?? basename(file, extname(file)).toUpperCase();
  const spec = csvFileConfigSchema.parse({ path: options.path, symbol });
  const source = new CsvBarSource({ files: [{ ...spec, absolutePath: file }], calendar });
  requireMinuteBars(source, options.path);
  let from = options.from;
  let to = options.to;
  if (from === undefined || to === undefined) {
    let first: string | undefined;
    let last: string | undefined;
    for await (const chunk of source.read(symbol, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)) {
      for (let i = 0; i < chunk.length; i++) {
        const date = calendar.sessionAt(chunk.time[i] as number)?.date;
        if (date === undefined) continue;
        first ??= date;
        last = date;
      }
    }
    if (first === undefined || last === undefined) {
      throw new ConfigError(
        [{ path: 'path', message: `${options.path} has no bars in US equity session hours` }],
        {
          summary: `Cannot serve ${options.path}`,
        },
      );
    }
    from ??= first;
    to ??= last;
  }
  return { source, calendar, from, to };
}

function requireMinuteBars(source: BarSource, path: string): void {
  if (source.interval !== '1m') {
    throw new ConfigError(
      [
        {
          path: 'data_config',
          message: `the feed protocol sends 1m bars; ${path} gives ${source.interval} bars`,
        },
      ],
      {
        summary: `Cannot serve ${path}`,
      },
    );
  }
}
