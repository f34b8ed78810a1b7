import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { StrategyThread } from '../thread/strategy-thread';
import { resolveStrategyModule } from './resolve-strategy-module';

const cjsProject = fileURLToPath(new URL('../../test/cjs-project/', import.meta.url));

describe('importing TypeScript strategies', () => {
  // Vitest's own module runner hides the Node 20 require(esm) cycle error, so this goes through a
  // real worker thread, where strategies are imported with Node's loader and tsx as in a session.
  it('loads a .ts strategy from a package without "type": "module" (CommonJS scope) in a worker', async () => {
    const module = './cjs_scope_strategy.ts';
    const thread = new StrategyThread({
      name: 'cjs',
      module,
      resolved: resolveStrategyModule(module, {
        roots: [cjsProject],
        fromDir: cjsProject,
        strategyRoots: [cjsProject],
      }),
      executor: 'worker',
    });
    try {
      expect(await thread.start()).toEqual([['AAPL', '1m']]);
    } finally {
      await thread.stop();
    }
  });
});
