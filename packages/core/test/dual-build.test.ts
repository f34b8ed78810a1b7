// Two copies of @strat/core in one process, as when one dependency imports its ESM build and another
// requires its CommonJS build: errors are recognised across them by brand, where instanceof fails.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type * as Core from '../src/index';

type Copy = typeof Core;

const esmEntry = new URL('../dist/index.js', import.meta.url);
const cjsEntry = new URL('../dist/index.cjs', import.meta.url);

let esm: Copy;
let cjs: Copy;

beforeAll(async () => {
  for (const entry of [esmEntry, cjsEntry]) {
    if (!existsSync(entry)) {
      throw new Error(
        `${fileURLToPath(entry)} is missing: build @strat/core (pnpm --filter @strat/core build)`,
      );
    }
  }
  esm = (await import(esmEntry.href)) as Copy;
  cjs = createRequire(import.meta.url)(fileURLToPath(cjsEntry)) as Copy;
});

/** One error of each kind, made by `copy`. */
function errorsOf(copy: Copy) {
  return {
    StratError: new copy.StratError('SERIES_UNKNOWN', 'no series AAPL 5m'),
    ConfigError: new copy.ConfigError([{ path: 'mode', message: 'bad' }]),
    DataError: new copy.DataError('bad row', { file: 'a.csv', line: 3 }),
    StrategyLoadError: new copy.StrategyLoadError('strategies.nope', 'file not found'),
    IntervalError: new copy.IntervalError('5x'),
  };
}

type Kind = keyof ReturnType<typeof errorsOf>;
const KINDS: Kind[] = ['StratError', 'ConfigError', 'DataError', 'StrategyLoadError', 'IntervalError'];

describe('the ESM and CommonJS builds loaded side by side', () => {
  it('are two copies with classes of their own', () => {
    for (const kind of KINDS) expect(esm[kind]).not.toBe(cjs[kind]);
  });

  it('do not see each other’s errors through instanceof', () => {
    for (const [made, other] of [
      [cjs, esm],
      [esm, cjs],
    ] as const) {
      const errors = errorsOf(made);
      for (const kind of KINDS) {
        expect(errors[kind]).toBeInstanceOf(made[kind]);
        expect(errors[kind]).not.toBeInstanceOf(other[kind]);
      }
    }
  });

  it('recognise each other’s errors with isInstance, each kind as itself only', () => {
    for (const [made, other] of [
      [cjs, esm],
      [esm, cjs],
    ] as const) {
      const errors = errorsOf(made);
      for (const kind of KINDS) {
        expect(other.StratError.isInstance(errors[kind])).toBe(true);
        for (const asKind of KINDS.filter((k) => k !== 'StratError')) {
          expect(other[asKind].isInstance(errors[kind])).toBe(asKind === kind);
        }
      }
    }
  });

  it('narrow to the recognising copy’s class, fields included', () => {
    const error: unknown = errorsOf(cjs).DataError;
    if (!esm.DataError.isInstance(error)) throw new Error('expected a DataError');
    expect([error.file, error.line, error.code]).toEqual(['a.csv', 3, 'DATA_INVALID']);
  });
});
