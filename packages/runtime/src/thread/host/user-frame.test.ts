import { describe, expect, it } from 'vitest';
import { firstUserFrame } from './user-frame';

const internal = ['/repo/packages/runtime/dist/', '/repo/packages/core/dist/'];

describe('firstUserFrame', () => {
  it('skips Node, node_modules and the runtime, and reads paths and file URLs', () => {
    const stack = [
      "TypeError: Cannot read properties of undefined (reading 'at')",
      '    at Array.map (<anonymous>)',
      '    at BaseStrategy.get context (file:///repo/packages/core/dist/index.js:10:5)',
      '    at lib (/proj/node_modules/lodash/lodash.js:1:2)',
      '    at MyStrategy.onBars (/proj/strategies/my_strategy.ts:13:37)',
      '    at #handleBar (file:///repo/packages/runtime/dist/chunk-A.js:1031:25)',
      '    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    ].join('\n');
    expect(firstUserFrame(stack, internal)).toEqual({
      file: '/proj/strategies/my_strategy.ts',
      line: 13,
      column: 37,
    });
    expect(firstUserFrame('Error: x\n    at file:///proj/strategies/a%20b.js:2:9', internal)).toEqual({
      file: '/proj/strategies/a b.js',
      line: 2,
      column: 9,
    });
  });

  it('falls back to a frame under node_modules (a strategy from an installed package), else gives none', () => {
    const fromPackage = [
      'Error: bad config',
      '    at new RsiStrategy (/proj/node_modules/@acme/strategies/dist/rsi.js:4:11)',
      '    at constructStrategy (/repo/packages/runtime/dist/chunk-A.js:7:1)',
    ].join('\n');
    expect(firstUserFrame(fromPackage, internal)?.file).toBe(
      '/proj/node_modules/@acme/strategies/dist/rsi.js',
    );
    const ours = 'Error: x\n    at f (/repo/packages/runtime/dist/index.js:1:1)\n    at node:internal/x:1:1';
    expect(firstUserFrame(ours, internal)).toBeUndefined();
    expect(firstUserFrame(undefined, internal)).toBeUndefined();
    expect(firstUserFrame('Error: no frames at all', internal)).toBeUndefined();
  });
});
