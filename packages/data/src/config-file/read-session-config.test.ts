import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StratError } from '@strat/core';
import { afterAll, describe, expect, it } from 'vitest';
import { readSessionConfigFile, readSessionConfigText } from './read-session-config';

const dir = mkdtempSync(join(tmpdir(), 'strat-config-read-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function failure(path: string): StratError {
  try {
    readSessionConfigText(path);
  } catch (error) {
    if (StratError.isInstance(error)) return error;
    throw error;
  }
  throw new Error(`expected ${path} to be refused`);
}

const CONFIG = {
  mode: 'backtest',
  backtest_config: { start_date: '2024-01-02', end_date: '2024-01-02' },
  session_data_config: { symbols: ['AAPL'], streams: ['1m'], strategies: [] },
};

describe('readSessionConfigText', () => {
  it('reads a config file as written, byte order mark included, and parses it', () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, `\uFEFF${JSON.stringify(CONFIG)}`);
    expect(readSessionConfigText(path)).toBe(readFileSync(path, 'utf8'));
    expect(readSessionConfigFile(path).session_data_config.symbols).toEqual(['AAPL']);
  });

  it('reads up to 1 MiB and refuses a larger file, naming the limit', () => {
    const padded = (bytes: number): string => {
      const text = JSON.stringify(CONFIG);
      return `${text}${' '.repeat(bytes - Buffer.byteLength(text))}`;
    };
    const limit = join(dir, 'limit.json');
    writeFileSync(limit, padded(1024 * 1024));
    expect(readSessionConfigText(limit)).toHaveLength(1024 * 1024);
    const over = join(dir, 'over.json');
    writeFileSync(over, padded(1024 * 1024 + 1));
    const error = failure(over);
    expect(error.code).toBe('CONFIG_UNREADABLE');
    expect(error.message).toBe(
      `Cannot read session config ${over}: it is larger than 1 MiB, the limit for a session config`,
    );
  });

  it.runIf(existsSync('/dev/zero'))('stops reading a device that never ends (/dev/zero) at the limit', () => {
    expect(failure('/dev/zero').message).toBe(
      'Cannot read session config /dev/zero: it is larger than 1 MiB, the limit for a session config',
    );
  });

  it('names a missing file and a folder', () => {
    const missing = failure(join(dir, 'nope.json'));
    expect(missing.code).toBe('CONFIG_UNREADABLE');
    expect(missing.message).toBe(`Cannot read session config ${join(dir, 'nope.json')}: no such file`);
    expect(failure(dir).message).toBe(`Cannot read session config ${dir}: it is a folder`);
  });
});
