import { ExitCode, type ExitCodeValue } from '../exit-codes';
import { colorsFor } from '../terminal/colors';
import { calendarForConfig } from './calendar-option';
import { configRelativePaths } from './config-relative-paths';
import { generateCatalog } from './generate-catalog';
import { type GenerateCsvOptions, generateCsvFiles } from './generate-csv';

/** What `strat data generate` writes: CSV or Parquet files, or an Arrow IPC catalog. */
export type GenerateFormat = 'csv' | 'parquet' | 'arrow';

const integer = new Intl.NumberFormat('en-US');

async function generateArrowCommand(
  options: GenerateCsvOptions & { json?: boolean },
): Promise<ExitCodeValue> {
  const series = await generateCatalog(options);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ catalog: options.outDir, series }, null, 2)}\n`);
    return ExitCode.OK;
  }
  const colors = colorsFor(process.stdout);
  for (const s of series) {
    const range = s.first === undefined ? 'no bars' : `${s.first} to ${s.last}`;
    process.stdout.write(
      `${colors.green('wrote')} ${s.symbol} ${s.interval}: ${integer.format(s.bars)} bars in ${s.partitions} partition${s.partitions === 1 ? '' : 's'}, ${range}\n`,
    );
  }
  const forConfig = configRelativePaths([options.outDir], process.cwd());
  const dataConfig = { source: 'catalog', path: forConfig.paths[0] || '.' };
  const section = calendarForConfig(options.calendar);
  const calendar =
    section === undefined ? '' : `\nand, in session_data_config, ${colors.cyan(`"calendar": ${section}`)}`;
  process.stdout.write(
    `\nRead the catalog in a session config in ${forConfig.where} (a config reads data paths from its own folder) with\n` +
      `${colors.cyan(`"data_config": ${JSON.stringify(dataConfig)}`)}${calendar}\n`,
  );
  return ExitCode.OK;
}

/**
 * `strat data generate`: writes one CSV (or Parquet) file per symbol, or with format `arrow` an Arrow IPC catalog,
 * and prints the `data_config` that reads them back, paths relative to the folder the config is taken
 * to be in (see {@link configRelativePaths}).
 */
export async function generateCommand(
  options: Omit<GenerateCsvOptions, 'format'> & { json?: boolean; format?: GenerateFormat },
): Promise<ExitCodeValue> {
  const format = options.format ?? 'csv';
  if (format === 'arrow') return generateArrowCommand({ ...options, format: undefined });
  const files = await generateCsvFiles({ ...options, format });
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ files }, null, 2)}\n`);
    return ExitCode.OK;
  }
  const colors = colorsFor(process.stdout);
  for (const f of files) {
    const range = f.first === undefined ? 'no bars' : `${f.first} to ${f.last}`;
    process.stdout.write(`${colors.green('wrote')} ${f.path}: ${integer.format(f.bars)} bars, ${range}\n`);
  }
  const forConfig = configRelativePaths(
    files.map((f) => f.path),
    process.cwd(),
  );
  const dataConfig = {
    source: format,
    files: files.map((f, i) => ({
      path: forConfig.paths[i],
      symbol: f.symbol,
      interval: options.interval,
    })),
  };
  const section = calendarForConfig(options.calendar);
  const calendar =
    section === undefined ? '' : `\nand, in session_data_config, ${colors.cyan(`"calendar": ${section}`)}`;
  process.stdout.write(
    `\nRead them in a session config in ${forConfig.where} (a config reads data paths from its own folder) with\n` +
      `${colors.cyan(`"data_config": ${JSON.stringify(dataConfig)}`)}${calendar}\n`,
  );
  return ExitCode.OK;
}
