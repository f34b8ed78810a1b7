import { StratError } from '@strat/core';
import { findTsxApi } from './find-tsx-api';

/** What the runtime uses of tsx's ESM API (`tsx/esm/api`). */
export interface TsxApi {
  /** Registers tsx's loader hooks in the calling thread. */
  register(): unknown;
  /** Imports one TypeScript module through tsx without registering it for the whole thread. */
  tsImport(specifier: string, parentURL: string): Promise<unknown>;
}

/**
 * The file URL of tsx's ESM API as installed for this package: tsx is an optional peer dependency
 * of @strat/runtime, needed only to load TypeScript (strategy modules, worker scripts from sources).
 * @param subject the start of the message when tsx is missing: `it is TypeScript, which`
 * @param fromDir where the search starts (default: this package's own folder)
 * @throws StratError `TSX_MISSING` when tsx is not installed, saying how to install it
 */
export function resolveTsxApi(subject: string, fromDir?: string): string {
  const api = findTsxApi(fromDir);
  if (api === undefined) {
    throw new StratError(
      'TSX_MISSING',
      `${subject} needs tsx, an optional peer dependency of @strat/runtime, and tsx is not installed: ` +
        'install it in your project (npm install --save-dev tsx, or pnpm add -D tsx)',
    );
  }
  return api;
}

/**
 * Imports tsx's ESM API (see {@link resolveTsxApi}).
 * @throws StratError `TSX_MISSING` when tsx is not installed
 */
export async function importTsxApi(subject: string, fromDir?: string): Promise<TsxApi> {
  return (await import(/* @vite-ignore */ resolveTsxApi(subject, fromDir))) as TsxApi;
}
