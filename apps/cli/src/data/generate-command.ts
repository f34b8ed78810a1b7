import { ExitCode, type ExitCodeValue } from '../exit-codes';
import { colorsFor } from '../terminal/colors';
import { configRelativePaths } from './config-relative-paths';
import { type GenerateCsvOptions, generateCsvFiles } from './generate-csv';

const integer = new Intl.NumberFormat('en-US');

/**
 * `strat data generate`: writes one CSV per symbol and prints the `data_config` that reads them
 * back, paths relative to the folder the config is taken to be in (see {@link configRelativePaths}).
 */
export async function generateCommand(
  options: GenerateCsvOptions & { json?: boolean },
): Promise<ExitCodeValue> {
  const files = await generateCsvFiles(options);
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
    source: 'csv',
    files: files.map((f, i) => ({
      path: forConfig.paths[i],
      symbol: f.symbol,
      interval: options.interval,
    })),
  };
  const calendar =
    options.calendar === '24x7'
      ? `\nand, in session_data_config, ${colors.cyan('"calendar": { "preset": "24x7" }')}`
      : '';
  process.stdout.write(
    `\nRead them in a session config in ${forConfig.where} (a config reads data paths from its own folder) with\n` +
      `${colors.cyan(`"data_config": ${JSON.stringify(dataConfig)}`)}${calendar}\n`,
  );
  return ExitCode.OK;
}
