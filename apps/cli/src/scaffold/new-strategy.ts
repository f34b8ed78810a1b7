import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expectedStrategyClassNames, findProjectRoot } from '@strat/runtime';
import { UsageError } from '../usage-error';
import {
  type StrategyNames,
  sessionConfigSource,
  strategySource,
  strategyTestSource,
} from './strategy-template';

/** snake_case: lower-case words of letters and digits joined by single underscores, starting with a letter. */
const SNAKE_CASE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** Longer names would push the generated code past the formatter's line width. */
export const MAX_NAME_LENGTH = 30;

/** Options of {@link scaffoldStrategy}. */
export interface ScaffoldStrategyOptions {
  /** Where to look for the project (the nearest folder up with `strategies/` or a workspace file). */
  cwd: string;
  /** Also write `session_configs/<name>.json` (default true). */
  sessionConfig?: boolean;
}

/** What {@link scaffoldStrategy} wrote. */
export interface ScaffoldedStrategy extends StrategyNames {
  projectRoot: string;
  /** Absolute paths of the files written, the strategy first. */
  files: string[];
  /** The session config written, if any. */
  sessionConfig: string | undefined;
}

/**
 * The module and class names for a strategy name, or a UsageError explaining the rule.
 * `mean_reversion` gives `MeanReversionStrategy`; `breakout_strategy` gives `BreakoutStrategy`.
 */
export function strategyNames(name: string): StrategyNames {
  if (!SNAKE_CASE.test(name) || name.length > MAX_NAME_LENGTH) {
    throw new UsageError(
      `"${name}" is not a valid strategy name: use snake_case, lower-case letters and digits in words joined ` +
        `by underscores, starting with a letter, at most ${MAX_NAME_LENGTH} characters (for example mean_reversion ` +
        'or breakout_5m)',
    );
  }
  const [className] = expectedStrategyClassNames(name);
  if (className === undefined) throw new UsageError(`"${name}" is not a valid strategy name`);
  return { module: name, className };
}

function findSchemaPath(projectRoot: string, configsDir: string): string | undefined {
  const candidates = [
    join(projectRoot, 'packages', 'core', 'session-config.schema.json'),
    join(projectRoot, 'node_modules', '@strat', 'core', 'session-config.schema.json'),
  ];
  const found = candidates.find((path) => existsSync(path));
  return found === undefined ? undefined : relative(configsDir, found).split('\\').join('/');
}

/**
 * Writes `strategies/production/<name>.ts`, its test `<name>.test.ts` and (by default)
 * `session_configs/<name>.json` in the project holding `cwd`. Nothing is overwritten: when any of
 * the files exists, nothing is written.
 * @throws UsageError for a name that is not snake_case or files that exist.
 */
export function scaffoldStrategy(name: string, options: ScaffoldStrategyOptions): ScaffoldedStrategy {
  const names = strategyNames(name);
  const projectRoot = findProjectRoot(options.cwd);
  const strategiesDir = join(projectRoot, 'strategies', 'production');
  const configsDir = join(projectRoot, 'session_configs');
  const strategyFile = join(strategiesDir, `${name}.ts`);
  const testFile = join(strategiesDir, `${name}.test.ts`);
  const configFile = options.sessionConfig === false ? undefined : join(configsDir, `${name}.json`);
  const planned: [string, string][] = [
    [strategyFile, strategySource(names)],
    [testFile, strategyTestSource(names)],
  ];
  if (configFile !== undefined)
    planned.push([configFile, sessionConfigSource(names, findSchemaPath(projectRoot, configsDir))]);

  const existing = planned.map(([path]) => path).filter((path) => existsSync(path));
  if (existing.length > 0) {
    throw new UsageError(
      `not overwriting ${existing.map((p) => relative(options.cwd, p)).join(', ')}: choose another name or remove ${existing.length === 1 ? 'it' : 'them'}`,
    );
  }
  for (const [path, text] of planned) {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text, { flag: 'wx' });
  }
  return { ...names, projectRoot, files: planned.map(([path]) => path), sessionConfig: configFile };
}
