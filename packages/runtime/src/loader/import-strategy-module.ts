import { StrategyLoadError } from '@strat/core';

const TYPESCRIPT_FILE = /\.[cm]?tsx?(?:[?#].*)?$/;

let typeScriptLoader: Promise<void> | undefined;

/**
 * Registers tsx's ESM hooks in this thread (once), so that `import()` of a `.ts` strategy works
 * without a build step. Each worker thread has its own module loader and registers its own.
 */
export function registerTypeScriptLoader(): Promise<void> {
  typeScriptLoader ??= import('tsx/esm/api').then((api) => {
    api.register();
  });
  return typeScriptLoader;
}

/**
 * Imports a strategy or scanner module from a file URL (see `strategyModuleUrl`), TypeScript
 * included.
 * @param spec the module path as written in the config, for the error message
 * @throws StrategyLoadError when the module cannot be loaded (missing, syntax error, failing import, a throw at top level)
 */
export async function importStrategyModule(url: string, spec: string): Promise<Record<string, unknown>> {
  try {
    if (TYPESCRIPT_FILE.test(url)) await registerTypeScriptLoader();
    return (await import(/* @vite-ignore */ url)) as Record<string, unknown>;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StrategyLoadError(spec, `importing it failed: ${reason}`, { cause: error });
  }
}
