import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, win32 } from 'node:path';
import {
  type ConfigIssue,
  classifyModulePath,
  parseSessionConfig,
  parseSessionConfigText,
  type SessionConfig,
} from '@strat/core';
import { assertSessionConfig } from '@strat/runtime';
import { ServiceError } from '../errors/service-error';
import { isLoopbackHost } from '../server/loopback';
import { type ServiceFeedEnv, sessionFeedEnv } from './session-feed-env';
import { assertSessionLimits, DEFAULT_SESSION_LIMITS, type SessionLimits } from './session-limits';

/** The folder of the project that holds the named session configs. */
export const SESSION_CONFIGS_FOLDER = 'session_configs';

/** A session config name: a file in `session_configs/`, with or without `.json`. */
export const CONFIG_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}(\.json)?$/;

/** What a request may choose. */
export interface SessionRequestPolicy {
  /** The project: strategy roots and `session_configs/`. */
  projectRoot: string;
  /**
   * Feed URLs whose origin an inline config may name in `live_config.feed_url` besides loopback
   * ones (the service passes `STRAT_FEED_URL`): the feed credentials of the environment must not
   * be sent to a server a request picked.
   */
  trustedFeedUrls: readonly string[];
  /**
   * The service's own feed and its credentials (`STRAT_FEED_URL`, `STRAT_FEED_KEY`,
   * `STRAT_FEED_SECRET`); default none. They go only to sessions that follow that feed.
   */
  feedEnv?: ServiceFeedEnv;
  /** The most work one session may ask for (default {@link DEFAULT_SESSION_LIMITS}). */
  limits?: SessionLimits;
}

/** A validated request to start a session. */
export interface ResolvedSessionRequest {
  config: SessionConfig;
  /** The `session_configs/` file it came from (without `.json`), or null for an inline config. */
  name: string | null;
  /** The folder relative CSV paths and modules resolve against. */
  configDir: string;
  /** Where the session reads its feed URL, key and secret from (`SessionOptions.env`). */
  feedEnv: ServiceFeedEnv;
}

/**
 * Turns the body of `POST /sessions` into a validated session config.
 *
 * - `{ name }` reads `session_configs/<name>.json`: a file of the project, trusted like the CLI
 *   trusts it.
 * - `{ config }` comes from the network, so it may only name strategy and scanner modules by a
 *   dotted project path or a package specifier (never a file path: invariant 6), CSV files only
 *   by a relative path inside `session_configs/` without `..`, and a live feed only on a loopback
 *   host or at the origin of a trusted feed URL.
 *
 * Either way the session must stay within the service's limits, and the service's feed
 * credentials go only to the service's own feed (a config naming another one brings its own).
 *
 * @throws ConfigError (400) listing every JSON path; ServiceError 403 `PATH_FORBIDDEN`, 404
 *   `CONFIG_NOT_FOUND`, 422 past a limit.
 */
export function resolveSessionRequest(
  body: { config?: unknown; name?: string },
  policy: SessionRequestPolicy,
): ResolvedSessionRequest {
  const { projectRoot } = policy;
  const configDir = join(projectRoot, SESSION_CONFIGS_FOLDER);
  if (body.name !== undefined) {
    const config = readNamedConfig(body.name, configDir);
    return { ...withinPolicy(config, policy), name: body.name.replace(/\.json$/, ''), configDir };
  }
  const config = parseSessionConfig(body.config);
  const forbidden = [
    ...forbiddenModulePaths(config),
    ...forbiddenCsvPaths(config, configDir, projectRoot),
    ...forbiddenFeedUrl(config, policy.trustedFeedUrls),
  ];
  if (forbidden.length > 0) {
    throw new ServiceError(
      403,
      'PATH_FORBIDDEN',
      `The config names code or files a request may not choose:\n${forbidden
        .map((i) => `  - ${i.path}: ${i.message}`)
        .join('\n')}`,
      { issues: forbidden },
    );
  }
  return { ...withinPolicy(config, policy), name: null, configDir };
}

/** The limits and the feed credentials, for named and posted configs alike. */
function withinPolicy(
  config: SessionConfig,
  policy: SessionRequestPolicy,
): { config: SessionConfig; feedEnv: ServiceFeedEnv } {
  assertSessionLimits(config, policy.limits ?? DEFAULT_SESSION_LIMITS);
  return { config, feedEnv: sessionFeedEnv(config, policy.feedEnv ?? {}) };
}

/**
 * {@link resolveSessionRequest}, then the semantic check every session runs before it starts
 * (`checkSessionConfig`: data files, streams, live feed settings, modules resolved inside the
 * project), so that a request that cannot run is answered 400 before anything starts.
 * @throws what {@link resolveSessionRequest} throws; ConfigError (400) listing every problem at its JSON path
 */
export async function prepareSessionRequest(
  body: { config?: unknown; name?: string },
  policy: SessionRequestPolicy,
): Promise<ResolvedSessionRequest> {
  const resolved = resolveSessionRequest(body, policy);
  await assertSessionConfig(resolved.config, {
    configDir: resolved.configDir,
    // The runtime's defaults are the service's fixed rule: files only under the project's
    // strategies/, packages only from the allowed list (@strat/examples).
    roots: [policy.projectRoot],
    env: resolved.feedEnv,
  });
  return resolved;
}

