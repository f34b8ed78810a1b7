import { ConfigError, DataError, type Interval, intervalToMs, StratError } from '@strat/core';
import type { TradingCalendar, TradingHoliday, TradingSession } from '../calendar/trading-calendar';
import { SimulatedClock } from '../clock/simulated-clock';
import type { TimeManager } from '../clock/time-manager';
import {
  type SeriesQualityRecord,
  type SessionQualityReport,
  summarizeQuality,
} from '../quality/quality-report';
import type { SourceReport } from '../sources/bar-source';
import { baseStreamIssue } from '../sources/check-data-config';
import type { BarInput, JoinPoint, ReadAhead } from './bar-input';
import type {
  AddSymbolOptions,
  ClosedDayWithBars,
  DataProcessorOptions,
  ProcessorProgress,
  ProcessorSummary,
  ReplayProcessorOptions,
} from './data-processor-options';
import { FeedInput } from './feed-input';
import { HistoricalInput } from './historical-input';
import { LivePacing, type Pacing, ReplayPacing } from './pacing';
import { SessionSchedule } from './session-schedule';
import { StepAssembler } from './step-assembler';

/** Closed dates with bars listed in a summary (all are counted). */
const MAX_CLOSED_DAYS = 100;
/**
 * The one data processor: merges base bars of every symbol by time, session by session, writes
 * them and the bars derived from them into the store, and tells a consumer about every closed bar
 * in a deterministic order (close time, then symbol in joining order, then interval). The same
 * loop replays history and follows live feeds; what differs is behind two seams:
 *
 * - the input ({@link BarInput}): a historical source is pulled (`HistoricalInput`), a feed pushes
 *   (`FeedInput`: a time step is taken once every symbol's bar for it is in, or the clock says it
 *   is not coming);
 * - the pacing ({@link Pacing}): none (data-driven), a simulated clock at a speed multiple, or the
 *   live wall/feed clock.
 *
 * For each time step T: derived buckets that ended by T close, the base bars at T are written and
 * their derived bars updated, the pacing reaches T + base interval, the closed bars go to the
 * consumer and `onStep` lets it apply backpressure. Sessions are walked in calendar order (those
 * without bars too); symbols may join mid-run (`addSymbol`).
 */
export class DataProcessor {
  readonly #o: DataProcessorOptions;
  readonly #baseInterval: Interval;
  readonly #baseMs: number;
  readonly #input: BarInput;
  readonly #pacing: Pacing;
  readonly #schedule: SessionSchedule;
  readonly #assembler: StepAssembler;
  readonly #pending: { symbol: string; warmupBars: number }[] = [];
  #session: TradingSession | undefined;
  #inSession = false;
  #sessionsStarted = 0;
  #firstSessionDate = '';
  #barsOutside = 0;
  #barsOnClosedDays = 0;
  readonly #closedDays = new Map<number, number>();
  #firstStepAt = Number.NaN;
  #stopped = false;
  #running = false;
  #barsTotal = 0;
  #opening: Promise<void> | undefined;

