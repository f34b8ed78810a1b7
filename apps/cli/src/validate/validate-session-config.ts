import { dirname, resolve } from 'node:path';
import {
  ConfigError,
  type ConfigIssue,
  DataError,
  intervalToMs,
  parseSessionConfigText,
  type SessionConfig,
  StratError,
} from '@strat/core';
import {
  CsvBarSource,
  FEED_ENV,
  GeneratorBarSource,
  redactUrl,
  resolveLiveFeedSettings,
  TradingCalendar,
} from '@strat/data';
import {
  findProjectRoot,
  findScannerClass,
  findStrategyClass,
  importStrategyModule,
  resolveStrategyModule,
  strategyModuleUrl,
} from '@strat/runtime';
import { readConfigText } from '../run/session-config-loader';

/** What `strat validate` found in one config file. */
export interface ConfigValidation {
  /** The file as named on the command line. */
  file: string;
  /** Every problem, each with the JSON path it is at (empty for the whole file). */
  problems: ConfigIssue[];
  /** Things that work but may not be what was meant (a class found by elimination, not by name). */
  warnings: ConfigIssue[];
  /** One line about a valid config: what it runs on which data. */
  description: string | undefined;
}

function issuesOf(error: unknown, fallbackPath: string): ConfigIssue[] {
  if (ConfigError.isInstance(error)) return error.issues;
  const message = error instanceof Error ? error.message : String(error);
  return [{ path: fallbackPath, message }];
}

async function checkModules(
  config: SessionConfig,
  configDir: string,
  problems: ConfigIssue[],
  warnings: ConfigIssue[],
): Promise<void> {
  const roots = [findProjectRoot(configDir)];
  const sdc = config.session_data_config;
  const entries = [
    ...sdc.strategies.map((entry, i) => ({
      entry,
      kind: 'strategy' as const,
      path: `session_data_config.strategies[${i}].module`,
    })),
    ...sdc.scanners.map((entry, i) => ({
      entry,
      kind: 'scanner' as const,
      path: `session_data_config.scanners[${i}].module`,
    })),
  ];
  for (const { entry, kind, path } of entries) {
    if (entry.enabled === false) continue;
    const warn = (message: string) => warnings.push({ path, message });
    try {
      const resolved = resolveStrategyModule(entry.module, { roots, fromDir: configDir });
      const namespace = await importStrategyModule(strategyModuleUrl(resolved), entry.module);
      if (kind === 'strategy') findStrategyClass(namespace, entry.module, { onWarning: warn });
      else findScannerClass(namespace, entry.module, warn);
    } catch (error) {
      problems.push(...issuesOf(error, path));
    }
  }
}

async function checkData(
  config: SessionConfig,
  calendar: TradingCalendar,
  configDir: string,
  problems: ConfigIssue[],
): Promise<void> {
  const sdc = config.session_data_config;
  const baseInterval = [...sdc.streams].sort((a, b) => intervalToMs(a) - intervalToMs(b))[0];
  const data = config.data_config;
  if (data.source === 'generator') {
    try {
      new GeneratorBarSource({ calendar, interval: baseInterval, ...data });
    } catch (error) {
      problems.push(...issuesOf(error, 'data_config'));
    }
    return;
  }
  try {
    new CsvBarSource({ files: data.files, calendar, onBadRow: data.on_bad_row, baseDir: configDir });
  } catch (error) {
    problems.push(...issuesOf(error, 'data_config.files'));
    return;
  }
  // One source per file, so that every unreadable file is reported, not only the first.
  for (const [i, file] of data.files.entries()) {
    try {
      await new CsvBarSource({ files: [file], calendar, baseDir: configDir }).preflight();
    } catch (error) {
      if (!DataError.isInstance(error)) throw error;
      problems.push({ path: `data_config.files[${i}]`, message: error.message });
    }
  }
  const fileInterval = data.files[0]?.interval;
  if (
    baseInterval !== undefined &&
    fileInterval !== undefined &&
    intervalToMs(fileInterval) !== intervalToMs(baseInterval)
  ) {
    problems.push({
      path: 'data_config.files[0].interval',
      message: `the files hold ${fileInterval} bars but the shortest stream in session_data_config.streams is ${baseInterval}: streams must start at the data's interval`,
    });
  }
  const provided = new Set(data.files.map((f) => f.symbol));
  for (const [i, symbol] of sdc.symbols.entries()) {
    if (!provided.has(symbol)) {
      problems.push({
        path: `session_data_config.symbols[${i}]`,
        message: `no file in data_config.files provides ${symbol} (they provide ${[...provided].join(', ')})`,
      });
    }
  }
}

/**
 * Live mode: the streams start at the feed's 1m bars (a problem otherwise), and the feed URL, key
 * and secret are available from the config or the environment (a warning otherwise: the
 * environment of `strat run` may differ from this one), secrets in the file, an end date already
 * past on the wall clock.
 */
