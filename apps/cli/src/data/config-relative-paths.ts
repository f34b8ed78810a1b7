import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

/** Data file paths written as a session config reads them, and the folder they are relative to. */
export interface ConfigRelativePaths {
  /** The folder a config must be in for `paths` to hold. */
  configDir: string;
  /** That folder as the user would name it from `cwd`: `session_configs/`, or `this folder`. */
  where: string;
  /** The files relative to `configDir`, with `/` separators (as a config file writes them). */
  paths: string[];
}

/**
 * A config resolves its data paths from its own folder. The configs of a project live in
 * `session_configs/` when `cwd` has one (the repository's layout and `strat new strategy`'s), else
 * the config is taken to be in `cwd`; the paths are given relative to that folder, so a hint
 * printing them says which folder that is.
 */
export function configRelativePaths(files: readonly string[], cwd: string): ConfigRelativePaths {
  const sessionConfigs = join(cwd, 'session_configs');
  const configDir = existsSync(sessionConfigs) ? sessionConfigs : resolve(cwd);
  const where = configDir === sessionConfigs ? 'session_configs/' : 'this folder';
  const paths = files.map((file) => {
    const path = relative(configDir, resolve(cwd, file));
    return (isAbsolute(path) ? path : path || '.').split(sep).join('/');
  });
  return { configDir, where, paths };
}
