import { relative } from 'node:path';
import { ExitCode, type ExitCodeValue } from '../exit-codes';
import { colorsFor } from '../terminal/colors';
import { type ImportCatalogOptions, importCatalog } from './import-catalog';

const integer = new Intl.NumberFormat('en-US');
const PROBLEMS_SHOWN = 10;

/**
 * `strat data import`: converts CSV and Parquet files into an Arrow IPC catalog, then prints what went in and
 * the `data_config` that reads it.
 */
export async function importCommand(
  options: ImportCatalogOptions & { json?: boolean },
): Promise<ExitCodeValue> {
  const series = await importCatalog(options);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ catalog: options.to, series }, null, 2)}\n`);
    return ExitCode.OK;
  }
  const colors = colorsFor(process.stdout);
  for (const s of series) {
    const range = s.first === undefined ? 'no bars' : `${s.first} to ${s.last}`;
    const skipped =
      s.rowsSkipped === 0 ? '' : `, ${colors.yellow(`${integer.format(s.rowsSkipped)} bad rows skipped`)}`;
    process.stdout.write(
      `${colors.green('imported')} ${s.symbol} ${s.interval}: ${integer.format(s.rows)} bars in ${s.partitions} partition${s.partitions === 1 ? '' : 's'}, ${range} (from ${s.files.join(', ')}${skipped})\n`,
    );
    for (const p of s.problems.slice(0, PROBLEMS_SHOWN)) {
      const where = p.file === undefined ? '' : `${p.file}${p.line === undefined ? '' : `:${p.line}`}: `;
      process.stdout.write(`  ${colors.yellow(where)}${p.message}\n`);
    }
  }
  const dataConfig = { source: 'catalog', path: relative(process.cwd(), options.to) || '.' };
  process.stdout.write(
    `\nRead the catalog in a session config (its path relative to the config file's folder) with\n` +
      `${colors.cyan(`"data_config": ${JSON.stringify(dataConfig)}`)}\n`,
  );
  return ExitCode.OK;
}
