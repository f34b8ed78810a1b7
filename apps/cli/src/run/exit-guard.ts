import { fileURLToPath } from 'node:url';

/** What {@link guardProcessExit} returns. */
export interface ExitGuard {
  /** Ends the process with `code` on the command's own behalf (a second Ctrl-C), unreported. */
  exitNow(code: number): never;
  /** Puts `process.exit` back and stops watching for exits: the run is over. */
  release(): void;
}

type ProcessExit = typeof process.exit;

/** The first frame of `stack` after its message line, file URLs written as paths. */
function callerOf(stack: string | undefined): string | undefined {
  const frame = stack
    ?.split('\n')
    .find((line) => line.trimStart().startsWith('at '))
    ?.trim()
    .slice(3);
  return frame?.replace(/file:\/\/[^\s()]+/g, (url) => {
    try {
      return fileURLToPath(url);
    } catch {
      return url;
    }
  });
}

/**
 * Watches a run for an exit that is not the command's own. An inline strategy (or a module a
 * strategy imports) runs on this thread, where its `process.exit` would end the CLI with whatever
 * code it chose and no word: while the guard holds, such a call is reported, naming where
 * it came from, and the process exits with `failureCode`. Any other way the process ends meanwhile
 * (its event loop ran dry with the session unfinished) is reported too.
 */
export function guardProcessExit(report: (message: string) => void, failureCode: number): ExitGuard {
  const original: ProcessExit = process.exit;
  let released = false;
  const guarded = function exit(code?: number | string | null): never {
    const where: { stack?: string } = {};
    Error.captureStackTrace(where, guarded);
    const caller = callerOf(where.stack);
    released = true;
    process.exit = original;
    report(
      `process.exit(${code ?? ''}) was called during the run${caller === undefined ? '' : `, at ${caller}`}. ` +
        'A strategy must not end the process: an inline strategy (or a module it imports) runs on the ' +
        `command's own thread, so this ends the whole run (exit code ${failureCode}). In a worker ` +
        '("executor": "worker", the default) only that strategy would end.',
    );
    return original.call(process, failureCode);
  } as ProcessExit;
  const onExit = (code: number): void => {
    if (released) return;
    released = true;
    report(`the process is ending (exit code ${code}) while the session is still running`);
  };
  process.exit = guarded;
  process.on('exit', onExit);
  const release = (): void => {
    released = true;
    if (process.exit === guarded) process.exit = original;
    process.off('exit', onExit);
  };
  return {
    exitNow: (code) => {
      release();
      return original.call(process, code);
    },
    release,
  };
}
