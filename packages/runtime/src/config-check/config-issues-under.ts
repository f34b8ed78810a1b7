import { ConfigError } from '@strat/core';

/** `path` (relative to a strategy's or scanner's config) placed under `base` (`session_data_config.strategies[1].config`). */
export function pathUnder(base: string, path: string): string {
  if (path === '') return base;
  return path.startsWith('[') ? `${base}${path}` : `${base}.${path}`;
}

/**
 * A ConfigError of a strategy's or scanner's own config (paths relative to it) as a problem of the
 * session config: every path placed under `base`.
 */
export function configErrorUnder(error: ConfigError, base: string): ConfigError {
  const issues = error.issues.map((issue) => ({ path: pathUnder(base, issue.path), message: issue.message }));
  return new ConfigError(issues, { summary: 'The session cannot run', cause: error });
}
