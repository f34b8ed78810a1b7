import { CommanderError } from 'commander';
import { ExitCode, type ExitCodeValue, exitCodeFor } from './exit-codes';
import { createProgram } from './program';
import { colorsFor } from './terminal/colors';
import { formatError } from './terminal/error-report';

/**
 * Runs the `strat` command line (`argv` as in `process.argv`) and resolves with the exit code.
 * Usage mistakes (commander's errors) give 2; a command's error is printed without a stack trace
 * unless `--verbose` is among the arguments.
 */
export async function runCli(argv: readonly string[]): Promise<ExitCodeValue> {
  let exitCode: ExitCodeValue = ExitCode.OK;
  const program = createProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed the message (or the help / version) already.
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    process.stderr.write(`${formatError(error, colorsFor(process.stderr), argv.includes('--verbose'))}\n`);
    return exitCodeFor(error);
  }
}
