// @ts-check
// What a workload reports, and the small statistics helpers they share.

/**
 * One number a workload measured.
 * @typedef {object} Measurement
 * @property {string} workload W1, W1i, W2, ...
 * @property {string} metric what was measured, e.g. `bars/s`
 * @property {number} value
 * @property {string} unit
 * @property {'higher' | 'lower'} better which way is better (for the ratio to the baseline)
 * @property {Target} [target] the target, when it has one
 * @property {'value' | 'ratio'} [targetOn] what the target is about: the value (default) or the ratio to the
 *   baseline (S1: 2 workers at least 1.7x faster than 1)
 * @property {string} [baselineMetric] the baseline's metric to compare with (default: same name)
 * @property {number} [baseline] the baseline's figure when the workload measured it itself, in the same run
 *   (S1, S2: the other engine, alternately with this one); else the baseline run's
 * @property {string} [skipped] why there is no value (S2 without redis-server); `value` is then NaN
 * @property {true} [noBaseline] the baseline has no such figure (not even when it was skipped)
 * @property {string} [note] shown under the table
 */

/**
 * @typedef {object} Target
 * @property {'>=' | '<=' | '<'} op
 * @property {number} value
 */

/**
 * What a workload's real run returns.
 * @typedef {object} WorkloadResult
 * @property {Measurement[]} measurements
 * @property {Record<string, unknown>} details sizes, every repetition, counts
 */

/**
 * What a workload's baseline run returns: values keyed by metric name.
 * @typedef {object} BaselineResult
 * @property {Record<string, number>} values
 * @property {string} note what the baseline ran (its size when smaller than the workload's)
 * @property {string} [skipped] why the baseline did not run (an optional comparison that is not installed); the
 *   table shows it in the baseline's column
 * @property {Record<string, unknown>} details
 */

/**
 * The median of a non-empty list.
 * @param {readonly number[]} values
 */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const upper = sorted[mid] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? Number.NaN) + upper) / 2;
}

/**
 * True when `value` meets `target`.
 * @param {number} value
 * @param {Target} target
 */
export function meets(value, target) {
  if (target.op === '>=') return value >= target.value;
  if (target.op === '<=') return value <= target.value;
  return value < target.value;
}

/**
 * How many times better than the baseline (> 1 = better), given which way is better.
 * @param {number} value
 * @param {number | undefined} baseline
 * @param {'higher' | 'lower'} better
 */
export function ratioToBaseline(value, baseline, better) {
  if (baseline === undefined || !Number.isFinite(baseline) || baseline === 0 || value === 0) return undefined;
  return better === 'higher' ? value / baseline : baseline / value;
}

/**
 * Runs `gc()` when the process was started with --expose-gc (twice: finalizers free more).
 */
export function collectGarbage() {
  const gc = /** @type {{ gc?: () => void }} */ (globalThis).gc;
  gc?.();
  gc?.();
}
