#!/usr/bin/env node
// Sums vitest's JSON reports (every workspace package's test-results.json) and the release smoke
// test's smoke-results.json into one closing line: "N passed, N failed". Prints each package's line
// coverage (coverage/coverage-summary.json; for apps/cli and apps/service it includes their child
// processes, see merge-child-coverage.mjs); a package (packages/*, apps/*) under 90 % counts as a
// failure.
// Extra failures (steps that failed before tests could run) come as the first argument.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let passed = 0;
let failed = Number(process.argv[2] ?? 0);
const rows = [];
const failures = [];
const MIN_LINE_COVERAGE = 90;

for (const group of ['packages', 'apps', '.']) {
  const base = join(root, group);
  const dirs =
    group === '.' ? ['strategies', 'bench', 'tests/consumer'] : existsSync(base) ? readdirSync(base) : [];
  for (const dir of dirs) {
    const file = join(base, dir, 'test-results.json');
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8'));
    // Suites that failed to load count as failures even when no test in them ran.
    const brokenFiles = (report.testResults ?? []).filter(
      (r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0,
    ).length;
    for (const r of report.testResults ?? []) {
      const file = r.name ? r.name.replace(`${root}/`, '') : join(group, dir);
      if (r.status === 'failed' && (r.assertionResults ?? []).length === 0) {
        failures.push(`${file}: ${firstLine(r.message)}`);
      }
      for (const a of r.assertionResults ?? []) {
        if (a.status === 'failed') failures.push(`${file} > ${a.fullName}: ${firstLine(a.failureMessages?.[0])}`);
      }
    }
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + brokenFiles;
    let coverage = '';
    const summaryFile = join(base, dir, 'coverage', 'coverage-summary.json');
    if (existsSync(summaryFile)) {
      const lines = JSON.parse(readFileSync(summaryFile, 'utf8')).total.lines.pct;
      const held = group !== '.';
      const low = held && lines < MIN_LINE_COVERAGE;
      if (low) failed++;
      coverage = `; lines covered ${lines}%${low ? ` (under ${MIN_LINE_COVERAGE}%: counted as a failure)` : held ? '' : ' (reported)'}`;
    }
    rows.push(
      `${join(group, dir)}: ${report.numPassedTests ?? 0} passed, ${(report.numFailedTests ?? 0) + brokenFiles} failed${coverage}`,
    );
  }
}
const smoke = join(root, 'smoke-results.json');
if (existsSync(smoke)) {
  const s = JSON.parse(readFileSync(smoke, 'utf8'));
  passed += s.passed;
  failed += s.failed;
  rows.push(`release smoke: ${s.passed} passed, ${s.failed} failed`);
}
for (const r of rows) console.log(`  ${r}`);
// The failed tests by name, so the last lines of a CI log say which test to look at.
if (failures.length > 0) {
  console.log('failed tests:');
  for (const f of failures.slice(0, 20)) console.log(`  ${f}`);
  if (failures.length > 20) console.log(`  ... and ${failures.length - 20} more`);
}
console.log(`${passed} passed, ${failed} failed`);

function firstLine(text) {
  const line = String(text ?? '').split('\n').find((l) => l.trim() !== '') ?? '(no message)';
  return line.length > 300 ? `${line.slice(0, 300)}...` : line.trim();
}
