import { createOutputFolder } from '@strat/runtime';
import { UsageError } from './usage-error';

/**
 * Creates the folder a command writes to before the command starts its work, so a folder that
 * cannot be created fails at once as a usage error (it used to hang under `/proc`).
 * @param option the option that named it, for the message (`--out /proc/nope/x.jsonl`)
 * @throws UsageError naming the option, the folder and why
 */
export function prepareOutputFolder(option: string, folder: string): void {
  try {
    createOutputFolder(folder);
  } catch (error) {
    throw new UsageError(`${option}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
