import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseSessionConfigText } from '@strat/core';
import { hasPaperExecution, strategyEntryNames } from '@strat/runtime';
import { CONFIG_NAME_PATTERN, readNamedConfigText, SESSION_CONFIGS_FOLDER } from './session-request';

/** One strategy of a named config. */
export interface NamedConfigStrategy {
  /** The name the session gives it (`name`, else the module's base name, made unique). */
  name: string;
  /** The module it loads (a dotted project path or a package specifier). */
  module: string | null;
}

/** A file of `session_configs/`, summed up for a list. */
export interface NamedConfigSummary {
  /** What `POST /sessions` takes as `name` (the file name without `.json`). */
  name: string;
  /** The file, relative to the project. */
  file: string;
  /** Whether the file is a valid session config (a session may still refuse it: its modules and data are checked at start). */
  valid: boolean;
  /** Why it is not valid (with JSON paths), else null. */
  error: string | null;
  mode: 'backtest' | 'live' | null;
  /** The config's symbols (without the scanners' universes). */
  symbols: string[];
  /** The enabled strategies. */
  strategies: NamedConfigStrategy[];
  /** The streamed intervals. */
  streams: string[];
  /** Backtests: the first and last day replayed. */
  startDate: string | null;
  endDate: string | null;
  /** Whether it trades on paper (has results, trades and equity when it ends). */
  paperExecution: boolean;
}

/** The named configs of the project, by name. Files that are not session config names (or not JSON) are left out. */
export function listNamedConfigs(projectRoot: string): NamedConfigSummary[] {
  const configDir = join(projectRoot, SESSION_CONFIGS_FOLDER);
  let files: string[];
  try {
    files = readdirSync(configDir, { withFileTypes: true })
      .filter(
        (entry) => entry.isFile() && entry.name.endsWith('.json') && CONFIG_NAME_PATTERN.test(entry.name),
      )
      .map((entry) => entry.name)
      .sort();
  } catch {
    return [];
  }
  return files.map((file) => summarize(file.slice(0, -'.json'.length), configDir));
}

function summarize(name: string, configDir: string): NamedConfigSummary {
  const empty = {
    name,
    file: `${SESSION_CONFIGS_FOLDER}/${name}.json`,
    mode: null,
    symbols: [],
    strategies: [],
    streams: [],
    startDate: null,
    endDate: null,
    paperExecution: false,
  };
  try {
    const { file, text } = readNamedConfigText(name, configDir);
    const config = parseSessionConfigText(text, { file: `${SESSION_CONFIGS_FOLDER}/${file}` });
    const sdc = config.session_data_config;
    const names = strategyEntryNames(sdc.strategies);
    return {
      ...empty,
      valid: true,
      error: null,
      mode: config.mode,
      symbols: [...sdc.symbols],
      strategies: sdc.strategies.flatMap((entry, i) => {
        const strategyName = names[i];
        return strategyName === undefined ? [] : [{ name: strategyName, module: entry.module ?? null }];
      }),
      streams: [...sdc.streams],
      startDate: config.backtest_config?.start_date ?? null,
      endDate: config.backtest_config?.end_date ?? null,
      paperExecution: hasPaperExecution(config),
    };
  } catch (error) {
    return { ...empty, valid: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * The JSON of the named config, as the file holds it (defaults not applied; an invalid config too:
 * the list says whether it is valid).
 * @throws ServiceError 400 for a name that is not a file name, 404 `CONFIG_NOT_FOUND`; ConfigError
 *   `CONFIG_INVALID` (400) when the file is not JSON, naming the line and column
 */
export function readNamedConfigJson(name: string, projectRoot: string): unknown {
  const { file, text } = readNamedConfigText(name, join(projectRoot, SESSION_CONFIGS_FOLDER), 'params.name');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // Names the line and column of the syntax error.
    parseSessionConfigText(text, { file: `${SESSION_CONFIGS_FOLDER}/${file}` });
    throw error;
  }
}
