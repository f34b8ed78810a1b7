import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProjectRoot } from './find-project-root';

describe('findProjectRoot', () => {
  it('finds the nearest folder holding strategies/ or a pnpm workspace, else a package.json, else the start', () => {
    const top = mkdtempSync(join(tmpdir(), 'strat-root-'));
    const withStrategies = join(top, 'a');
    mkdirSync(join(withStrategies, 'strategies'), { recursive: true });
    mkdirSync(join(withStrategies, 'session_configs', 'deep'), { recursive: true });
    expect(findProjectRoot(join(withStrategies, 'session_configs', 'deep'))).toBe(withStrategies);

    const workspace = join(top, 'b');
    mkdirSync(join(workspace, 'configs'), { recursive: true });
    writeFileSync(join(workspace, 'pnpm-workspace.yaml'), 'packages: []\n');
    expect(findProjectRoot(join(workspace, 'configs'))).toBe(workspace);

    const pkg = join(top, 'c');
    mkdirSync(join(pkg, 'x'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), '{}\n');
    // Inside the OS temp folder nothing above holds strategies/ or a workspace: the package.json wins.
    expect(findProjectRoot(join(pkg, 'x'))).toBe(pkg);
  });
});
