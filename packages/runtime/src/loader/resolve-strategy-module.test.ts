import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { StrategyLoadError } from '@strat/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_ALLOWED_PACKAGES,
  isAllowedPackage,
  resolveStrategyModule,
  strategyModuleUrl,
} from './resolve-strategy-module';

let project: string;
let outside: string;

function write(path: string, text = 'export {};\n'): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function loadError(run: () => unknown): StrategyLoadError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(StrategyLoadError);
    return error as StrategyLoadError;
  }
  throw new Error('expected a StrategyLoadError');
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'strat-resolve-'));
  outside = mkdtempSync(join(tmpdir(), 'strat-outside-'));
  write(join(project, 'strategies/examples/simple_ma_cross.ts'));
  write(join(project, 'strategies/production/legacy.js'));
  write(join(project, 'session_configs/local/my_strategy.mts'));
  write(join(outside, 'evil.ts'));
  const pkg = join(project, 'node_modules/fake-strats');
  write(
    join(pkg, 'package.json'),
    JSON.stringify({
      name: 'fake-strats',
      exports: {
        '.': { types: './index.d.ts', import: './esm/index.js', require: './cjs/index.cjs' },
        './rsi': { import: './esm/rsi.js', require: './cjs/rsi.cjs' },
        './lib/*': './lib/*.js',
        './package.json': './package.json',
      },
    }),
  );
  for (const file of ['esm/index.js', 'cjs/index.cjs', 'esm/rsi.js', 'cjs/rsi.cjs', 'lib/vwap.js'])
    write(join(pkg, file));
  write(
    join(project, 'node_modules/@scope/plain/package.json'),
    JSON.stringify({ name: '@scope/plain', main: 'main.js' }),
  );
  write(join(project, 'node_modules/@scope/plain/main.js'));
  write(join(project, 'node_modules/@scope/plain/extra.js'));
});

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

