import { availableParallelism } from 'node:os';
import { ConfigError, type ConfigIssue, type StrategyEntry } from '@strat/core';
import {
  describeCombination,
  gridSize,
  paramKey,
  parseObjective,
  parseSweepParam,
  parseWalkForward,
  type SweepCombinationProblem,
  type SweepObjective,
  type SweepParam,
  type SweepValue,
  strategyEntryNames,
  sweepConfigIssues,
  sweepIndices,
  type WalkForwardSpec,
  type WalkForwardWindow,
  walkForwardWindowsOf,
} from '@strat/runtime';
import { ServiceError } from '../errors/service-error';
import {
  prepareSessionRequest,
  type ResolvedSessionRequest,
  type SessionRequestPolicy,
} from '../sessions/session-request';

/** A swept parameter as a request gives it: `STRATEGY.KEY=VALUES` (as `strat sweep --param`) or structured. */
export type SweepParamInput =
  | string
  | {
      strategy: string;
      key: string;
      values?: SweepValue[];
      range?: { from: number; to: number; step?: number };
    };

/** The body of `POST /sweeps` once its envelope is checked. */
export interface SweepRequestBody {
  config?: unknown;
  name?: string;
  params: SweepParamInput[];
  random?: number;
  seed?: number;
  objective?: string;
  minimize?: boolean;
  top?: number;
  workers?: number;
  walk_forward?: string;
}

/** The most a sweep may ask for besides what each of its sessions may. */
export interface SweepLimits {
  /** Sweeps running at once. */
  maxRunningSweeps: number;
  /** Sessions one sweep runs in all (with walk-forward: per window the grid and its test). */
  maxCombinations: number;
  /** Worker threads of one sweep. */
  maxWorkers: number;
}

/** The defaults: one sweep at a time (it keeps the machine's cores busy), 10,000 sessions, a thread per core. */
export function defaultSweepLimits(): SweepLimits {
  return { maxRunningSweeps: 1, maxCombinations: 10_000, maxWorkers: availableParallelism() };
}

/** What a sweep was asked to do, as stored and shown. */
export interface SweepSpec {
  params: SweepParam[];
  objective: SweepObjective;
  minimize: boolean;
  /** Rows `GET /sweeps/:id` shows by default (null: all). */
  top: number | null;
  workers: number;
  random: number | null;
  seed: number;
  walkForward: WalkForwardSpec | null;
}

/** A validated request to start a sweep. */
export interface ResolvedSweepRequest {
  session: ResolvedSessionRequest;
  spec: SweepSpec;
  /** The grid indices to run. */
  indices: number[];
  windows: WalkForwardWindow[] | null;
  /** Sessions the sweep runs in all. */
  total: number;
}

/** The `body.` path of a runtime issue raised at a command-line flag (`--objective` → `body.objective`). */
function rethrowAt(error: unknown, path: string, prefix = ''): never {
  if (ConfigError.isInstance(error)) {
    throw new ConfigError(
      error.issues.map((issue) => ({ path, message: `${prefix}${issue.message}` })),
      { summary: 'Invalid sweep' },
    );
  }
  throw error;
}

function parseParam(input: SweepParamInput, i: number): SweepParam {
  const path = `body.params[${i}]`;
  if (typeof input === 'string') {
    try {
      return parseSweepParam(input);
    } catch (error) {
      rethrowAt(error, path, `${input}: `);
    }
  }
  const name = `${input.strategy}.${input.key}`;
  if (input.range !== undefined) {
    const { from, to, step } = input.range;
    try {
      // The range rules of `--param` (inclusive, a step above 0, not empty, at most 10,000 values).
      return {
        ...parseSweepParam(`x.y=${from}:${to}:${step ?? 1}`),
        strategy: input.strategy,
        key: input.key,
      };
    } catch (error) {
      rethrowAt(error, path, `${name}: `);
    }
  }
  const values = input.values ?? [];
  const seen = new Set<string>();
  for (const value of values) {
    const text = JSON.stringify(value);
    if (seen.has(text)) {
      throw new ConfigError([{ path: `${path}.values`, message: `${name}: ${text} is listed twice` }], {
        summary: 'Invalid sweep',
      });
    }
    seen.add(text);
  }
  return { strategy: input.strategy, key: input.key, values };
}

/** The sweep's own issues (`--param KEY` of the runtime) at the request's paths. */
function paramIssues(issues: readonly ConfigIssue[], params: readonly SweepParam[]): ConfigIssue[] {
  const keys = params.map(paramKey);
  return issues.map((issue) => {
    if (!issue.path.startsWith('--param ')) return issue;
    const key = issue.path.slice('--param '.length);
    const index = issue.message === 'swept twice' ? keys.lastIndexOf(key) : keys.indexOf(key);
    return { path: `body.params[${index}]`, message: `${key}: ${issue.message}` };
  });
}

