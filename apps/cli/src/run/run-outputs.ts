import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { SessionConfig } from '@strat/core';
import {
  createOutputFolder,
  hasPaperExecution,
  type ResultsCollector,
  readResultsFolder,
  type SessionSummary,
  writeResultsFolder,
} from '@strat/runtime';
import { prepareOutputFolder } from '../output-folder';
import { writeReportFile } from '../report/write-report-file';
import { UsageError } from '../usage-error';

/** What `strat run` writes besides the journal: the results folder and the HTML report. */
export interface RunOutputOptions {
  /** `--results DIR`: results.json, trades.csv, fills.csv, equity.csv, bars.csv. */
  results?: string;
  /** `--report FILE`: one self-contained HTML page. */
  report?: string;
}

/**
 * Checks, before anything runs, that the outputs asked for can be made: the config has paper
 * execution, and their folders can be created.
 * @throws UsageError naming the option
 */
export function checkRunOutputs(config: SessionConfig, options: RunOutputOptions): void {
  const asked = [
    options.results !== undefined ? '--results' : undefined,
    options.report !== undefined ? '--report' : undefined,
  ].filter((o) => o !== undefined);
  if (asked.length === 0) return;
  if (!hasPaperExecution(config)) {
    throw new UsageError(
      `${asked.join(' and ')} need paper execution: add an "execution" section to the config ` +
        '(for example "execution": { "initial_cash": 100000 }; see the runtime README, "Paper execution")',
    );
  }
  if (options.results !== undefined)
    prepareOutputFolder(`--results ${options.results}`, resolve(options.results));
  if (options.report !== undefined) {
    prepareOutputFolder(`--report ${options.report}`, dirname(resolve(options.report)));
  }
}

/**
 * Writes the results folder and the report of a run that ended; the report is drawn from the folder
 * as read back (a temporary one without `--results`), exactly as `strat report` draws it.
 * @returns the lines to tell the user (where things went)
 */
export async function writeRunOutputs(
  collector: ResultsCollector,
  summary: SessionSummary,
  options: RunOutputOptions,
): Promise<string[]> {
  const data = collector.data(summary);
  if (data === undefined) return [];
  const told: string[] = [];
  const scratch = options.results === undefined ? mkdtempSync(join(tmpdir(), 'strat-results-')) : undefined;
  try {
    const folder = resolve(options.results ?? (scratch as string));
    createOutputFolder(folder);
    await writeResultsFolder(folder, data);
    if (options.results !== undefined) told.push(`results: ${folder}`);
    if (options.report !== undefined) {
      const report = writeReportFile(await readResultsFolder(folder), options.report);
      told.push(`report: ${report}`);
    }
  } finally {
    if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true });
  }
  return told;
}
