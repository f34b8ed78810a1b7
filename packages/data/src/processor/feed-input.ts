import type { LiveClock } from '../clock/live-clock';
import type { SourceReport } from '../sources/bar-source';
import type { BarFeed, FeedBar } from '../sources/feeds/bar-feed';
import { feedBarProblem } from '../sources/feeds/check-feed-bar';
import type { FeedError } from '../sources/feeds/feed-error';
import { SourceReportRecorder } from '../sources/source-report-recorder';
import type { BarInput, ReadAhead } from './bar-input';
import type { Lane } from './step-assembler';

/** Options of {@link FeedInput}. */
export interface FeedInputOptions {
  /** The feed; the input subscribes, connects and closes it. */
  feed: BarFeed;
  /** The session's time (`LiveWallClock` or `FeedClock`): deadlines are read on it. */
  clock: LiveClock;
  /** The base interval, ms (the feed's bars). */
  baseMs: number;
  /** A slot is complete once every lane has a bar for it, or this long (clock time) after it ended (default 2000). */
  stepGraceMs?: number;
  /** ...and at least this long (wall ms) after the newest bar arrived, so network jitter in a fast replay cannot split a slot (default 100). */
  minWallGraceMs?: number;
  /** Feed clock without a configured speed: adopt the speed a replay server announces on connect. */
  useAnnouncedSpeed?: boolean;
  /**
   * A bar that could not be used (late, out of order, for an unknown symbol, misaligned, bad values,
   * a time far from the session clock) or a refused subscription: told once per kind of problem;
   * every skipped bar is counted in `report()`.
   */
  onProblem?: (message: string) => void;
}

/** On the wall clock a bar may close at most this far ahead of the system time (clock skew). */
const WALL_CLOCK_AHEAD_MS = 5 * 60_000;
/** On the feed clock, this far ahead of the feed's time (a replay jumps over nights, weekends and holidays). */
const FEED_CLOCK_AHEAD_MS = 7 * 86_400_000;

interface FeedLane {
  readonly lane: Lane;
  readonly queue: FeedBar[];
  head: number;
  /** Start of the newest bar received, -Infinity before the first. */
  lastReceived: number;
  /** Slots from this one on wait for this lane's bar (it joined mid-run; Infinity when its subscription failed). */
  joinSlot: number;
}

/**
 * The push kind of input: a live {@link BarFeed}. Bars are queued per lane as they arrive (each
 * symbol's in time order). A slot is complete once every lane has a bar at or after it (the later
 * bar is evidence that none is coming for it), or once the clock passed the slot's end plus the
 * grace (a minute without trades has no bar) and some wall time passed since the newest bar. A
 * bar arriving for a slot already handed over is late: dropped, counted and reported (the store
 * never goes back in time); it then counts as missing in the bar quality.
 */
export class FeedInput implements BarInput {
  readonly #o: FeedInputOptions;
  readonly #feed: BarFeed;
  readonly #clock: LiveClock;
  readonly #baseMs: number;
  readonly #graceMs: number;
  readonly #minWallGraceMs: number;
  readonly #lanes: FeedLane[] = [];
  readonly #bySymbol = new Map<string, FeedLane>();
  readonly #report = new SourceReportRecorder();
  #opening: Promise<void> | undefined;
  #sealed = Number.NEGATIVE_INFINITY;
  #lastArrivalWall = 0;
  readonly #toldKinds = new Set<string>();
  #taken = 0;
  #late = 0;
  #ended = false;
  #closing = false;
  #interrupted = false;
  #failure: FeedError | undefined;
  #resolveWait: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #firstBar: Promise<void>;
  #resolveFirstBar: () => void = () => {};

