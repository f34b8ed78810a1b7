import { describe, expect, it } from 'vitest';
import { DEFAULT_RECONNECT_POLICY, reconnectDelay } from './reconnect-backoff';

describe('reconnectDelay', () => {
  it('doubles from the initial delay up to the cap, without jitter', () => {
    const policy = { ...DEFAULT_RECONNECT_POLICY, initialDelayMs: 100, maxDelayMs: 1000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((n) => reconnectDelay(policy, n))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });

  it('takes a random share of up to `jitter` off each wait', () => {
    const policy = { ...DEFAULT_RECONNECT_POLICY, initialDelayMs: 1000, jitter: 0.5 };
    expect(reconnectDelay(policy, 1, () => 0)).toBe(1000);
    expect(reconnectDelay(policy, 1, () => 0.999_999)).toBe(500);
    const spread = new Set(Array.from({ length: 50 }, () => reconnectDelay(policy, 2)));
    expect(spread.size).toBeGreaterThan(5);
    for (const d of spread) expect(d >= 1000 && d <= 2000).toBe(true);
  });
});
