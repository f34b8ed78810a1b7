import {
  ConfigError,
  type ConfigIssue,
  DataError,
  type Interval,
  intervalToMs,
  type SessionConfig,
} from '@strat/core';
import type { TradingCalendar } from '../calendar/trading-calendar';
import type { CatalogBarSource } from './catalog/catalog-bar-source';
import { createBarSource } from './create-bar-source';
import { CsvBarSource } from './csv/csv-bar-source';
import { feedBarInterval } from './feeds/create-bar-feed';
import { ParquetBarSource } from './parquet/parquet-bar-source';

/** The shortest of `streams`: the base stream every longer one is built from. */
export function baseStream(streams: readonly Interval[]): Interval | undefined {
  return [...streams].sort((a, b) => intervalToMs(a) - intervalToMs(b))[0];
}

/**
 * The problem when the shortest stream is not the interval of the bars that come in (undefined
 * when it is): `what` names where they come from, a source's description or `the live feed`.
 */
export function baseStreamIssue(
  what: { source: string } | { feed: true },
  interval: Interval,
  streams: readonly Interval[],
): ConfigIssue | undefined {
  const base = baseStream(streams);
  if (base === undefined || intervalToMs(base) === intervalToMs(interval)) return undefined;
  const gives = 'feed' in what ? 'the live feed sends' : `${what.source} gives`;
  return {
    path: 'session_data_config.streams',
    message: `${gives} ${interval} bars, so the shortest stream must be ${interval} (got ${base})`,
  };
}

function issuesOf(error: unknown, fallbackPath: string): ConfigIssue[] {
  if (ConfigError.isInstance(error)) return error.issues;
  return [{ path: fallbackPath, message: error instanceof Error ? error.message : String(error) }];
}

/**
 * Everything about where a session's bars come from that can be checked without running it, in
 * the words the data processor uses when it meets the same problem:
 *
 * - the backtest dates hold trading sessions of the calendar;
 * - the source can be built (generator settings; CSV and Parquet column mappings, time zones and
 *   intervals) and every file is readable with its mapping, a file for every symbol;
 * - the shortest stream is the interval of the data's bars (live: the feed's).
 *
 * A live session replays nothing: what is wrong with its backtest dates or data is returned apart
 * (`replayIssues`), since only `strat feed serve` reads them.
 */
export async function checkDataConfig(
  config: SessionConfig,
  options: { calendar: TradingCalendar; baseDir?: string },
): Promise<{ issues: ConfigIssue[]; replayIssues: ConfigIssue[] }> {
  const issues: ConfigIssue[] = [];
  const isLive = config.mode === 'live';
  const replay = isLive ? [] : issues;
  const sdc = config.session_data_config;
  const { calendar } = options;
  const bt = config.backtest_config;
  if (bt !== undefined && calendar.sessions(bt.start_date, bt.end_date).length === 0) {
    replay.push({
      path: 'backtest_config',
      message: `no trading sessions from ${bt.start_date} to ${bt.end_date} in the calendar (${calendar.timezone} ${calendar.open}-${calendar.close}, weekdays ${calendar.weekdays.join(',')})`,
    });
  }
  if (isLive) {
    const issue = baseStreamIssue(
      { feed: true },
      feedBarInterval(config.live_config?.provider ?? 'alpaca'),
      sdc.streams,
    );
    if (issue !== undefined) issues.push(issue);
  }
  replay.push(...(await checkSource(config, options, !isLive)));
  return { issues, replayIssues: isLive ? replay : [] };
}

async function checkSource(
  config: SessionConfig,
  options: { calendar: TradingCalendar; baseDir?: string },
  streamsMustMatch: boolean,
): Promise<ConfigIssue[]> {
  const sdc = config.session_data_config;
  const data = config.data_config;
  const issues: ConfigIssue[] = [];
  let source: ReturnType<typeof createBarSource>;
  try {
    source = createBarSource(data, { ...options, baseInterval: baseStream(sdc.streams) });
  } catch (error) {
    return issuesOf(
      error,
      data.source === 'csv' || data.source === 'parquet' ? 'data_config.files' : 'data_config',
    );
  }
  if (streamsMustMatch) {
    const issue = baseStreamIssue({ source: source.description }, source.interval, sdc.streams);
    if (issue !== undefined) issues.push(issue);
  }
  if (data.source === 'generator') return issues;
  if (data.source === 'catalog') {
    issues.push(...(await checkCatalog(source as CatalogBarSource, config, options.calendar)));
    return issues;
  }
  // One source per file, so that every unreadable file is reported, not only the first.
  const one = { calendar: options.calendar, baseDir: options.baseDir };
  const sources =
    data.source === 'csv'
      ? data.files.map((file) => new CsvBarSource({ ...one, files: [file] }))
      : data.files.map((file) => new ParquetBarSource({ ...one, files: [file] }));
  for (const [i, source] of sources.entries()) {
    try {
      await source.preflight();
    } catch (error) {
      if (!DataError.isInstance(error)) throw error;
      issues.push({ path: `data_config.files[${i}]`, message: error.message });
    }
  }
  const provided = new Set(data.files.map((f) => f.symbol));
  for (const [i, symbol] of sdc.symbols.entries()) {
    if (!provided.has(symbol)) {
      issues.push({
        path: `session_data_config.symbols[${i}]`,
        message: `no file in data_config.files provides ${symbol} (they provide ${[...provided].join(', ')})`,
      });
    }
  }
  return issues;
}

/** Every session symbol is in the catalog, and the partitions a backtest needs are there. */
async function checkCatalog(
  source: CatalogBarSource,
  config: SessionConfig,
  calendar: TradingCalendar,
): Promise<ConfigIssue[]> {
  const issues: ConfigIssue[] = [];
  const symbols = config.session_data_config.symbols;
  for (const [i, symbol] of symbols.entries()) {
    if (!source.symbols.includes(symbol)) {
      issues.push({
        path: `session_data_config.symbols[${i}]`,
        message: `the catalog has no ${source.interval} bars of ${symbol} (it has ${source.symbols.join(', ') || 'none'})`,
      });
    }
  }
  const bt = config.backtest_config;
  const sessions = bt === undefined ? [] : calendar.sessions(bt.start_date, bt.end_date);
  const first = sessions[0];
  const last = sessions.at(-1);
  if (first === undefined || last === undefined) return issues;
  try {
    await source.preflight(
      symbols.filter((s) => source.symbols.includes(s)),
      first.open,
      last.close,
    );
  } catch (error) {
    if (!DataError.isInstance(error)) throw error;
    issues.push({ path: 'data_config.path', message: error.message });
  }
  return issues;
}
