import { dirname, resolve } from 'node:path';
import { ConfigError, type ConfigIssue, type SessionConfig, StratError } from '@strat/core';
import { FEED_ENV, readSessionConfigFile, redactUrl, TradingCalendar } from '@strat/data';
import { checkSessionConfig } from '@strat/runtime';

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
  /** The project files of its enabled strategy and scanner modules (what `--types` checks). */
  moduleFiles: string[];
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
        : config.data_config.source === 'catalog'
          ? `catalog ${config.data_config.path}`
          : 'generated data',
    );
  }
  return parts.join(', ');
}

/**
 * Checks one session config without running it, with the same check a session runs before it
 * starts (`checkSessionConfig`): the schema, the trading calendar and dates, the data (CSV files
 * readable with their column mapping, a file for every symbol, streams starting at the data's
 * interval), and every enabled strategy and scanner: each module loads (its top-level code runs)
 * and exports its class, and each strategy is set up inline (no bar flows) and subscribes only to
 * streamed series. Live configs: 1m base stream, and the feed URL and credentials available from
 * the config or the environment (warnings). Every problem is reported, each with its JSON path.
 */
export async function validateSessionConfig(
  file: string,
  policy: { strategyRoots?: string[]; allowedPackages?: string[] } = {},
): Promise<ConfigValidation> {
  const warnings: ConfigIssue[] = [];
  const moduleFiles: string[] = [];
  const result = (problems: ConfigIssue[], description?: string): ConfigValidation => ({
    file,
    problems,
    warnings,
    description,
    moduleFiles,
  });
  let config: SessionConfig;
  try {
    config = readSessionConfigFile(file);
  } catch (error) {
    if (!StratError.isInstance(error)) throw error;
    return result(ConfigError.isInstance(error) ? error.issues : [{ path: '', message: error.message }]);
  }
  const check = await checkSessionConfig(config, {
    configDir: dirname(resolve(file)),
    modules: 'start',
    liveSettings: 'warning',
    ...policy,
  });
  warnings.push(...check.warnings);
  moduleFiles.push(...check.moduleFiles);
  if (check.problems.length > 0) return result(check.problems);
  const bt = config.backtest_config;
  const sessions =
    bt === undefined
      ? 0
      : TradingCalendar.fromConfig(config.session_data_config.calendar).sessions(bt.start_date, bt.end_date)
          .length;
  return result([], describe(config, sessions));
}
