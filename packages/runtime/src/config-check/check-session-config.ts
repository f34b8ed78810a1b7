import {
  ConfigError,
  type ConfigIssue,
  configSchemaOf,
  type LogRecord,
  type SessionConfig,
  StratError,
  StrategyLoadError,
  validateConfig,
} from '@strat/core';
import { FEED_ENV, resolveLiveFeedSettings, SessionData, TradingCalendar } from '@strat/data';
import { checkDataConfig } from '@strat/data/internal';
import { findNamedStrategyClass, findStrategyClass } from '../loader/find-strategy-class';
import { importStrategyModule } from '../loader/import-strategy-module';
import { resolveStrategyModule, strategyModuleUrl } from '../loader/resolve-strategy-module';
import { StrategyManager } from '../manager/strategy-manager';
import { findScannerClass } from '../scanner/find-scanner-class';
import { findProjectRoot } from '../session/find-project-root';

/** Options of {@link checkSessionConfig}. */
export interface SessionConfigCheckOptions {
  /** The config file's folder: relative CSV paths and module paths resolve against it. */
  configDir: string;
  /** Project folders modules are looked up in (default: the project holding `configDir`). */
  roots?: readonly string[];
  /** Where live feed settings are read (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  /** Accept absolute module paths (never for configs from the network). */
  allowAbsoluteModules?: boolean;
  /** Folders strategy and scanner files may lie in (default: `<root>/strategies` of each root). */
  strategyRoots?: readonly string[];
  /** Packages strategies and scanners may come from (default: `@strat/examples`). */
  allowedPackages?: readonly string[];
  /**
   * How far to check the strategies and scanners: `none` (a session loads them itself right after,
   * failing with a StrategyLoadError), `resolve` (the module file is there), `import` (it loads and
   * exports its class: runs the module's top-level code), or `start` (each strategy is constructed
   * and set up inline, and its subscriptions must be streamed). Default `resolve`.
   */
  modules?: 'none' | 'resolve' | 'import' | 'start';
  /**
   * A missing live feed URL, key or secret is a `problem` (default: the session is about to start)
   * or a `warning` (`strat validate`: the environment of `strat run` may differ).
   */
  liveSettings?: 'problem' | 'warning';
  /**
   * The calendar of the config's `session_data_config.calendar`, when the caller has built it already
   * (a session has): checked against instead of building a second one (for a ten-year backtest, its
   * sessions and time-zone offsets take some 20 ms to work out).
   */
  calendar?: TradingCalendar;
}

/** What {@link checkSessionConfig} found: problems stop a session; warnings are worth a look. */
export interface SessionConfigCheck {
  problems: ConfigIssue[];
  warnings: ConfigIssue[];
  /**
   * The files of the enabled strategy and scanner modules that resolved to the project's files (not
   * packages), in config order without repeats (`strat validate --types` type-checks them). Empty when
   * `modules` is `none`.
   */
  moduleFiles: string[];
}

/**
 * The one semantic check of a parsed session config, used by `Session`, `strat validate` and the
 * service, with one wording: the calendar and the backtest dates, where the bars come from (CSV
 * files readable with their mappings, a file per symbol, streams starting at the data's interval),
 * a live session's feed settings, and the strategy and scanner modules (resolved, imported, or
 * started and their subscriptions streamed). Every problem carries its JSON path.
 */
export async function checkSessionConfig(
  config: SessionConfig,
  options: SessionConfigCheckOptions,
): Promise<SessionConfigCheck> {
  const problems: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const moduleFiles: string[] = [];
  let calendar: TradingCalendar | undefined = options.calendar;
  try {
    calendar ??= TradingCalendar.fromConfig(config.session_data_config.calendar);
  } catch (error) {
    problems.push(...issuesOf(error, 'session_data_config.calendar'));
  }
  if (calendar !== undefined) {
    const data = await checkDataConfig(config, { calendar, baseDir: options.configDir });
    problems.push(...data.issues);
    // Live, only `strat feed serve` reads backtest_config and data_config, to replay them.
    for (const issue of data.replayIssues) {
      warnings.push({
        ...issue,
        message: `${issue.message} (in live mode only strat feed serve reads it, to replay the bars)`,
      });
    }
  }
  if (config.mode === 'live') checkLive(config, options, calendar, { problems, warnings });
  const modules = options.modules ?? 'resolve';
  if (modules === 'none') return { problems, warnings, moduleFiles };
  const loaded = await checkModules(config, options, modules, { problems, warnings, moduleFiles });
  if (modules === 'start' && loaded && problems.length === 0) await checkStart(config, options, problems);
  return { problems, warnings, moduleFiles };
}

/** {@link checkSessionConfig}, failing with every problem at once. @throws ConfigError listing each problem at its JSON path */
export async function assertSessionConfig(
  config: SessionConfig,
  options: SessionConfigCheckOptions,
): Promise<SessionConfigCheck> {
  const check = await checkSessionConfig(config, options);
  if (check.problems.length > 0) throw new ConfigError(check.problems, { summary: 'The session cannot run' });
  return check;
}

function issuesOf(error: unknown, fallbackPath: string): ConfigIssue[] {
  if (ConfigError.isInstance(error)) return error.issues;
  return [{ path: fallbackPath, message: error instanceof Error ? error.message : String(error) }];
}