function checkLive(
  config: SessionConfig,
  env: Readonly<Record<string, string | undefined>>,
  problems: ConfigIssue[],
  warnings: ConfigIssue[],
): void {
  const streams = config.session_data_config.streams;
  const shortest = [...streams].sort((a, b) => intervalToMs(a) - intervalToMs(b))[0];
  if (shortest !== undefined && intervalToMs(shortest) !== 60_000) {
    problems.push({
      path: 'session_data_config.streams',
      message: `the live feed sends 1m bars, so the shortest stream must be 1m (got ${shortest})`,
    });
  }
  try {
    resolveLiveFeedSettings(config.live_config, env);
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    for (const issue of error.issues) {
      warnings.push({ ...issue, message: `${issue.message} before strat run (it is not set here)` });
    }
  }
  const live = config.live_config;
  for (const field of ['key', 'secret'] as const) {
    if (live?.[field] !== undefined) {
      warnings.push({
        path: `live_config.${field}`,
        message: `written in the config file, which gets shared and committed: prefer the ${FEED_ENV[field]} environment variable`,
      });
    }
  }
  const today = new Date().toISOString().slice(0, 10);
  if (live?.clock !== 'feed' && live?.end_date !== undefined && live.end_date < today) {
    warnings.push({
      path: 'live_config.end_date',
      message: `${live.end_date} is past: on the wall clock the session ends as soon as it starts (a replay needs "clock": "feed")`,
    });
  }
}

function feedDescription(config: SessionConfig, env: Readonly<Record<string, string | undefined>>): string {
  const live = config.live_config;
  const url = live?.feed_url ?? env[FEED_ENV.url];
  const where = url === undefined ? `a feed from ${FEED_ENV.url}` : `live feed ${redactUrl(url)}`;
  const clock = live?.clock === 'feed' ? 'feed clock' : 'wall clock';
  const until = live?.end_date === undefined ? 'until stopped' : `until ${live.end_date}`;
  return `${where} on the ${clock} ${until}`;
}

function describe(config: SessionConfig, sessions: number): string {
  const sdc = config.session_data_config;
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const strategies = sdc.strategies.filter((s) => s.enabled !== false).length;
  const scanners = sdc.scanners.filter((s) => s.enabled !== false).length;
  const parts = [count(strategies, 'strategy', 'strategies')];
  if (scanners > 0) parts.push(count(scanners, 'scanner'));
  parts.push(count(sdc.symbols.length, 'symbol'));
  if (config.mode === 'backtest') parts.push(count(sessions, 'session'));
  if (config.mode === 'live') parts.push(feedDescription(config, process.env));
  else {
    parts.push(
      config.data_config.source === 'csv'
        ? count(config.data_config.files.length, 'CSV file')
        : 'generated data',
    );
  }
  return parts.join(', ');
}

/**
 * Checks one session config without running it: the schema, the trading calendar and dates, that
 * every enabled strategy and scanner module resolves and exports its class (importing a module runs
 * its top-level code), and that the data is there (CSV files readable with their column mapping, a
 * file for every symbol). Live configs: 1m base stream, and the feed URL and credentials available
 * from the config or the environment (warnings). Every problem is reported, each with its JSON path.
 */
export async function validateSessionConfig(file: string): Promise<ConfigValidation> {
  const problems: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const result = (description?: string): ConfigValidation => ({ file, problems, warnings, description });
  let config: SessionConfig;
  try {
    config = parseSessionConfigText(readConfigText(file), { file });
  } catch (error) {
    if (!StratError.isInstance(error)) throw error;
    problems.push(...issuesOf(error, ''));
    return result();
  }
  const configDir = dirname(resolve(file));
  const sdc = config.session_data_config;

  const isLive = config.mode === 'live';
  // Live, only `strat feed serve` reads backtest_config and data_config (to replay them): what is
  // wrong there is a warning about the replay, not a problem of the session.
  const replayNote = ' (in live mode only strat feed serve reads it, to replay the bars)';
  const replayProblems: ConfigIssue[] = isLive ? [] : problems;

  let calendar: TradingCalendar | undefined;
  let sessions = 0;
  try {
    calendar = TradingCalendar.fromConfig(sdc.calendar);
    const bt = config.backtest_config;
    if (bt !== undefined) {
      sessions = calendar.sessions(bt.start_date, bt.end_date).length;
      if (sessions === 0) {
        replayProblems.push({
          path: 'backtest_config',
          message: `no trading sessions from ${bt.start_date} to ${bt.end_date} in the calendar (${calendar.timezone} ${calendar.open}-${calendar.close}, weekdays ${calendar.weekdays.join(',')})`,
        });
      }
    }
  } catch (error) {
    problems.push(...issuesOf(error, 'session_data_config.calendar'));
  }
  if (isLive) checkLive(config, process.env, problems, warnings);
  await checkModules(config, configDir, problems, warnings);
  if (calendar !== undefined) await checkData(config, calendar, configDir, replayProblems);
  if (isLive) warnings.push(...replayProblems.map((p) => ({ ...p, message: `${p.message}${replayNote}` })));
  return result(problems.length === 0 ? describe(config, sessions) : undefined);
}
