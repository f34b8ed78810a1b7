#!/usr/bin/env node
// Adds what a package's child processes ran to vitest's in-process coverage, then holds the result.
// Run from the package's folder after `vitest run --coverage` (its coverage reporter must include
// 'json'): node ../../scripts/merge-child-coverage.mjs --lines 90
//
// The tests start the built code (dist/*.js) with NODE_V8_COVERAGE=coverage/.child-v8 (see
// vitest.child-coverage.ts); each child that exits normally leaves a raw V8 file there. The entries
// for the package's dist/ are merged, mapped back to src/ through the dist source maps (with the
// converter and parser vitest's v8 provider uses, so statements line up with its own), and merged into
// coverage/coverage-final.json. Only the files vitest counts (its include and exclude) are kept.
// Writes coverage/coverage-summary.json and a table per file (coverage/coverage.txt), prints a text
// summary, exits 1 under `--lines`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { mergeProcessCovs } from '@bcoe/v8-coverage';
import astV8ToIstanbul from 'ast-v8-to-istanbul';
import libCoverage from 'istanbul-lib-coverage';
import libReport from 'istanbul-lib-report';
import reports from 'istanbul-reports';
import { parseAstAsync } from 'vitest/node';

const packageDir = process.cwd();
const coverageDir = join(packageDir, 'coverage');
const rawDir = join(coverageDir, '.child-v8');
const finalFile = join(coverageDir, 'coverage-final.json');
const linesArg = process.argv.indexOf('--lines');
const minLines = linesArg === -1 ? undefined : Number(process.argv[linesArg + 1]);
if (minLines !== undefined && !Number.isFinite(minLines)) {
  console.error('merge-child-coverage: --lines needs a percentage');
  process.exit(2);
}
if (!existsSync(finalFile)) {
  console.error(
    `merge-child-coverage: ${finalFile} is missing: run vitest with --coverage and the 'json' reporter`,
  );
  process.exit(1);
}

/** The raw entries of the package's built scripts, merged over every child process. */
function readChildCoverage() {
  const distPrefix = `${pathToFileURL(join(packageDir, 'dist')).href}/`;
  const files = existsSync(rawDir) ? readdirSync(rawDir).filter((name) => name.endsWith('.json')) : [];
  const processCovs = [];
  for (const name of files) {
    let raw;
    try {
      raw = JSON.parse(readFileSync(join(rawDir, name), 'utf8'));
    } catch (error) {
      // A process (or thread) ended while Node wrote its coverage: that file is cut short. Said, not fatal.
      console.warn(`skipped ${name}: not readable coverage (${error.message.slice(0, 80)})`);
      continue;
    }
    const result = (raw.result ?? []).filter((s) => s.url.startsWith(distPrefix) && s.url.endsWith('.js'));
    if (result.length > 0) processCovs.push({ result });
  }
  return {
    files: files.length,
    merged: processCovs.length === 0 ? [] : mergeProcessCovs(processCovs).result,
  };
}

/** One built script's coverage as istanbul data on the src/ files its source map names. */
async function toIstanbul(script) {
  const file = new URL(script.url);
  const code = readFileSync(file, 'utf8');
  const mapFile = new URL(`${script.url}.map`);
  return astV8ToIstanbul({
    code,
    ast: await parseAstAsync(code),
    sourceMap: existsSync(mapFile) ? JSON.parse(readFileSync(mapFile, 'utf8')) : undefined,
    coverage: { url: script.url, functions: script.functions },
    // ES modules run as they are: no CommonJS wrapper before the first offset.
    wrapperLength: 0,
  });
}

function linePct(map) {
  return map.getCoverageSummary().lines.pct;
}

const inProcess = libCoverage.createCoverageMap(JSON.parse(readFileSync(finalFile, 'utf8')));
const inProcessLines = linePct(inProcess);
const counted = new Set(inProcess.files());
const child = readChildCoverage();
const merged = libCoverage.createCoverageMap(JSON.parse(readFileSync(finalFile, 'utf8')));
for (const script of child.merged) {
  // Through JSON as vitest's file went (an end column of Infinity becomes null there): istanbul merges
  // statements by location, so the same statement must have the same key in both.
  const fromChild = libCoverage.createCoverageMap(JSON.parse(JSON.stringify(await toIstanbul(script))));
  fromChild.filter((path) => counted.has(resolve(path)));
  merged.merge(fromChild);
}

const context = libReport.createContext({ dir: coverageDir, coverageMap: merged });
reports.create('json-summary').execute(context);
reports.create('text', { file: 'coverage.txt', maxCols: 200 }).execute(context);
reports.create('text-summary').execute(context);
const lines = linePct(merged);
console.log(
  `lines covered: ${inProcessLines}% in the test processes, ${lines}% with ${child.files} child processes' coverage (${child.merged.length} built scripts)`,
);
if (minLines !== undefined && lines < minLines) {
  console.error(`ERROR: coverage for lines (${lines}%) does not meet the threshold (${minLines}%)`);
  process.exit(1);
}
