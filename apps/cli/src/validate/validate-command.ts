import { dirname, relative, resolve } from 'node:path';
import { findProjectRoot } from '@strat/runtime';
import { ExitCode, type ExitCodeValue } from '../exit-codes';
import { type ModulePolicyOptions, modulePolicy } from '../run/module-policy';
import { colorsFor } from '../terminal/colors';
import { formatTypeCheckError, type TypeCheckResult, typeCheckStrategies } from './type-check-strategies';
import { type ConfigValidation, validateSessionConfig } from './validate-session-config';

/** Options of `strat validate`. */
export interface ValidateCommandOptions extends ModulePolicyOptions {
  /** Print the results as JSON on stdout. */
  json?: boolean;
  /** Also type-check the configs' TypeScript strategy and scanner files with the project's TypeScript. */
  types?: boolean;
}

/** `--types`: what the project's TypeScript found, per project. */
interface TypesReport extends TypeCheckResult {
  project: string;
}

function formatTypes(report: TypesReport, colors: ReturnType<typeof colorsFor>): string {
  const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const files = count(report.files.length, 'strategy file');
  const tsconfig = report.tsconfig === undefined ? '' : `, ${relative(process.cwd(), report.tsconfig)}`;
  const how = colors.dim(`(TypeScript ${report.typescript}${tsconfig})`);
  if (report.errors.length === 0) return `${colors.green('ok')}   types: ${files} ${how}\n`;
  const lines = [`${colors.red('FAIL')} types: ${count(report.errors.length, 'error')} in ${files} ${how}`];
  for (const error of report.errors) lines.push(`  ${formatTypeCheckError(error)}`);
  return `${lines.join('\n')}\n`;
}

/** Type-checks the TypeScript module files of `results`, one program per project. */
function checkTypes(results: readonly ConfigValidation[]): TypesReport[] {
  const byProject = new Map<string, string[]>();
  for (const result of results) {
    const project = findProjectRoot(dirname(resolve(result.file)));
    const files = byProject.get(project) ?? [];
    for (const file of result.moduleFiles) {
      if (TYPESCRIPT_FILE.test(file) && !files.includes(file)) files.push(file);
    }
    byProject.set(project, files);
  }
  return [...byProject].map(([project, files]) => ({ project, ...typeCheckStrategies(files, project) }));
}

const TYPESCRIPT_FILE = /\.(?:ts|mts|cts|tsx)$/;

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
 * files) and prints every problem with its JSON path, or an `ok` line. With `types`, type-checks
 * the configs' TypeScript strategy and scanner files with the project's own TypeScript and prints
 * each error at its file:line:column. Exit code 2 when any file has a problem or a type error.
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
  const types = options.types ? checkTypes(results) : undefined;
  if (types !== undefined && !options.json)
    for (const report of types) process.stdout.write(formatTypes(report, colors));
  const typesOk = types === undefined || types.every((report) => report.errors.length === 0);
  if (options.json) {
    const ok = results.every((r) => r.problems.length === 0) && typesOk;
    process.stdout.write(
      `${JSON.stringify({ ok, files: results, ...(types === undefined ? {} : { types }) }, null, 2)}\n`,
    );
  }
  return results.some((r) => r.problems.length > 0) || !typesOk ? ExitCode.USAGE : ExitCode.OK;
}
