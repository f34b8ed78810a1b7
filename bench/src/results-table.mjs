// @ts-check
// The rows of results.json and their text and Markdown tables.
import { meets, ratioToBaseline } from './measurement.mjs';

/**
 * One row of the table (and of results.json).
 * @typedef {object} ResultRow
 * @property {string} workload
 * @property {string} metric
 * @property {number} value
 * @property {string} unit
 * @property {number | null} baseline the naive pipeline's figure, measured in the same run
 * @property {number | null} ratio times better than the baseline (> 1 = better), whichever way is better
 * @property {string | null} target the target, e.g. `>= 1,000,000` (in the row's unit; `>= 1.70x`
 *   when it is about the ratio)
 * @property {boolean | null} met
 * @property {'ratio'} [targetOn] present when the target is about the ratio to the baseline
 * @property {string} [skipped] why the row has no value (its value is then null in results.json)
 * @property {string} [baselineSkipped] why there is no baseline figure (the baseline could not run)
 */

/**
 * @param {import('./measurement.mjs').Measurement} m
 * @param {import('./measurement.mjs').BaselineResult | undefined} baseline
 * @returns {ResultRow}
 */
export function toRow(m, baseline) {
  const base = m.baseline ?? baseline?.values[m.baselineMetric ?? m.metric];
  const ratio = m.skipped === undefined ? ratioToBaseline(m.value, base, m.better) : undefined;
  const onRatio = m.targetOn === 'ratio';
  /** @type {ResultRow} */
  const row = {
    workload: m.workload,
    metric: m.metric,
    value: m.value,
    unit: m.unit,
    baseline: base ?? null,
    ratio: ratio ?? null,
    target:
      m.target === undefined
        ? null
        : onRatio
          ? `${m.target.op} ${m.target.value.toFixed(2)}x`
          : `${m.target.op} ${formatNumber(m.target.value, m.unit)}`,
    met:
      m.target === undefined || m.skipped !== undefined || (onRatio && ratio === undefined)
        ? null
        : meets(onRatio ? (ratio ?? Number.NaN) : m.value, m.target),
  };
  if (onRatio) row.targetOn = 'ratio';
  if (m.skipped !== undefined) row.skipped = m.skipped;
  if (base === undefined && baseline?.skipped !== undefined && m.noBaseline !== true) {
    row.baselineSkipped = baseline.skipped;
  }
  return row;
}

/**
 * A number for people: thousands separators for big ones, a few significant digits for small ones.
 * @param {number} value
 * @param {string} unit
 */
export function formatNumber(value, unit) {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (unit === '%') return value.toFixed(abs < 10 ? 2 : 1);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/** @param {ResultRow} row */
function cells(row) {
  const ratioDigits = row.targetOn === 'ratio' ? 2 : 1;
  return [
    row.workload,
    row.metric,
    row.skipped === undefined
      ? `${formatNumber(row.value, row.unit)} ${row.unit}`
      : `skipped: ${row.skipped}`,
    row.baseline === null
      ? (row.baselineSkipped ?? '-')
      : `${formatNumber(row.baseline, row.unit)} ${row.unit}`,
    row.ratio === null ? '-' : `${row.ratio >= 100 ? row.ratio.toFixed(0) : row.ratio.toFixed(ratioDigits)}x`,
    row.target === null ? '-' : row.targetOn === 'ratio' ? row.target : `${row.target} ${row.unit}`,
    row.met === null ? '' : row.met ? 'met' : 'MISSED',
  ];
}

const HEADERS = ['id', 'metric', 'value', 'baseline', 'vs baseline', 'target', ''];

/**
 * A plain-text table for the terminal.
 * @param {readonly ResultRow[]} rows
 */
export function formatTextTable(rows) {
  const table = [HEADERS, ...rows.map(cells)];
  const widths = HEADERS.map((_, c) => Math.max(...table.map((r) => String(r[c]).length)));
  const right = new Set([2, 3, 4]);
  const line = (/** @type {string[]} */ r) =>
    r
      .map((cell, c) => (right.has(c) ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(HEADERS), rule, ...table.slice(1).map(line)].join('\n');
}

/**
 * A Markdown table (for the README).
 * @param {readonly ResultRow[]} rows
 */
export function formatMarkdownTable(rows) {
  const escapePipes = (/** @type {string} */ cell) => cell.replace(/\|/g, '\\|');
  const header = ['id', 'metric', 'value', 'baseline', 'vs baseline', 'target', 'met'];
  const out = [
    `| ${header.join(' | ')} |`,
    `|${header.map((_, i) => (i >= 2 && i <= 4 ? '---:' : '---')).join('|')}|`,
  ];
  for (const row of rows) out.push(`| ${cells(row).map(escapePipes).join(' | ')} |`);
  return out.join('\n');
}
