import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

function folderError(folder: string, at: string, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const where = at === folder ? '' : ` (at ${at})`;
  return new Error(`Cannot create the folder ${folder}${where}: ${reason}`, { cause });
}

/**
 * Creates `folder` (where a command writes its output: a signal journal, generated CSV files) and
 * its missing parents, one at a time, so a command can check where its output goes before it
 * starts. (`mkdirSync` with `recursive` never returns for a folder the system refuses, such as one
 * under `/proc`.)
 * @returns the folder's absolute path
 * @throws Error naming the folder that cannot be created and why (a file in the way, no permission, ...)
 */
export function createOutputFolder(folder: string): string {
  const absolute = resolve(folder);
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    let isFolder: boolean;
    try {
      isFolder = statSync(current).isDirectory();
    } catch (error) {
      const parent = dirname(current);
      const absent = errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR';
      if (!absent || parent === current) throw folderError(absolute, current, error);
      missing.push(current);
      current = parent;
      continue;
    }
    if (!isFolder) {
      throw new Error(`Cannot create the folder ${absolute}: ${current} is not a folder`);
    }
    break;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (error) {
      // Created meanwhile by someone else: as good.
      if (errorCode(error) !== 'EEXIST' || !statSync(dir).isDirectory())
        throw folderError(absolute, dir, error);
    }
  }
  return absolute;
}
