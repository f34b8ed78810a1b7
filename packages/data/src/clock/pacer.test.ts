import { StratError } from '@strat/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Pacer } from './pacer';

function track(promise: Promise<void>): { settled: () => string } {
  let state = 'pending';
  promise.then(
    () => {
      state = 'resolved';
    },
    (error: unknown) => {
      state = `rejected: ${String(error)}`;
    },
  );
  return { settled: () => state };
}

describe('Pacer', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2024-03-11T12:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves when wall time reaches the scaled simulated time, not before', async () => {
    const pacer = new Pacer(60, 1_000_000);
    const wait = track(pacer.waitUntil(1_000_000 + 60_000));
    await vi.advanceTimersByTimeAsync(999);
    expect(wait.settled()).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(wait.settled()).toBe('resolved');
    expect(pacer.lagMs()).toBe(0);
  });

  it('releases waits in simulated-time order', async () => {
    const pacer = new Pacer(10, 0);
    const order: number[] = [];
    const waits = [30_000, 10_000, 20_000].map((sim) => pacer.waitUntil(sim).then(() => order.push(sim)));
    await vi.advanceTimersByTimeAsync(1500);
    expect(order).toEqual([10_000]);
    await vi.advanceTimersByTimeAsync(2000);
    await Promise.all(waits);
    expect(order).toEqual([10_000, 20_000, 30_000]);
  });

  it('resolves at once when already late, and reports the lag', async () => {
    const pacer = new Pacer(2, 0);
    await vi.advanceTimersByTimeAsync(5000);
    const wait = track(pacer.waitUntil(6000));
    await Promise.resolve();
    expect(wait.settled()).toBe('resolved');
    expect(pacer.lagMs()).toBe(2000);
    const early = track(pacer.waitUntil(20_000));
    expect(pacer.lagMs()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(early.settled()).toBe('resolved');
  });

  it('never waits at speed 0', async () => {
    const pacer = new Pacer(0, 0);
    const wait = track(pacer.waitUntil(Number.MAX_SAFE_INTEGER));
    await Promise.resolve();
    expect(wait.settled()).toBe('resolved');
    expect(pacer.lagMs()).toBe(0);
    expect(pacer.dueAt(123)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('rejects with the abort reason when aborted, before or during the wait', async () => {
    const pacer = new Pacer(1, 0);
    const controller = new AbortController();
    const wait = track(pacer.waitUntil(10_000, controller.signal));
    await vi.advanceTimersByTimeAsync(100);
    controller.abort(new Error('stopped'));
    await Promise.resolve();
    expect(wait.settled()).toBe('rejected: Error: stopped');
    expect(vi.getTimerCount()).toBe(0);
    await expect(pacer.waitUntil(20_000, controller.signal)).rejects.toThrow('stopped');
  });

  it('rejects a negative speed', () => {
    expect(() => new Pacer(-1, 0)).toThrow(StratError);
    expect(() => new Pacer(Number.NaN, 0)).toThrow(/speed_multiplier/);
  });
});

describe('Pacer with real timers', () => {
  it('waits with a real setTimeout and an injected clock', async () => {
    let wall = 0;
    const pacer = new Pacer(1000, 0, () => wall);
    const done = pacer.waitUntil(5000);
    let resolved = false;
    void done.then(() => {
      resolved = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(resolved).toBe(false);
    wall = 5;
    await new Promise((r) => setTimeout(r, 20));
    expect(resolved).toBe(true);
  });
});
