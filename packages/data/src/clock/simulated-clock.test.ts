import { StratError } from '@strat/core';
import { describe, expect, it } from 'vitest';
import { SimulatedClock } from './simulated-clock';

describe('SimulatedClock', () => {
  it('shows the time set, moving forward only', () => {
    const clock = new SimulatedClock(1000);
    expect(clock.kind).toBe('simulated');
    expect(clock.now()).toBe(1000);
    clock.set(61_000);
    clock.set(61_000);
    expect(clock.now()).toBe(61_000);
    expect(() => clock.set(60_000)).toThrow(StratError);
    expect(() => clock.set(60_000)).toThrow(/cannot go back/);
    expect(clock.now()).toBe(61_000);
  });
});
