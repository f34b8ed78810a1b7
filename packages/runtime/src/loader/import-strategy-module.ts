import { StratError, StrategyLoadError } from '@strat/core';
import { importTsxApi } from './tsx-api';

const TYPESCRIPT_FILE = /\.[cm]?tsx?(?:[?#].*)?$/;

// The start of the message when tsx is missing: `Cannot load strategy module "x.ts": it is TypeScript, which needs tsx, ...`.
const TSX_SUBJECT = 'it is TypeScript, which';

let typeScriptLoader: Promise<void> | undefined;

/**
 * Registers tsx's ESM hooks in this thread (once), so that `import()` of a `.ts` strategy works
 * without a build step. Each worker thread has its own module loader and registers its own.
 * @throws StratError `TSX_MISSING` when tsx (an optional peer dependency) is not installed
 */
export function registerTypeScriptLoader(): Promise<void> {
  if (typeScriptLoader === undefined) {
    typeScriptLoader = importTsxApi(TSX_SUBJECT).then((api) => {
      api.register();
    });
    // A failed attempt is not kept: once tsx is installed, a later load in the same process works.
    typeScriptLoader.catch(() => {
      typeScriptLoader = undefined;
    });
  }
  return typeScriptLoader;
}

/**
 * Imports a strategy or scanner module from a file URL (see `strategyModuleUrl`), TypeScript
 * included.
 * @param spec the module path as written in the config, for the error message
 * @throws StrategyLoadError when the module cannot be loaded (missing, syntax error, failing import, a throw at top level)
 */
export async function importStrategyModule(url: string, spec: string): Promise<Record<string, unknown>> {
  const typeScript = TYPESCRIPT_FILE.test(url);
  try {
    if (typeScript) await registerTypeScriptLoader();
    try {
      return (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
    } catch (error) {
      // A .ts file in a package without "type": "module" is CommonJS to tsx, and Node 20's
      // require(esm) then refuses the import() as a cycle; tsx's scoped import loads it fine.
      if (!typeScript || (error as { code?: unknown }).code !== 'ERR_REQUIRE_CYCLE_MODULE') throw error;
      const api = await importTsxApi(TSX_SUBJECT);
      return unwrapCommonJs((await api.tsImport(url, import.meta.url)) as Record<string, unknown>);
    }
  } catch (error) {
    if (StratError.isInstance(error) && error.code === 'TSX_MISSING') {
      throw new StrategyLoadError(spec, error.message, { cause: error });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new StrategyLoadError(spec, `importing it failed: ${reason}`, { cause: error });
  }
}

/** A CommonJS module imported from ESM may expose its exports only as `default`. */
function unwrapCommonJs(namespace: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(namespace);
  const inner = namespace.default;
  if (keys.length === 1 && keys[0] === 'default' && inner !== null && typeof inner === 'object') {
    return { ...(inner as Record<string, unknown>) };
  }
  return namespace;
}
