import type { ConfigIssue, SessionConfig } from '@strat/core';
import { checkSessionConfig, type SessionConfigCheckOptions } from '../config-check/check-session-config';
import { applyCombination } from './sweep-config';
import { type Combination, combinationAt } from './sweep-grid';
import type { SweepParam } from './sweep-params';

/** Combinations checked by setting their strategies up before a sweep starts (beyond: the first ones only). */
export const CHECK_COMBINATIONS_UP_TO = 500;
/** Problems gathered before the check stops looking further. */
const MAX_PROBLEMS = 20;

/** `fast.period=5 slow.period=20`: a combination as a person reads it. */
export function describeCombination(combination: Readonly<Record<string, unknown>>): string {
  return Object.entries(combination)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
}

/** One problem of one combination: where in the combination's config, and which combination. */
export interface SweepCombinationProblem extends ConfigIssue {
  /** The grid index of the combination. */
  index: number;
  combination: Combination;
  /** The problem's JSON path inside the combination's session config (`path` is prefixed with the combination). */
  configPath: string;
}

/**
 * Checks each combination's config as `strat validate` checks one, its strategies constructed and
 * set up inline (`modules: 'start'`, so a value a strategy's config schema refuses is found), the
 * first {@link CHECK_COMBINATIONS_UP_TO} of `indices`, stopping after 20 problems. Each problem's
 * `path` starts with the combination (`fast.period=0: session_data_config.strategies[0].config.period`).
 * Runs strategy code: call it where strategies may run.
 */
export async function checkSweepCombinations(
  config: SessionConfig,
  params: readonly SweepParam[],
  indices: readonly number[],
  options: SessionConfigCheckOptions,
): Promise<SweepCombinationProblem[]> {
  const problems: SweepCombinationProblem[] = [];
  for (const index of indices.slice(0, CHECK_COMBINATIONS_UP_TO)) {
    const combination = combinationAt(params, index);
    const check = await checkSessionConfig(applyCombination(config, combination), {
      ...options,
      modules: 'start',
    });
    for (const problem of check.problems) {
      problems.push({
        ...problem,
        path: `${describeCombination(combination)}: ${problem.path}`,
        index,
        combination,
        configPath: problem.path,
      });
    }
    if (problems.length >= MAX_PROBLEMS) break;
  }
  return problems;
}
