import { relative } from 'node:path';
import { ExitCode, type ExitCodeValue } from '../exit-codes';
import { packageCommand } from '../package-runner';
import { colorsFor } from '../terminal/colors';
import { scaffoldStrategy } from './new-strategy';

/** Options of `strat new strategy`. */
export interface NewStrategyCommandOptions {
  /** `--no-config`: do not write `session_configs/<name>.json`. */
  config?: boolean;
}

/** `strat new strategy <name>`: scaffolds the strategy, its test and a session config, and says what next. */
export function newStrategyCommand(name: string, options: NewStrategyCommandOptions): ExitCodeValue {
  const cwd = process.cwd();
  const result = scaffoldStrategy(name, { cwd, sessionConfig: options.config !== false });
  const colors = colorsFor(process.stdout);
  const show = (path: string) => relative(cwd, path) || path;
  const lines = result.files.map((f) => `${colors.green('created')} ${show(f)}`);
  const [strategyFile = '', testFile = ''] = result.files.map(show);
  lines.push(
    '',
    `${colors.bold(result.className)} is a working channel breakout, whatever its name; make it yours:`,
    `  1. change onBars and the config schema in ${strategyFile}`,
    `  2. test it:  ${packageCommand('vitest')} run ${testFile}`,
  );
  if (result.sessionConfig !== undefined) {
    lines.push(
      `  3. check its types: ${packageCommand('strat')} validate --types ${show(result.sessionConfig)}`,
      `  4. run it:   ${packageCommand('strat')} run ${show(result.sessionConfig)} --out journal-${name}.jsonl`,
    );
  } else {
    lines.push(
      `  3. name it in a session config: { "module": "strategies.production.${name}", "config": { ... } }`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return ExitCode.OK;
}
