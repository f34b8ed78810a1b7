import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ResultsFolder } from '@strat/runtime';
import { renderReport } from './render-report';
import { reportInputOf } from './report-input-of';

/**
 * Renders the report of a results folder into `file`, written whole (a temporary name, then a
 * rename: a reader never sees half a page). Returns the file's absolute path.
 */
export function writeReportFile(folder: ResultsFolder, file: string): string {
  const target = resolve(file);
  const html = renderReport(reportInputOf(folder));
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, html);
  renameSync(partial, target);
  return target;
}