function tooLarge(path: string, message: string): ServiceError {
  return new ServiceError(
    422,
    'CONFIG_INVALID',
    `The sweep asks for more than this service allows:\n  - ${path}: ${message}`,
    {
      issues: [{ path, message }],
    },
  );
}

/**
 * Turns the body of `POST /sweeps` into a validated sweep: the config as `POST /sessions` checks it
 * (named or posted, the same rules, limits and JSON paths), then the parameters (each must name an
 * enabled strategy by the name the session gives it and a key of its config; lists and ranges as
 * `strat sweep --param` reads them), the objective, the walk-forward windows, and the service's sweep
 * limits. Does not run strategy code: the values each strategy's config schema refuses are found by
 * the sweep's process before anything runs ({@link refusedCombinations}).
 * @throws ConfigError (400) with every problem at its path (`body.params[1]`, `body.objective`, ...);
 *   ServiceError as `POST /sessions` does, 422 past a sweep limit
 */
export async function prepareSweepRequest(
  body: SweepRequestBody,
  policy: SessionRequestPolicy,
  limits: SweepLimits,
): Promise<ResolvedSweepRequest> {
  const session = await prepareSessionRequest(body, policy);
  const params = body.params.map(parseParam);
  const issues = paramIssues(sweepConfigIssues(session.config, params), params);
  if (issues.length > 0) throw new ConfigError(issues, { summary: 'The sweep cannot run' });
  let objective: SweepObjective;
  try {
    objective = parseObjective(body.objective ?? 'sharpe');
  } catch (error) {
    rethrowAt(error, 'body.objective');
  }
  let walkForward: WalkForwardSpec | null = null;
  let windows: WalkForwardWindow[] | null = null;
  if (body.walk_forward !== undefined) {
    try {
      walkForward = parseWalkForward(body.walk_forward);
      windows = walkForwardWindowsOf(session.config, walkForward);
    } catch (error) {
      rethrowAt(error, 'body.walk_forward');
    }
  }
  const grid = gridSize(params);
  const runs = body.random === undefined ? grid : Math.min(body.random, grid);
  const total = windows === null ? runs : windows.length * (runs + 1);
  if (total > limits.maxCombinations) {
    throw tooLarge(
      body.random === undefined ? 'body.params' : 'body.random',
      `${total.toLocaleString('en-US')} sessions${windows === null ? '' : ` (${windows.length} walk-forward windows)`}: ` +
        `the service's limit is ${limits.maxCombinations.toLocaleString('en-US')}; use fewer values or random`,
    );
  }
  const workers = body.workers ?? limits.maxWorkers;
  if (workers > limits.maxWorkers) {
    throw tooLarge('body.workers', `${workers} workers: the service's limit is ${limits.maxWorkers}`);
  }
  const seed = body.seed ?? 1;
  return {
    session,
    spec: {
      params,
      objective,
      minimize: body.minimize === true,
      top: body.top ?? null,
      workers,
      random: body.random ?? null,
      seed,
      walkForward,
    },
    indices: sweepIndices(params, body.random, seed),
    windows,
    total,
  };
}

/**
 * The 400 for combinations the strategies refused when the sweep's process set them up: a problem
 * at a swept key of a strategy's config is reported at that parameter (`body.params[0]`, naming the
 * combination), any other at the combination's config path.
 */
export function refusedCombinations(
  problems: readonly SweepCombinationProblem[],
  request: ResolvedSweepRequest,
): ConfigError {
  const entries = request.session.config.session_data_config.strategies;
  const names = strategyEntryNames(entries);
  const params = request.spec.params;
  const issues = problems.map((problem) => {
    const match = /^session_data_config\.strategies\[(\d+)\]\.config\.([^.[]+)/.exec(problem.configPath);
    const strategy = match === null ? undefined : names[Number(match[1])];
    const index = params.findIndex((p) => p.strategy === strategy && p.key === match?.[2]);
    if (index < 0 || (entries[Number(match?.[1])] as StrategyEntry | undefined) === undefined) {
      return { path: problem.path, message: problem.message };
    }
    return {
      path: `body.params[${index}]`,
      message: `${describeCombination(problem.combination)}: ${problem.message}`,
    };
  });
  return new ConfigError(issues, { summary: 'Combinations the strategies refuse' });
}
