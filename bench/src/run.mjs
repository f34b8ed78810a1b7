#!/usr/bin/env node
// @ts-check
// `pnpm bench`: runs every workload of issue 7 and its naive baseline, each in a fresh process,
// prints one table and writes results.json. `--quick` runs each at a small size (CI); nothing here
// asserts anything about time: a missed target is printed, not failed.
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describeMachine, machineInfo } from './machine-info.mjs';
import { formatMarkdownTable, formatTextTable, toRow } from './results-table.mjs';
import { WORKLOADS } from './workloads.mjs';

const USAGE = `Usage: pnpm bench [--quick] [--only W1,W3] [--no-baseline] [--markdown] [--out file]

  --quick        each workload at a small size (under a minute in all; CI runs this)
  --only ids     run only these workloads (D1, W1, W1i, W1x, W2, W3, W4, W5, W6, W7, WP, S1, S2)
  --no-baseline  skip the naive baseline runs
  --markdown     also print the table as Markdown
  --out file     where to write the results (default bench/results.json)`;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'no-baseline': { type: 'boolean', default: false },
    markdown: { type: 'boolean', default: false },
    out: { type: 'string', default: fileURLToPath(new URL('../results.json', import.meta.url)) },
    help: { type: 'boolean', short: 'h', default: false },
  },
  strict: true,
});

if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const size = args.quick ? 'quick' : 'full';
const only = args.only?.split(',').map((id) => id.trim().toLowerCase());
const selected = WORKLOADS.filter((w) => only === undefined || only.includes(w.id.toLowerCase()));
if (selected.length === 0) {
  console.error(`no workload matches --only ${args.only}\n\n${USAGE}`);
  process.exit(2);
}

/**
 * Runs one part of a workload in a fresh Node process (clean heap, no JIT state or threads left by another workload).
 * @param {string} id
 * @param {'run' | 'baseline'} part
 * @returns {Promise<any>}
 */
function runInChild(id, part) {
  const started = performance.now();
  process.stderr.write(`[bench] ${id} ${part} (${size}) ...`);
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./child.mjs', import.meta.url)), [id, part, size], {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    /** @type {any} */
    let message;
    child.on('message', (m) => {
      message = m;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      if (message?.ok === true) resolve(message.result);
      else reject(new Error(message?.error ?? `the ${id} ${part} process exited with ${signal ?? code}`));
    });
  });
}

const machine = machineInfo();
const started = performance.now();
console.log(`@strat bench (${size}) on ${describeMachine(machine)}`);
/** @type {import('./results-table.mjs').ResultRow[]} */
const rows = [];
/** @type {string[]} */
const notes = [];
/** @type {Record<string, unknown>} */
const workloads = {};
/** @type {string[]} */
const failures = [];

for (const workload of selected) {
  try {
    /** @type {import('./measurement.mjs').WorkloadResult} */
    const result = await runInChild(workload.id, 'run');
    /** @type {import('./measurement.mjs').BaselineResult | undefined} */
    const baseline =
      workload.baseline === undefined || args['no-baseline']
        ? undefined
        : await runInChild(workload.id, 'baseline');
    for (const m of result.measurements) {
      rows.push(toRow(m, baseline));
      if (m.note !== undefined) notes.push(m.note);
    }
    if (baseline !== undefined) notes.push(`${workload.id} baseline: ${baseline.note}`);
    workloads[workload.id] = { title: workload.title, details: result.details, baseline };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    failures.push(workload.id);
    console.error(`[bench] ${workload.id} failed: ${message}`);
    workloads[workload.id] = { title: workload.title, error: message };
  }
}

const wallSeconds = (performance.now() - started) / 1000;
console.log('');
console.log(formatTextTable(rows));
console.log('');
for (const note of notes) console.log(`- ${note}`);
console.log(
  '- vs baseline: how many times better than the baseline (the naive pipeline; for S1 and S2 the other engine; > 1 = better), whichever way is better',
);
console.log(`- ${wallSeconds.toFixed(0)} s in all; other processes on this machine make the numbers noisy`);
if (args.markdown) console.log(`\n${formatMarkdownTable(rows)}`);

writeFileSync(
  args.out,
  `${JSON.stringify({ mode: size, machine, wallSeconds, results: rows, notes, workloads, failures }, null, 2)}\n`,
);
console.log(`\nresults written to ${args.out}`);
if (failures.length > 0) {
  console.error(`[bench] failed: ${failures.join(', ')}`);
  process.exit(1);
}
