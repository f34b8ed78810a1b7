import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StratError } from '@strat/core';
import { afterEach, describe, expect, it } from 'vitest';
import { findInstalledPackage } from './package-entry';
import { importTsxApi, resolveTsxApi } from './tsx-api';

const made: string[] = [];
function emptyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'strat-no-tsx-'));
  made.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tsxMissing(fn: () => unknown): StratError {
  try {
    fn();
  } catch (error) {
    if (StratError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected TSX_MISSING');
}

describe('tsx, the optional peer dependency', () => {
  it("is found from this package's folder, and its API registers hooks and imports TypeScript", async () => {
    const url = resolveTsxApi('it is TypeScript, which');
    expect(existsSync(fileURLToPath(url))).toBe(true);
    const api = await importTsxApi('it is TypeScript, which');
    expect(typeof api.register).toBe('function');
    expect(typeof api.tsImport).toBe('function');
  });

  it('missing: TSX_MISSING, a message that says what needs it and how to install it', () => {
    const project = emptyProject();
    expect(findInstalledPackage('tsx', project)).toBeUndefined();
    const error = tsxMissing(() => resolveTsxApi('it is TypeScript, which', project));
    expect(error.code).toBe('TSX_MISSING');
    expect(error.message).toBe(
      'it is TypeScript, which needs tsx, an optional peer dependency of @strat/runtime, and tsx is not ' +
        'installed: install it in your project (npm install --save-dev tsx, or pnpm add -D tsx)',
    );
  });

  it('a tsx folder without its ESM API counts as missing', async () => {
    const project = emptyProject();
    mkdirSync(join(project, 'node_modules', 'tsx'), { recursive: true });
    writeFileSync(
      join(project, 'node_modules', 'tsx', 'package.json'),
      JSON.stringify({ name: 'tsx', exports: { './esm/api': './dist/esm/api/index.mjs' } }),
    );
    await expect(importTsxApi('The worker script is TypeScript, which', project)).rejects.toMatchObject({
      code: 'TSX_MISSING',
      message: expect.stringMatching(/^The worker script is TypeScript, which needs tsx/),
    });
  });
});