function readNamedConfig(name: string, configDir: string): SessionConfig {
  const { file, text } = readNamedConfigText(name, configDir);
  return parseSessionConfigText(text, { file: `${SESSION_CONFIGS_FOLDER}/${file}` });
}

/**
 * The text of the named config `session_configs/<name>.json` and its file name.
 * @param path - Where the name came from, for the error's issue (default `body.name`).
 * @throws ServiceError 400 `REQUEST_INVALID` for a name that is not a file name, 404 `CONFIG_NOT_FOUND`
 */
export function readNamedConfigText(
  name: string,
  configDir: string,
  path = 'body.name',
): { file: string; text: string } {
  if (!CONFIG_NAME_PATTERN.test(name)) {
    throw new ServiceError(400, 'REQUEST_INVALID', `"${name}" is not a session config name`, {
      issues: [{ path, message: 'expected letters, digits, "_" or "-", optionally ending in .json' }],
    });
  }
  const file = `${name.endsWith('.json') ? name : `${name}.json`}`;
  try {
    return { file, text: readFileSync(join(configDir, file), 'utf8') };
  } catch {
    throw new ServiceError(
      404,
      'CONFIG_NOT_FOUND',
      `There is no session config ${SESSION_CONFIGS_FOLDER}/${file}`,
    );
  }
}

function moduleEntries(config: SessionConfig): { path: string; module: string; enabled: boolean }[] {
  const sdc = config.session_data_config;
  return [
    // A request is JSON: every strategy names its module (a class exists only in configs built in code).
    ...sdc.strategies.flatMap((s, i) =>
      s.module === undefined
        ? []
        : [{ path: `session_data_config.strategies[${i}].module`, module: s.module, enabled: s.enabled }],
    ),
    ...sdc.scanners.map((s, i) => ({
      path: `session_data_config.scanners[${i}].module`,
      module: s.module,
      enabled: s.enabled,
    })),
  ];
}

function forbiddenModulePaths(config: SessionConfig): ConfigIssue[] {
  return moduleEntries(config)
    .filter((entry) => classifyModulePath(entry.module) === 'relative')
    .map((entry) => ({
      path: entry.path,
      message:
        `"${entry.module}" is a file path; a request may only name a dotted project path ` +
        '(strategies.examples.simple_ma_cross) or an installed package (@strat/examples/rsi)',
    }));
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function csvPathProblem(path: string, configDir: string, projectRoot: string): string | undefined {
  if (isAbsolute(path) || win32.isAbsolute(path) || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(path)) {
    return `"${path}" is absolute; use a path relative to ${SESSION_CONFIGS_FOLDER}/ (data/my.csv)`;
  }
  if (path.includes('\\')) return `"${path}" contains a backslash; separate folders with "/"`;
  if (path.split('/').some((segment) => segment === '..')) {
    return `"${path}" climbs out with ".."; CSV files must lie inside ${SESSION_CONFIGS_FOLDER}/`;
  }
  const file = resolve(configDir, path);
  if (!isInside(file, configDir)) return `"${path}" lies outside ${SESSION_CONFIGS_FOLDER}/`;
  // A symlink inside the folder must not lead out of the project either.
  if (existsSync(file) && !isInside(realpathSync(file), realpathSync(projectRoot))) {
    return `"${path}" leads outside the project`;
  }
  return undefined;
}

function forbiddenCsvPaths(config: SessionConfig, configDir: string, projectRoot: string): ConfigIssue[] {
  const data = config.data_config;
  if (data.source === 'catalog') {
    // A catalog folder is held to the same rule as a CSV file: inside the session configs' folder.
    const problem = csvPathProblem(data.path, configDir, projectRoot);
    return problem === undefined ? [] : [{ path: 'data_config.path', message: problem }];
  }
  if (data.source !== 'csv') return [];
  const issues: ConfigIssue[] = [];
  data.files.forEach((file, i) => {
    const problem = csvPathProblem(file.path, configDir, projectRoot);
    if (problem !== undefined) issues.push({ path: `data_config.files[${i}].path`, message: problem });
  });
  return issues;
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function forbiddenFeedUrl(config: SessionConfig, trusted: readonly string[]): ConfigIssue[] {
  // Read loosely: the service passes live configs through without depending on their shape.
  const feedUrl = (config as { live_config?: { feed_url?: unknown } }).live_config?.feed_url;
  if (typeof feedUrl !== 'string') return [];
  let host: string;
  try {
    host = new URL(feedUrl).hostname;
  } catch {
    return [];
  }
  const origin = originOf(feedUrl);
  if (isLoopbackHost(host) || trusted.some((t) => originOf(t) === origin)) return [];
  return [
    {
      path: 'live_config.feed_url',
      message:
        `a request may only name a feed on this machine or the service's own STRAT_FEED_URL, not ${origin}; ` +
        "leave feed_url out to use the service's feed",
    },
  ];
}
