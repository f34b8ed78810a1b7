import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parseSessionConfigText, type SessionConfig, StratError } from '@strat/core';

/** The largest session config file read: a config is a few KB, and `/dev/zero` would never end. */
export const SESSION_CONFIG_MAX_BYTES = 1024 * 1024;

function unreadable(path: string, reason: string, cause?: unknown): StratError {
  return new StratError(
    'CONFIG_UNREADABLE',
    `Cannot read session config ${path}: ${reason}`,
    cause === undefined ? {} : { cause },
  );
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
}

const TOO_LARGE = `it is larger than ${SESSION_CONFIG_MAX_BYTES / 1024 / 1024} MiB, the limit for a session config`;

/**
 * Reads a session config file's text, at most {@link SESSION_CONFIG_MAX_BYTES} of it.
 * @throws StratError `CONFIG_UNREADABLE` naming the file and the reason (no such file, a folder, larger than the limit, ...)
 */
export function readSessionConfigText(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw unreadable(path, reasonOf(error), error);
  }
  try {
    const stats = fstatSync(fd);
    if (stats.isDirectory()) throw unreadable(path, 'it is a folder');
    if (stats.isFile() && stats.size > SESSION_CONFIG_MAX_BYTES) throw unreadable(path, TOO_LARGE);
    // Devices and pipes have no size up front: read one byte past the limit to know.
    const buffer = Buffer.allocUnsafe(SESSION_CONFIG_MAX_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > SESSION_CONFIG_MAX_BYTES) throw unreadable(path, TOO_LARGE);
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    if (StratError.isInstance(error)) throw error;
    throw unreadable(path, reasonOf(error), error);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads and validates a session config file, every default applied.
 * @throws StratError `CONFIG_UNREADABLE`; ConfigError naming the file and each JSON path
 */
export function readSessionConfigFile(path: string): SessionConfig {
  return parseSessionConfigText(readSessionConfigText(path), { file: path });
}
