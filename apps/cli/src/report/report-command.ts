import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readResultsFolder } from '@strat/runtime';
import { ExitCode, type ExitCodeValue } from '../exit-codes';
import { prepareOutputFolder } from '../output-folder';
import { UsageError } from '../usage-error';
import { writeReportFile } from './write-report-file';

/** Options of `strat report`. */
export interface ReportCommandOptions {
  /** The HTML file to write (default: report.html in the results folder). */
  output?: string;
}

/**
 * `strat report <results_dir>`: one self-contained HTML page from a results folder written by
 * `strat run --results`.
 * @throws UsageError for a folder that is not a results folder (or one that cannot be read)
 */
export async function reportCommand(dir: string, options: ReportCommandOptions): Promise<ExitCodeValue> {
  const folder = resolve(dir);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new UsageError(`${dir}: no such folder (give the folder strat run --results wrote)`);
  }
  if (!existsSync(join(folder, 'results.json'))) {
    throw new UsageError(
      `${dir}: not a results folder (no results.json; strat run --results DIR writes one)`,
    );
  }
  const output = options.output ?? join(folder, 'report.html');
  prepareOutputFolder(`--output ${output}`, dirname(resolve(output)));
  const results = await readResultsFolder(folder).catch((error: unknown) => {
    throw new UsageError(`${dir}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  });
  process.stdout.write(`report: ${writeReportFile(results, output)}\n`);
  return ExitCode.OK;
}
