// @ts-check
// What the sweep rows (S1, S2) read back from `strat sweep --out x.json`, and the arithmetic of S2.
import { readFileSync } from 'node:fs';

/**
 * @typedef {object} SweepOutputRow
 * @property {number} index
 * @property {Record<string, unknown>} combination
 * @property {Record<string, number>} [stats]
 * @property {string} [error]
 * @property {number} [ms] the session's own wall time
 */

/**
 * The rows of a sweep's JSON output, checked: exactly `expected` of them, each a different
 * combination, none failed (a benchmark of broken sessions measures nothing).
 * @param {string} path
 * @param {number} expected
 * @returns {SweepOutputRow[]}
 */
export function sweepRowsOf(path, expected) {
  /** @type {{ rows?: SweepOutputRow[] }} */
  const output = JSON.parse(readFileSync(path, 'utf8'));
  const rows = output.rows ?? [];
  const failed = rows.filter((r) => r.error !== undefined);
  if (failed.length > 0) {
    throw new Error(
      `${failed.length} of ${rows.length} combinations failed (first: ${failed[0]?.error}): the run is not a valid measurement`,
    );
  }
  const indices = new Set(rows.map((r) => r.index));
  if (rows.length !== expected || indices.size !== expected) {
    throw new Error(
      `the sweep gave ${rows.length} rows (${indices.size} different combinations), expected ${expected}`,
    );
  }
  return rows;
}

/**
 * @typedef {object} SweepWalls wall times (ms) of the same sweep at two sizes
 * @property {number} small
 * @property {number} large
 */

/**
 * What the queue adds per job: the growth of the queued sweep's wall time per added job, less the
 * local sweep's, `((queue.large - queue.small) - (local.large - local.small)) / (large - small)`.
 * Taking the difference of two sizes leaves out the fixed costs that are not per job (the local pool's
 * threads starting and loading the runtime, connecting to Redis), which would otherwise be spread over
 * the jobs and could even make the queue look faster than local.
 * @param {{ local: SweepWalls, queue: SweepWalls }} walls
 * @param {{ small: number, large: number }} jobs
 */
export function queueOverheadPerJob(walls, jobs) {
  if (!(jobs.large > jobs.small)) throw new Error('the large sweep must have more jobs than the small one');
  const queueGrowth = walls.queue.large - walls.queue.small;
  const localGrowth = walls.local.large - walls.local.small;
  return (queueGrowth - localGrowth) / (jobs.large - jobs.small);
}
