import { describe, expect, it } from 'vitest';
import { createLiveClock, FeedClock, LiveWallClock } from './live-clock';

describe('createLiveClock', () => {
  it('makes the clock live_config names', () => {
    expect(createLiveClock({ clock: 'wall' })).toBeInstanceOf(LiveWallClock);
    const feedClock = createLiveClock({ clock: 'feed', speed: 30 });
    expect(feedClock).toBeInstanceOf(FeedClock);
    expect((feedClock as FeedClock).speed).toBe(30);
    expect((createLiveClock({ clock: 'feed', speed: undefined }) as FeedClock).speed).toBe(1);
  });
});

describe('FeedClock', () => {
  it('reads the newest bar close, runs on at its speed, never goes back', () => {
    let wall = 1000;
    const clock = new FeedClock(60, () => wall);
    expect(clock.started).toBe(false);
    expect(clock.now()).toBeNaN();
    expect(clock.wallMsUntil(5)).toBe(Number.POSITIVE_INFINITY);
    clock.observeBar(600_000);
    expect(clock.now()).toBe(600_000);
    wall += 500;
    expect(clock.now()).toBe(630_000);
    expect(clock.wallMsUntil(660_000)).toBe(500);
    expect(clock.wallMsUntil(1)).toBe(0);
    clock.observeBar(620_000); // older than the running time: ignored
    expect(clock.now()).toBe(630_000);
    clock.observeBar(660_000);
    expect(clock.now()).toBe(660_000);
    clock.setSpeed(0);
    wall += 10_000;
    expect(clock.now()).toBe(660_000);
    expect(clock.wallMsUntil(660_001)).toBe(Number.POSITIVE_INFINITY);
  });

  it('LiveWallClock follows the wall clock', () => {
    let wall = 50;
    const clock = new LiveWallClock(() => wall);
    expect([clock.kind, clock.source, clock.started, clock.now()]).toEqual(['wall', 'wall', true, 50]);
    wall = 80;
    expect(clock.wallMsUntil(100)).toBe(20);
  });
});
