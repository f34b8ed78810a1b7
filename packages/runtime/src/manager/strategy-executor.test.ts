import { describe, expect, it } from 'vitest';
import { strategyExecutorOf } from './strategy-executor';

describe('strategyExecutorOf', () => {
  it("takes the override, else the entry's executor, else the session's default, else worker", () => {
    expect(strategyExecutorOf({}, undefined, undefined)).toBe('worker');
    expect(strategyExecutorOf({}, 'inline')).toBe('inline');
    expect(strategyExecutorOf({ executor: 'worker' }, 'inline')).toBe('worker');
    expect(strategyExecutorOf({ executor: 'worker' }, 'worker', 'inline')).toBe('inline');
    expect(strategyExecutorOf({ executor: 'inline' }, undefined, 'worker')).toBe('worker');
  });
});
