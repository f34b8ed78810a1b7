import type { ConfigIssue, SessionConfig, StrategyEntry } from '@strat/core';
import { hasPaperExecution } from '../execution/resolve-execution-settings';
import { moduleBaseName, strategyNameOfClass } from '../loader/find-strategy-class';
import { type Combination, paramKey } from './sweep-grid';
import type { SweepParam } from './sweep-params';

/**
 * The names the session gives its enabled strategies (config order): `name`, else the module's base
 * name, made unique with `_2`, `_3`... as the strategy manager does. Per entry index; undefined for
 * a disabled entry.
 */
export function strategyEntryNames(entries: readonly StrategyEntry[]): Array<string | undefined> {
  const taken = new Set<string>();
  return entries.map((entry) => {
    if (entry.enabled === false) return undefined;
    const base =
      entry.name ??
      (entry.strategy !== undefined
        ? strategyNameOfClass(entry.strategy)
        : moduleBaseName(entry.module ?? ''));
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    taken.add(name);
    return name;
  });
}

/**
 * What keeps `params` from sweeping `config`, each with where: the config must be a data-driven
 * backtest that trades on paper (a sweep ranks paper results), each parameter must name an enabled
 * strategy (by the name the session gives it) and a key its `config` already has (a typo would
 * otherwise change nothing and rank noise), and no key may be swept twice.
 */
export function sweepConfigIssues(config: SessionConfig, params: readonly SweepParam[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  if (config.mode !== 'backtest') {
    issues.push({ path: 'mode', message: 'a sweep replays history: mode must be "backtest"' });
  } else if ((config.backtest_config?.speed_multiplier ?? 0) !== 0) {
    issues.push({
      path: 'backtest_config.speed_multiplier',
      message: 'a sweep runs data-driven sessions: speed_multiplier must be 0',
    });
  }
  if (!hasPaperExecution(config)) {
    issues.push({
      path: 'execution',
      message: 'a sweep ranks paper results: add an "execution" section (or strategies[].execution)',
    });
  }
  if (params.length === 0)
    issues.push({ path: '--param', message: 'nothing to sweep: give at least one --param' });
  const entries = config.session_data_config.strategies;
  const names = strategyEntryNames(entries);
  const seen = new Set<string>();
  for (const p of params) {
    const where = `--param ${paramKey(p)}`;
    if (seen.has(paramKey(p))) issues.push({ path: where, message: 'swept twice' });
    seen.add(paramKey(p));
    const index = names.indexOf(p.strategy);
    if (index < 0) {
      const known = names.filter((n): n is string => n !== undefined);
      issues.push({
        path: where,
        message: `no enabled strategy is named "${p.strategy}" (strategies: ${known.join(', ') || 'none'})`,
      });
      continue;
    }
    const entryConfig = (entries[index] as StrategyEntry).config;
    if (!Object.hasOwn(entryConfig, p.key)) {
      const keys = Object.keys(entryConfig);
      issues.push({
        path: where,
        message:
          `session_data_config.strategies[${index}].config has no key "${p.key}" ` +
          `(keys: ${keys.join(', ') || 'none'}); add it to the config with its default first`,
      });
    }
  }
  return issues;
}

/** `config` with the combination's values in its strategies' configs (a copy; `config` is untouched). */
export function applyCombination(config: SessionConfig, combination: Combination): SessionConfig {
  const copy = structuredClone(config);
  const entries = copy.session_data_config.strategies;
  const names = strategyEntryNames(entries);
  for (const [key, value] of Object.entries(combination)) {
    const dot = key.lastIndexOf('.');
    const index = names.indexOf(key.slice(0, dot));
    if (index < 0) throw new Error(`sweep: no strategy for parameter ${key}`);
    (entries[index] as StrategyEntry).config[key.slice(dot + 1)] = value;
  }
  return copy;
}