describe('resolveStrategyModule', () => {
  it('maps a dotted path to a file under a root, trying .ts first then .js', () => {
    const roots = [project];
    expect(resolveStrategyModule('strategies.examples.simple_ma_cross', { roots })).toEqual({
      kind: 'file',
      path: join(project, 'strategies/examples/simple_ma_cross.ts'),
    });
    expect(resolveStrategyModule('strategies.production.legacy', { roots })).toEqual({
      kind: 'file',
      path: join(project, 'strategies/production/legacy.js'),
    });
  });

  it('says where it looked when a dotted path names no file', () => {
    const error = loadError(() => resolveStrategyModule('strategies.examples.nope', { roots: [project] }));
    expect(error.module).toBe('strategies.examples.nope');
    expect(error.message).toContain(join(project, 'strategies/examples/nope'));
    expect(error.message).toContain('.ts');
  });

  it('resolves relative paths against the config folder, with or without extension', () => {
    const fromDir = join(project, 'session_configs');
    const strategyRoots = [fromDir];
    expect(
      resolveStrategyModule('./local/my_strategy.mts', { roots: [project], fromDir, strategyRoots }).path,
    ).toBe(join(fromDir, 'local/my_strategy.mts'));
    expect(
      resolveStrategyModule('./local/my_strategy', { roots: [project], fromDir, strategyRoots }).path,
    ).toBe(join(fromDir, 'local/my_strategy.mts'));
    expect(
      resolveStrategyModule('../strategies/examples/simple_ma_cross', { roots: [project], fromDir }).path,
    ).toBe(join(project, 'strategies/examples/simple_ma_cross.ts'));
    expect(
      loadError(() => resolveStrategyModule('./local/my_strategy.ts', { roots: [project] })).message,
    ).toMatch(/needs the folder of the config file/);
  });

  it('resolves allowed package specifiers through exports with import conditions (subpaths and patterns too)', () => {
    const options = { roots: [join(project, 'strategies')], allowedPackages: ['fake-strats', '@scope/*'] };
    expect(resolveStrategyModule('fake-strats', options)).toEqual({
      kind: 'package',
      specifier: 'fake-strats',
      path: join(project, 'node_modules/fake-strats/esm/index.js'),
    });
    expect(resolveStrategyModule('fake-strats/rsi', options).path).toBe(
      join(project, 'node_modules/fake-strats/esm/rsi.js'),
    );
    expect(resolveStrategyModule('fake-strats/lib/vwap', options).path).toBe(
      join(project, 'node_modules/fake-strats/lib/vwap.js'),
    );
    expect(resolveStrategyModule('@scope/plain', options).path).toBe(
      join(project, 'node_modules/@scope/plain/main.js'),
    );
    expect(resolveStrategyModule('@scope/plain/extra', options).path).toBe(
      join(project, 'node_modules/@scope/plain/extra.js'),
    );
  });

  it('explains a package that is missing or does not export the subpath', () => {
    expect(loadError(() => resolveStrategyModule('@nope/strategies', { roots: [project] })).message).toMatch(
      /package "@nope\/strategies" is not installed/,
    );
    expect(
      loadError(() =>
        resolveStrategyModule('fake-strats/secret', { roots: [project], allowedPackages: ['fake-strats'] }),
      ).message,
    ).toMatch(/does not export "\.\/secret"/);
  });

  it('refuses absolute paths and URLs unless allowed', () => {
    const file = join(project, 'strategies/examples/simple_ma_cross.ts');
    expect(loadError(() => resolveStrategyModule(file, { roots: [project] })).message).toMatch(
      /absolute module paths are not allowed/,
    );
    expect(() =>
      resolveStrategyModule(pathToFileURL(file).href, { roots: [project], allowAbsolute: false }),
    ).toThrow(StrategyLoadError);
    expect(resolveStrategyModule(file, { roots: [project], allowAbsolute: true })).toEqual({
      kind: 'file',
      path: file,
    });
    expect(
      resolveStrategyModule(pathToFileURL(file).href, { roots: [project], allowAbsolute: true }).path,
    ).toBe(file);
  });

  it('refuses malformed module paths with the config validator message', () => {
    expect(
      loadError(() => resolveStrategyModule('strategies/../../etc', { roots: [project] })).message,
    ).toMatch(/must not contain "\." or "\.\." segments/);
  });

  it('loads files only from the strategy roots: no other file of the project, nothing outside, no symlink out', () => {
    write(join(project, 'apps/cli/dist/cli.js'), 'process.exit(2);\n');
    write(join(project, 'node_modules/vitest/dist/cli.js'), 'export {};\n');
    for (const spec of ['apps.cli.dist.cli', 'node_modules.vitest.dist.cli']) {
      expect(loadError(() => resolveStrategyModule(spec, { roots: [project] })).message).toMatch(
        /lies outside the strategy roots/,
      );
    }
    const fromDir = join(project, 'session_configs');
    const pathOutside = `../${join('..', outside.split('/').pop() as string)}/evil.ts`;
    expect(
      loadError(() => resolveStrategyModule(pathOutside, { roots: [project], fromDir })).message,
    ).toMatch(/evil\.ts lies outside the strategy roots \(.*strategies\)/);
    // A file next to the config but outside strategies/ is refused too.
    expect(
      loadError(() => resolveStrategyModule('./local/my_strategy', { roots: [project], fromDir })).message,
    ).toMatch(/my_strategy\.mts lies outside the strategy roots/);
    symlinkSync(join(outside, 'evil.ts'), join(project, 'strategies/examples/linked.ts'));
    expect(
      loadError(() => resolveStrategyModule('strategies.examples.linked', { roots: [project] })).message,
    ).toMatch(/lies outside the strategy roots/);
    // A root of its own is allowed explicitly (strat run --strategy-root).
    expect(
      resolveStrategyModule(pathOutside, { roots: [project], fromDir, strategyRoots: [outside] }).path,
    ).toBe(join(outside, 'evil.ts'));
  });

  it('loads packages only from the allowed list (default @strat/examples); a scope pattern allows a scope', () => {
    const refused = loadError(() => resolveStrategyModule('fake-strats/rsi', { roots: [project] }));
    expect(refused.message).toMatch(/package "fake-strats" is not on the allowed list \(@strat\/examples\)/);
    expect(loadError(() => resolveStrategyModule('@scope/plain', { roots: [project] })).message).toMatch(
      /not on the allowed list/,
    );
    expect(
      resolveStrategyModule('@scope/plain', { roots: [project], allowedPackages: ['@scope/*'] }).kind,
    ).toBe('package');
    expect(isAllowedPackage('@strat/examples')).toBe(true);
    expect(isAllowedPackage('@strat/examples-evil')).toBe(false);
    expect(isAllowedPackage('@stratx/a', ['@strat/*'])).toBe(false);
    expect(DEFAULT_ALLOWED_PACKAGES).toEqual(['@strat/examples']);
  });

  it('gives a file URL to import', () => {
    const resolved = resolveStrategyModule('strategies.examples.simple_ma_cross', { roots: [project] });
    expect(strategyModuleUrl(resolved)).toBe(
      pathToFileURL(join(project, 'strategies/examples/simple_ma_cross.ts')).href,
    );
  });
});
