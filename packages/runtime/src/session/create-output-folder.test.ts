import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOutputFolder } from './create-output-folder';

const dir = mkdtempSync(join(tmpdir(), 'strat-output-folder-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createOutputFolder', () => {
  it('creates the folder and its missing parents and returns its absolute path', () => {
    const folder = join(dir, 'x', 'y', 'z');
    expect(createOutputFolder(folder)).toBe(folder);
    expect(statSync(folder).isDirectory()).toBe(true);
    // Again, and relative to the working directory: nothing to create.
    expect(createOutputFolder(relative(process.cwd(), folder))).toBe(folder);
    expect(existsSync(join(folder, 'signals.jsonl'))).toBe(false);
  });

  it('names the file in the way', () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'keep');
    expect(() => createOutputFolder(blocker)).toThrow(
      `Cannot create the folder ${blocker}: ${blocker} is not a folder`,
    );
    expect(() => createOutputFolder(join(blocker, 'a', 'b'))).toThrow(
      `Cannot create the folder ${join(blocker, 'a', 'b')}: ${blocker} is not a folder`,
    );
  });

  it.runIf(existsSync('/proc/self'))(
    'fails at once for a folder the system refuses to create (/proc)',
    () => {
      expect(() => createOutputFolder('/proc/nope/deeper')).toThrow(
        'Cannot create the folder /proc/nope/deeper (at /proc/nope): ENOENT',
      );
    },
  );
});