  constructor(options: FeedInputOptions) {
    this.#o = options;
    this.#feed = options.feed;
    this.#clock = options.clock;
    this.#baseMs = options.baseMs;
    this.#graceMs = options.stepGraceMs ?? 2000;
    this.#minWallGraceMs = options.minWallGraceMs ?? 100;
    this.#firstBar = new Promise<void>((resolve) => {
      this.#resolveFirstBar = resolve;
    });
    this.#feed.on('bars', (bars) => this.#onBars(bars));
    this.#feed.on('closed', (error) => {
      if (error !== undefined) this.#failure = error;
      if (!this.#closing) this.#ended = true;
      this.#resolveFirstBar();
      this.#wakeUp();
    });
  }

  get ended(): boolean {
    return this.#ended || this.#failure !== undefined;
  }

  get failure(): Error | undefined {
    return this.#failure;
  }

  get taken(): number {
    return this.#taken;
  }

  get late(): number {
    return this.#late;
  }

  /** Subscribes every lane so far and connects (within the feed's connect timeout). Rejects with the feed's FeedError. */
  open(): Promise<void> {
    this.#opening ??= this.#connect();
    return this.#opening;
  }

  /** Nothing to get ready: connecting is `open`'s (a feed is not connected before the session runs). */
  prepare(_reads: readonly ReadAhead[]): Promise<void> {
    return Promise.resolve();
  }

  firstBar(): Promise<void> {
    return this.#firstBar;
  }

  /**
   * The feed has no history: a lane joining once the feed is open waits for bars from the current
   * minute on (its earlier minutes of the session count as missing); one joining before, for all.
   */
  async join(lane: Lane): Promise<void> {
    const clock = this.#clock;
    const joinSlot =
      this.#opening !== undefined && clock.started
        ? Math.max(this.#sealed, Math.floor(clock.now() / this.#baseMs) * this.#baseMs)
        : Number.NEGATIVE_INFINITY;
    const state: FeedLane = { lane, queue: [], head: 0, lastReceived: Number.NEGATIVE_INFINITY, joinSlot };
    this.#lanes.push(state);
    this.#bySymbol.set(lane.symbol, state);
    if (this.#feed.state === 'idle') return;
    this.#feed.subscribe([lane.symbol]).catch((error: FeedError) => {
      state.joinSlot = Number.POSITIVE_INFINITY;
      this.#o.onProblem?.(`cannot subscribe ${lane.symbol}: ${error.message}`);
    });
  }

  earliest(): number {
    let t = Number.POSITIVE_INFINITY;
    for (const s of this.#lanes) {
      const bar = s.queue[s.head];
      if (bar !== undefined && bar.time < t) t = bar.time;
    }
    return t;
  }

  complete(slot: number, end: number): boolean {
    for (const s of this.#lanes) {
      if (s.joinSlot <= slot && s.lastReceived < slot) return this.#timeUp(end + this.#graceMs);
    }
    return true;
  }

  take(time: number): undefined {
    for (const s of this.#lanes) {
      const bar = s.queue[s.head];
      if (bar === undefined || bar.time !== time) continue;
      s.lane.aggregator.pushBase(time, bar.open, bar.high, bar.low, bar.close, bar.volume);
      this.#pop(s);
      this.#taken++;
    }
    return undefined;
  }

  skip(time: number): number {
    let skipped = 0;
    for (const s of this.#lanes) {
      if (s.queue[s.head]?.time !== time) continue;
      this.#pop(s);
      skipped++;
    }
    return skipped;
  }

  seal(time: number): void {
    if (time > this.#sealed) this.#sealed = time;
  }

  /** Waits for bars, the end of the feed, an interrupt, or `deadline` on the clock (re-checking at least every second). */
  wait(deadline: number): Promise<void> {
    if (this.#interrupted || this.ended) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#resolveWait = resolve;
      // Judged in the next check phase, after the poll phase read what the socket holds: a stall
      // of the event loop must not look like a missing bar when its bar is already there.
      this.#timer = setTimeout(() => setImmediate(() => this.#wakeUp()), this.#msUntil(deadline));
    });
  }

  wake(): void {
    this.#wakeUp();
  }

  interrupt(running: boolean): void {
    this.#interrupted = true;
    // Not running yet: closing the feed ends a connect or a wait for the first bar at once.
    if (!running) void this.#feed.close();
    this.#resolveFirstBar();
    this.#wakeUp();
  }

  report(): SourceReport {
    return this.#report.snapshot();
  }

  async close(): Promise<void> {
    clearTimeout(this.#timer);
    this.#closing = true;
    await this.#feed.close();
  }

  async #connect(): Promise<void> {
    const feed = this.#feed;
    void feed.subscribe(this.#lanes.map((s) => s.lane.symbol));
    await feed.connect();
    const announced = feed.announcedSpeed;
    if (this.#o.useAnnouncedSpeed && announced !== undefined) this.#clock.setSpeed?.(announced);
  }

  #onBars(bars: FeedBar[]): void {
    let queued = false;
    for (const bar of bars) {
      this.#report.rowsRead++;
      const s = this.#usableLane(bar);
      if (s === undefined) continue;
      s.queue.push(bar);
      s.lastReceived = bar.time;
      this.#clock.observeBar(bar.time + this.#baseMs);
      queued = true;
    }
    if (!queued) return;
    this.#lastArrivalWall = Date.now();
    this.#resolveFirstBar();
    this.#wakeUp();
  }

  /** The lane a bar goes to, or undefined when it cannot be used (then it is counted and told). */
  #usableLane(bar: FeedBar): FeedLane | undefined {
    const s = this.#bySymbol.get(bar.symbol);
    if (s === undefined) {
      this.#skipBar('symbol', `a bar of ${bar.symbol.slice(0, 40)}, which the session does not stream`);
      return undefined;
    }
    const bad = feedBarProblem(bar);
    if (bad !== undefined) {
      this.#skipBar(bad.kind, `${bad.message} (skipped)`);
      return undefined;
    }
    if (bar.time % this.#baseMs !== 0) {
      this.#skipBar('aligned', `bar ${bar.symbol} at ${iso(bar.time)} does not start on a whole minute`);
      return undefined;
    }
    const ahead = this.#clock.started ? bar.time + this.#baseMs - this.#clock.now() : 0;
    const limit = this.#clock.source === 'feed' ? FEED_CLOCK_AHEAD_MS : WALL_CLOCK_AHEAD_MS;
    if (ahead > limit) {
      this.#skipBar(
        'future',
        `bar ${bar.symbol} at ${iso(bar.time)} closes ${Math.round(ahead / 60_000)} minutes after the session clock (skipped)`,
      );
      return undefined;
    }
    if (bar.time <= s.lastReceived || bar.time < this.#sealed) {
      this.#late++;
      if (bar.time <= s.lastReceived) {
        this.#skipBar(
          'order',
          `bar ${bar.symbol} at ${iso(bar.time)} repeats or precedes an earlier bar (dropped)`,
        );
      } else {
        this.#skipBar(
          'late',
          `bar ${bar.symbol} at ${iso(bar.time)} arrived after its minute was handed over (late, dropped)`,
        );
      }
      return undefined;
    }
    return s;
  }

  #timeUp(time: number): boolean {
    return this.#clock.wallMsUntil(time) === 0 && Date.now() - this.#lastArrivalWall >= this.#minWallGraceMs;
  }

  /** Wall ms to sleep until `deadline` (plus the grace) is due on the clock, between 1 and 1000. */
  #msUntil(deadline: number): number {
    const due = Number.isFinite(deadline) ? deadline + this.#graceMs : deadline;
    const wallFloor = this.#lastArrivalWall + this.#minWallGraceMs - Date.now();
    const ms = Math.max(this.#clock.wallMsUntil(due), wallFloor);
    return Math.min(1000, Math.max(1, Math.ceil(ms)));
  }

  #pop(s: FeedLane): void {
    s.head++;
    if (s.head === s.queue.length) {
      s.queue.length = 0;
      s.head = 0;
    } else if (s.head > 1024) {
      s.queue.splice(0, s.head);
      s.head = 0;
    }
  }

  #skipBar(kind: string, message: string): void {
    this.#report.recordSkip({ message });
    if (this.#toldKinds.has(kind)) return;
    this.#toldKinds.add(kind);
    this.#o.onProblem?.(`${message}; further bars skipped for this reason are counted, not logged`);
  }

  #wakeUp(): void {
    clearTimeout(this.#timer);
    const resolve = this.#resolveWait;
    this.#resolveWait = undefined;
    resolve?.();
  }
}

function iso(time: number): string {
  return new Date(time).toISOString();
}
