import { readFileSync } from 'node:fs';
import { parseSessionConfigText, type SessionConfig, StratError } from '@strat/core';

/** Reads a session config file's text. @throws StratError `CONFIG_UNREADABLE` naming the file and the reason */
export function readSessionConfigText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new StratError('CONFIG_UNREADABLE', `Cannot read session config ${path}: ${reason}`, {
      cause: error,
    });
  }
}

/**
 * Reads and validates a session config file, every default applied.
 * @throws StratError `CONFIG_UNREADABLE`; ConfigError naming the file and each JSON path
 */
export function readSessionConfigFile(path: string): SessionConfig {
  return parseSessionConfigText(readSessionConfigText(path), { file: path });
}
