import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { isInterval, parseSessionConfigText } from '@strat/core';
import { FEED_ENV } from '@strat/data';

/** What `strat feed serve` was asked to replay, as far as the listening line does not say it. */
export interface ReplayDescription {
  /** `session config` or `CSV file`. */
  kind: 'session config' | 'CSV file';
  /** Where the bars come from, e.g. `generated (seed 42)` or `the rows of spy.csv`. */
  bars: string;
  /**
   * The symbols the replayer has bars for; undefined when it makes bars for any symbol a client
   * subscribes (the generator).
   */
  symbols: string[] | undefined;
  /** The symbols the config's session streams (what a live run of it subscribes). */
  configSymbols: string[];
  /** Where the key and the secret came from (never their values). */
  credentials: string;
}

/** The parts of the `strat feed serve` options that decide what is described. */
export interface ReplayDescriptionOptions {
  key?: string;
  secret?: string;
  symbol?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The symbol of a CSV file's bars when `--symbol` is not given: the file name in capitals, without
 * the interval suffix `strat data generate` writes (`data/spy-1m.csv` -> `SPY`).
 */
export function defaultCsvSymbol(path: string): string {
  const name = basename(path, extname(path));
  const suffixed = /^(.+)-([^-]+)$/.exec(name);
  const symbol = suffixed?.[1] !== undefined && isInterval(suffixed[2] ?? '') ? suffixed[1] : name;
  return symbol.toUpperCase();
}

function credentialSource(
  flag: string | undefined,
  fromConfig: string | undefined,
  field: 'key' | 'secret',
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (flag !== undefined) return `--${field}`;
  if (fromConfig !== undefined) return `live_config.${field}`;
  return env[FEED_ENV[field]] === undefined ? 'nowhere' : FEED_ENV[field];
}

/**
 * Describes a replay `serveFeedFromConfig` accepted (so the file is readable and valid): the kind
 * of file, its bars and symbols, and where the credentials came from, without their values.
 */
export function describeReplay(path: string, options: ReplayDescriptionOptions = {}): ReplayDescription {
  const env = options.env ?? process.env;
  if (extname(path).toLowerCase() !== '.json') {
    const symbol = options.symbol ?? defaultCsvSymbol(path);
    const key = credentialSource(options.key, undefined, 'key', env);
    const secret = credentialSource(options.secret, undefined, 'secret', env);
    return {
      kind: 'CSV file',
      bars: `the rows of ${basename(path)}`,
      symbols: [symbol],
      configSymbols: [],
      credentials: describeCredentials(key, secret),
    };
  }
  const config = parseSessionConfigText(readFileSync(path, 'utf8'), { file: path });
  const data = config.data_config;
  const key = credentialSource(options.key, config.live_config?.key, 'key', env);
  const secret = credentialSource(options.secret, config.live_config?.secret, 'secret', env);
  return {
    kind: 'session config',
    bars:
      data.source === 'generator'
        ? `generated (seed ${data.seed})`
        : data.source === 'catalog'
          ? `the catalog ${data.path} of its data_config`
          : `${data.files.length} CSV file${data.files.length === 1 ? '' : 's'} of its data_config`,
    symbols:
      data.source === 'generator'
        ? undefined
        : data.source === 'catalog'
          ? [...config.session_data_config.symbols]
          : [...new Set(data.files.map((f) => f.symbol))],
    configSymbols: [...config.session_data_config.symbols],
    credentials: describeCredentials(key, secret),
  };
}

function describeCredentials(key: string, secret: string): string {
  return `from ${key} and ${secret}`;
}
