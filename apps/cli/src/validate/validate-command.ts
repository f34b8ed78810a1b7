import { ExitCode, type ExitCodeValue } from '../exit-codes';
import { type ModulePolicyOptions, modulePolicy } from '../run/module-policy';
import { colorsFor } from '../terminal/colors';
import { type ConfigValidation, validateSessionConfig } from './validate-session-config';

/** Options of `strat validate`. */
export interface ValidateCommandOptions extends ModulePolicyOptions {
  /** Print the results as JSON on stdout. */
  json?: boolean;
}

function formatValidation(v: ConfigValidation, colors: ReturnType<typeof colorsFor>): string {
  const lines: string[] = [];
  const where = (path: string) => (path === '' ? '(file)' : path);
  if (v.problems.length === 0) {
    lines.push(
      `${colors.green('ok')}   ${v.file}${v.description === undefined ? '' : colors.dim(` (${v.description})`)}`,
    );
  } else {
    const count = `${v.problems.length} problem${v.problems.length === 1 ? '' : 's'}`;
    lines.push(`${colors.red('FAIL')} ${v.file}: ${count}`);
    for (const p of v.problems) {
      // ConfigError messages repeat every issue on their own lines; show each issue once, indented.
      lines.push(`  - ${colors.bold(where(p.path))}: ${p.message.replaceAll('\n', '\n    ')}`);
    }
  }
  for (const w of v.warnings)
    lines.push(`  ${colors.yellow('warning')} ${colors.bold(where(w.path))}: ${w.message}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `strat validate <config...>`: checks each config (schema, calendar, modules and classes, data
 * files) and prints every problem with its JSON path, or an `ok` line. Exit code 2 when any file
 * has a problem.
 */
export async function validateCommand(
  files: string[],
  options: ValidateCommandOptions,
): Promise<ExitCodeValue> {
  const results: ConfigValidation[] = [];
  const colors = colorsFor(process.stdout);
  for (const file of files) {
    const result = await validateSessionConfig(file, modulePolicy(file, options));
    results.push(result);
    if (!options.json) process.stdout.write(formatValidation(result, colors));
  }
  if (options.json) {
    const ok = results.every((r) => r.problems.length === 0);
    process.stdout.write(`${JSON.stringify({ ok, files: results }, null, 2)}\n`);
  }
  return results.some((r) => r.problems.length > 0) ? ExitCode.USAGE : ExitCode.OK;
}