function checkLive(
  config: SessionConfig,
  options: SessionConfigCheckOptions,
  calendar: TradingCalendar | undefined,
  { problems, warnings }: { problems: ConfigIssue[]; warnings: ConfigIssue[] },
): void {
  try {
    resolveLiveFeedSettings(config.live_config, options.env ?? process.env);
  } catch (error) {
    if (!ConfigError.isInstance(error)) throw error;
    if (options.liveSettings === 'warning') {
      for (const issue of error.issues) {
        warnings.push({ ...issue, message: `${issue.message} before strat run (it is not set here)` });
      }
    } else {
      problems.push(...error.issues);
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
  // Past once the session of that date has closed (Globex: 17:00 New York on that date), as the live run ends.
  const end = live?.end_date;
  const past =
    end !== undefined &&
    (calendar === undefined
      ? end < new Date().toISOString().slice(0, 10)
      : Date.now() >= calendar.hoursOn(end).close);
  if (live?.clock !== 'feed' && past) {
    warnings.push({
      path: 'live_config.end_date',
      message: `${end} is past: on the wall clock the session ends as soon as it starts (a replay needs "clock": "feed")`,
    });
  }
}

/** Resolves (and imports) every enabled module; false when one failed. */
async function checkModules(
  config: SessionConfig,
  options: SessionConfigCheckOptions,
  depth: 'resolve' | 'import' | 'start',
  { problems, warnings, moduleFiles }: SessionConfigCheck,
): Promise<boolean> {
  const roots = options.roots ?? [findProjectRoot(options.configDir)];
  const sdc = config.session_data_config;
  const entries = [
    ...sdc.strategies.map((entry, i) => ({
      entry,
      kind: 'strategy' as const,
      path: `session_data_config.strategies[${i}]`,
    })),
    ...sdc.scanners.map((entry, i) => ({
      entry,
      kind: 'scanner' as const,
      path: `session_data_config.scanners[${i}]`,
    })),
  ];
  let ok = true;
  for (const { entry, kind, path } of entries) {
    if (entry.enabled === false) continue;
    const modulePath = `${path}.module`;
    const warn = (message: string) => warnings.push({ path: modulePath, message });
    let found: unknown = 'strategy' in entry ? entry.strategy : undefined;
    if (found === undefined) {
      const module = entry.module as string;
      // Once the module is imported, a class it lacks is the fault of the entry's `export`, if any.
      let problemPath = modulePath;
      try {
        const resolved = resolveStrategyModule(module, {
          roots,
          fromDir: options.configDir,
          allowAbsolute: options.allowAbsoluteModules ?? false,
          strategyRoots: options.strategyRoots,
          allowedPackages: options.allowedPackages,
        });
        if (resolved.kind === 'file' && !moduleFiles.includes(resolved.path)) moduleFiles.push(resolved.path);
        if (depth === 'resolve') continue;
        const namespace = await importStrategyModule(strategyModuleUrl(resolved), module);
        const exportName = kind === 'strategy' ? entry.export : undefined;
        problemPath = exportName === undefined ? modulePath : `${path}.export`;
        found =
          kind === 'scanner'
            ? findScannerClass(namespace, module, warn).scannerClass
            : exportName === undefined
              ? findStrategyClass(namespace, module, { onWarning: warn }).strategyClass
              : findNamedStrategyClass(namespace, exportName, module).strategyClass;
      } catch (error) {
        ok = false;
        problems.push({
          path: problemPath,
          message: StratError.isInstance(error) ? error.message : String(error),
        });
        continue;
      }
    } else if (depth === 'resolve') continue;
    const configProblems = checkClassConfig(found, entry.config, `${path}.config`);
    if (configProblems.length > 0) {
      ok = false;
      problems.push(...configProblems);
    }
  }
  return ok;
}

/** The problems of `config` against the `configSchema` of a strategy or scanner class, at their JSON paths. */
function checkClassConfig(found: unknown, config: unknown, path: string): ConfigIssue[] {
  try {
    const schema = configSchemaOf(found);
    if (schema === undefined) return [];
    const result = validateConfig(schema, config, path);
    return result.ok ? [] : result.issues;
  } catch (error) {
    return [{ path, message: error instanceof Error ? error.message : String(error) }];
  }
}

/**
 * Starts every strategy inline on an empty store holding the session's series (no bar flows):
 * construction, `setup` and `getSubscriptions` run, the strategy's error log lines explain a
 * refusal, and every subscription must name a streamed series. Teardown runs after.
 */
async function checkStart(
  config: SessionConfig,
  options: SessionConfigCheckOptions,
  problems: ConfigIssue[],
): Promise<void> {
  const sdc = config.session_data_config;
  const store = new SessionData({ window: 16 });
  for (const symbol of sdc.symbols) for (const interval of sdc.streams) store.ensureSeries(symbol, interval);
  const errors = new Map<string, string[]>();
  const manager = new StrategyManager({
    store,
    mode: config.mode,
    roots: options.roots ?? [findProjectRoot(options.configDir)],
    configDir: options.configDir,
    executorOverride: 'inline',
    logLevel: 'error',
    allowAbsoluteModules: options.allowAbsoluteModules,
    strategyRoots: options.strategyRoots,
    allowedPackages: options.allowedPackages,
  });
  manager.on('log', (record: LogRecord) => {
    if (record.level === 'error')
      errors.set(record.name, [...(errors.get(record.name) ?? []), record.message]);
  });
  try {
    await manager.initialize(sdc.strategies);
    problems.push(...manager.unstreamedSubscriptions());
  } catch (error) {
    if (ConfigError.isInstance(error)) {
      problems.push(...error.issues);
      return;
    }
    if (!StrategyLoadError.isInstance(error)) throw error;
    const said = [...errors.values()].flat();
    const at = / \((session_data_config\.strategies\[\d+\]\.module)\)$/.exec(error.message);
    const message = at === null ? error.message : error.message.slice(0, at.index);
    problems.push({
      path: at?.[1] ?? 'session_data_config.strategies',
      message: said.length === 0 ? message : `${message}: ${said.join('; ')}`,
    });
  } finally {
    await manager.shutdown(2000);
  }
}
