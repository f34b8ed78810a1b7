import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configRelativePaths } from './config-relative-paths';

const root = mkdtempSync(join(tmpdir(), 'strat-config-paths-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('configRelativePaths', () => {
  it('writes paths for a config in session_configs/ when the folder has one', () => {
    const project = join(root, 'project');
    mkdirSync(join(project, 'session_configs'), { recursive: true });
    expect(configRelativePaths(['data/AAPL-1m.csv', join(project, 'data', 'MSFT-1m.csv')], project)).toEqual({
      configDir: join(project, 'session_configs'),
      where: 'session_configs/',
      paths: ['../data/AAPL-1m.csv', '../data/MSFT-1m.csv'],
    });
  });

  it('else for a config in the current folder', () => {
    const plain = join(root, 'plain');
    mkdirSync(plain);
    expect(configRelativePaths(['data/AAPL-1m.csv', join(root, 'elsewhere', 'X-5m.csv')], plain)).toEqual({
      configDir: plain,
      where: 'this folder',
      paths: ['data/AAPL-1m.csv', '../elsewhere/X-5m.csv'],
    });
  });
});