  /** @throws ConfigError when the shortest stream is not the interval of the source's or the feed's bars */
  constructor(options: DataProcessorOptions) {
    this.#o = options;
    const streams = [...new Set(options.streams)].sort((a, b) => intervalToMs(a) - intervalToMs(b));
    if (streams.length === 0) throw new StratError('STREAMS_EMPTY', 'a session needs at least one stream');
    this.#baseInterval = streams[0] as Interval;
    this.#baseMs = intervalToMs(this.#baseInterval);
    if ('feed' in options) {
      this.#requireBaseInterval({ feed: true }, options.feed.interval);
      this.#schedule = new SessionSchedule(options.calendar, { endDate: options.endDate });
      this.#pacing = new LivePacing(options.clock);
      this.#input = new FeedInput({
        feed: options.feed,
        clock: options.clock,
        baseMs: this.#baseMs,
        stepGraceMs: options.stepGraceMs,
        minWallGraceMs: options.minWallGraceMs,
        useAnnouncedSpeed: options.useAnnouncedSpeed,
        onProblem: options.onProblem,
      });
    } else {
      this.#requireBaseInterval({ source: options.source.description }, options.source.interval);
      this.#schedule = new SessionSchedule(options.calendar, options);
      this.#pacing = new ReplayPacing(options.clock ?? new SimulatedClock(), options.speedMultiplier ?? 0);
      this.#input = new HistoricalInput(options.source, this.#baseMs, this.#schedule.dayRange.to);
    }
    this.#assembler = new StepAssembler({
      store: options.store,
      streams,
      gapFill: options.gapFill,
      consumer: options.consumer,
    });
    for (const symbol of options.symbols) this.addSymbol(symbol);
  }

  /** The session's clock: simulated in a replay (this processor moves it), the wall or feed clock live. */
  get clock(): TimeManager {
    return this.#pacing.clock;
  }

  /** The base (shortest) interval. */
  get baseInterval(): Interval {
    return this.#baseInterval;
  }

  /** Symbols streaming now or from the next step (config symbols, then added ones in the order they joined). */
  get symbols(): string[] {
    return [...this.#assembler.lanes.map((lane) => lane.symbol), ...this.#pending.map((p) => p.symbol)];
  }

  /**
   * When the session starts (epoch ms), as far as known before bars flow: a replay's first
   * session open; live, the open of the session in progress (or the next one) on a running clock;
   * undefined while a feed clock waits for its first bar.
   */
  startTime(): number | undefined {
    const first = this.#schedule.first;
    if (first !== undefined) return first.open;
    const clock = this.#pacing.clock;
    if (!this.#pacing.started) return undefined;
    return this.#schedule.next(undefined, clock.now())?.open ?? clock.now();
  }

  /** Bar quality per session and series so far (sessions in time order). */
  getQualityReport(): SessionQualityReport[] {
    return this.#assembler.qualityReport();
  }

  /** Bar quality per series summed over every session so far: expected, received, filled, percent. */
  getQualitySummary(): SeriesQualityRecord[] {
    return summarizeQuality(this.getQualityReport());
  }

  /** Rows or bars read from the source or feed so far, those skipped and the first problems. */
  report(): SourceReport {
    return this.#input.report();
  }

  /** Progress so far. */
  progress(): ProcessorProgress {
    const done = this.#input.taken;
    const now = this.#pacing.clock.now();
    const delivered = this.#assembler.lastDelivered;
    return {
      barsDone: done,
      barsTotal: Math.max(this.#barsTotal, done),
      time: Number.isFinite(now) ? now : Number.isFinite(delivered) ? delivered : 0,
      sessionDate: this.#session?.date ?? '',
    };
  }

  /**
   * Adds a symbol: from the next time step on its bars stream like the others. Joining a replay
   * mid-session, the session's bars before now load as history (not notified), after `warmupBars`
   * base bars of earlier sessions; a live feed has no history, so its earlier minutes of the
   * session count as missing. Adding a symbol already streaming does nothing (returns false).
   */
  addSymbol(symbol: string, options: AddSymbolOptions = {}): boolean {
    if (this.symbols.includes(symbol)) return false;
    this.#pending.push({ symbol, warmupBars: options.warmupBars ?? this.#o.warmupBars ?? 0 });
    if (this.#running) this.#input.wake();
    return true;
  }

  /**
   * Opens the input ahead of `run`: the symbols so far join (a replay opens their cursors and loads
   * their history; a feed subscribes them and connects). Idempotent; `run` opens when needed.
   * Rejects with the feed's FeedError (refused credentials, unreachable URL).
   */
  open(): Promise<void> {
    this.#opening ??= this.#joinPending().then(() => this.#input.open());
    return this.#opening;
  }

  /**
   * Gets the input ready to open without touching the store or any lane: a replay's source loads its
   * reader's code (Arrow, Parquet), and the reads of the symbols that join at the start without
   * history begin (a CSV parsing thread starts, a catalog partition decodes); their bars reach the
   * store only once the run takes them. A session runs it while its strategies start. Never
   * rejects: a problem is reported by `open` or `run`, as without it. Does nothing once opened.
   */
  prepare(): Promise<void> {
    if (this.#opening !== undefined || this.#running) return Promise.resolve();
    // Lanes that will join at the start without history: their reads may begin now.
    const reads: ReadAhead[] = [];
    for (const { symbol, warmupBars } of this.#pending) {
      const at = this.#joinPoint(warmupBars);
      if (warmupBars === 0 && at.session === undefined) reads.push({ symbol, from: at.time });
    }
    return this.#input.prepare(reads);
  }

  /** Resolves when the first bar is in (a feed clock knows the time from then on), or the run ended first. */
  firstBar(): Promise<void> {
    return this.#input.firstBar();
  }

  /** Lets go of the source or the feed (a feed opened ahead of a run that never came). Idempotent. */
  close(): Promise<void> {
    return this.#input.close();
  }

  /** Ends the run after the current time step (the store stays consistent); live, the feed closes. */
  stop(): void {
    this.#stopped = true;
    this.#input.interrupt(this.#running);
  }

  /**
   * Runs to the end: a replay through its last session, live until `stop()`, the end date's
   * session close or a fatal feed error (which rejects). Rejects on a data error.
   */
  async run(): Promise<ProcessorSummary> {
    if (this.#running) throw new StratError('PROCESSOR_RUNNING', 'the data processor is already running');
    const started = performance.now();
    const fixed = this.#schedule.fixedSessions;
    if (fixed !== undefined) {
      const first = fixed[0];
      if (first === undefined) {
        const o = this.#o as ReplayProcessorOptions;
        throw new DataError(
          `no trading sessions between ${o.startDate} and ${o.endDate} in the calendar`,
          {},
          { code: 'NO_SESSIONS' },
        );
      }
      const slots = fixed.reduce((n, s) => n + Math.ceil((s.close - s.open) / this.#baseMs), 0);
      this.#barsTotal = slots * this.symbols.length;
      this.#pacing.start(first.open);
    }
    this.#running = true;
    const input = this.#input;
    try {
      if (!this.#stopped) await this.open();
      await this.#loop();
    } finally {
      await input.close();
      this.#running = false;
    }
    if (input.failure !== undefined && !this.#stopped) throw input.failure;
    this.#o.onProgress?.(this.progress());
    const lastDate = this.#session?.date ?? '';
    const replay = 'source' in this.#o ? this.#o : undefined;
    return {
      barsDone: input.taken,
      barsPublished: this.#assembler.published,
      barsOutsideSessions: this.#barsOutside,
      barsOnClosedDays: this.#barsOnClosedDays,
      closedDaysWithBars: this.#closedDaysWithBars(),
      holidays: this.#holidaysIn(replay?.startDate ?? this.#firstSessionDate, replay?.endDate ?? lastDate),
      lateBars: input.late,
      barsReceived: input.report().rowsRead,
      sessions: this.#sessionsStarted,
      startDate: replay?.startDate ?? this.#firstSessionDate,
      endDate: replay?.endDate ?? lastDate,
      stopped: this.#stopped || input.ended,
      wallMs: performance.now() - started,
      replayMs: Number.isNaN(this.#firstStepAt) ? 0 : performance.now() - this.#firstStepAt,
    };
  }

  /** The one loop: joins, session ends and starts, steps, waits; until the range ends, a stop, or the feed ends. */
  async #loop(): Promise<void> {
    const input = this.#input;
    const progressEvery = this.#o.progressEvery ?? 50_000;
    const progressEveryMs = this.#o.progressEveryMs ?? 1000;
    let nextProgress = progressEvery;
    let lastProgressAt = performance.now();
    let waited = false;
    for (;;) {
      if (this.#stopped || input.ended) return;
      if (this.#pending.length > 0) await this.#joinPending();
      const t = input.earliest();
      const session = this.#session;
      if (this.#inSession && t >= (session as TradingSession).close) {
        const s = session as TradingSession;
        if (t === Number.POSITIVE_INFINITY && !input.complete(this.#lastSlot(s), s.close)) {
          await input.wait(s.close);
          waited = true;
          continue;
        }
        await this.#endSession(s);
        if (this.#schedule.isLast(s)) {
          await this.#countRestOutside();
          return;
        }
        continue;
      }
      if (t === Number.POSITIVE_INFINITY) {
        if (input.complete(this.#schedule.endTime, this.#schedule.endTime)) {
          await this.#walkSessionsUntil(Number.POSITIVE_INFINITY);
          return;
        }
        await input.wait(this.#schedule.endTime);
        waited = true;
        continue;
      }
      if (!this.#inSession && !(await this.#enterSessionOf(t))) {
        // Past the last session: the run is over once the clock says so, never because of one bar.
        const end = this.#schedule.endTime;
        if (input.complete(end, end)) return;
        this.#countOutside(t, await input.skip(t));
        continue;
      }
      if (!input.complete(t, t + this.#baseMs)) {
        await input.wait(t + this.#baseMs);
        waited = true;
        continue;
      }
      const current = this.#session as TradingSession;
      if (t < current.open) {
        // Before the session opens (or between sessions): bars outside the calendar are skipped.
        this.#countOutside(t, await input.skip(t));
        input.seal(t + this.#baseMs);
        continue;
      }
      const stepping = this.#step(t, current);
      if (stepping !== undefined) await stepping;
      const done = input.taken;
      if (done >= nextProgress || (waited && performance.now() - lastProgressAt >= progressEveryMs)) {
        nextProgress = done + progressEvery;
        lastProgressAt = performance.now();
        waited = false;
        this.#o.onProgress?.(this.progress());
      }
    }
  }

  /**
   * One time step: the bars starting at `t` into the store, derived bars closed, the pacing
   * reached, delivery. Synchronous unless reading on, pacing or the consumer waits: a data-driven
   * replay's loop then runs without a promise per step.
   */
  #step(t: number, session: TradingSession): Promise<void> | undefined {
    if (Number.isNaN(this.#firstStepAt)) this.#firstStepAt = performance.now();
    this.#assembler.advanceTo(t);
    const reading = this.#input.take(t);
    if (reading !== undefined) return reading.then(() => this.#deliverStep(t, session));
    return this.#deliverStep(t, session);
  }

  #deliverStep(t: number, session: TradingSession): Promise<void> | undefined {
    const closeTime = Math.min(t + this.#baseMs, session.close);
    this.#input.seal(t + this.#baseMs);
    const pace = this.#pacing.reach(closeTime);
    if (pace !== undefined) return pace.then(() => this.#assembler.deliver(closeTime));
    return this.#assembler.deliver(closeTime);
  }

  /**
   * Counts skipped bars outside the sessions; those whose session date has no session at all (a
   * holiday or a weekend: often a wrong time zone) are counted apart, per date.
   */
  #countOutside(t: number, bars: number): void {
    if (bars === 0) return;
    this.#barsOutside += bars;
    const calendar = this.#o.calendar;
    const day = calendar.sessionDay(t);
    if (calendar.isSessionDay(day)) return;
    this.#barsOnClosedDays += bars;
    const seen = this.#closedDays.get(day);
    if (seen !== undefined) this.#closedDays.set(day, seen + bars);
    else if (this.#closedDays.size < MAX_CLOSED_DAYS) {
      this.#closedDays.set(day, bars);
      // Live, the summary comes only at the end: tell it as it happens, once per closed date (a
      // replay's summary names them; `strat data inspect` too).
      if ('feed' in this.#o) this.#o.onProblem?.(closedDayMessage(calendar, day, t));
    }
  }

  #holidaysIn(from: string, to: string): TradingHoliday[] {
    return from === '' || to === '' || to < from ? [] : this.#o.calendar.holidays(from, to);
  }

  #closedDaysWithBars(): ClosedDayWithBars[] {
    const calendar = this.#o.calendar;
    return [...this.#closedDays].map(([day, bars]) => {
      const date = calendar.dateOfDay(day);
      return { date, name: calendar.holidayOn(date) ?? 'not a trading weekday', bars };
    });
  }

  /** Counts what the input still holds after the last session (a replay's rows after the close) as outside. */
  async #countRestOutside(): Promise<void> {
    const input = this.#input;
    for (let t = input.earliest(); t !== Number.POSITIVE_INFINITY; t = input.earliest()) {
      this.#countOutside(t, await input.skip(t));
    }
  }

  /**
   * Starts the session holding `t` (or the next one), walking through the sessions before it that
   * had no bars (they start and end, and count as sessions with nothing received). False past the
   * end of the range.
   */
  async #enterSessionOf(t: number): Promise<boolean> {
    await this.#walkSessionsUntil(t);
    const next = this.#schedule.next(this.#session, t);
    if (next === undefined) return false;
    this.#startSession(next);
    return true;
  }

  /** Starts and ends every session of the schedule that closes by `time`. */
  async #walkSessionsUntil(time: number): Promise<void> {
    for (;;) {
      const next = this.#schedule.next(this.#session, time);
      if (next === undefined || next.close > time || this.#stopped) return;
      this.#startSession(next);
      await this.#endSession(next);
    }
  }

  #startSession(session: TradingSession): void {
    this.#session = session;
    this.#inSession = true;
    this.#sessionsStarted++;
    if (this.#firstSessionDate === '') this.#firstSessionDate = session.date;
    this.#assembler.startSession(session);
  }

  async #endSession(session: TradingSession): Promise<void> {
    this.#assembler.endSession(session);
    this.#inSession = false;
    this.#pacing.jump(session.close);
    this.#input.seal(session.close);
    const wait = this.#assembler.deliver(session.close);
    if (wait !== undefined) await wait;
    await this.#o.consumer?.onSessionEnd?.(session);
  }

  /** Joins symbols added since the last step: each catches up silently (history), then streams. */
  async #joinPending(): Promise<void> {
    for (let next = this.#pending[0]; next !== undefined; next = this.#pending[0]) {
      const { symbol, warmupBars } = next;
      // The lane exists before the pending entry goes: `symbols` never misses a joining symbol.
      const lane = this.#assembler.addLane(symbol, true);
      this.#pending.shift();
      const at = this.#joinPoint(warmupBars);
      await this.#input.join(lane, at);
      const session = at.session;
      if (session !== undefined && at.inSession && at.time < session.close && !lane.aggregator.inSession) {
        lane.aggregator.startSession(session.open, session.close);
        if (Number.isFinite(at.time)) lane.aggregator.advanceTo(at.time);
      }
      lane.silent = false;
      this.#assembler.announceQuality(lane);
    }
  }

  #joinPoint(warmupBars: number): JoinPoint {
    const delivered = this.#assembler.lastDelivered;
    return {
      // Before the first step a replay joins at the start of its first date: rows before the open count as outside.
      time: Number.isFinite(delivered) ? delivered : Math.max(this.#schedule.dayRange.from, delivered),
      session: this.#session,
      inSession: this.#inSession,
      warmupBars,
      schedule: this.#schedule,
    };
  }

  /** Start of the last base slot of `session`. */
  #lastSlot(session: TradingSession): number {
    return session.open + (Math.ceil((session.close - session.open) / this.#baseMs) - 1) * this.#baseMs;
  }

  #requireBaseInterval(what: { source: string } | { feed: true }, interval: Interval): void {
    const issue = baseStreamIssue(what, interval, this.#o.streams);
    if (issue !== undefined) throw new ConfigError([issue]);
  }
}

/** What a live run says about the first bar on a date without a session. */
function closedDayMessage(calendar: TradingCalendar, day: number, time: number): string {
  const date = calendar.dateOfDay(day);
  const name = calendar.holidayOn(date) ?? 'not a trading weekday';
  return (
    `a bar at ${new Date(time).toISOString()} falls on ${date} (${name}), a day the calendar has no session: ` +
    'skipped (a wrong time zone of the feed or of the calendar?); more bars that day are counted, not logged'
  );
}
