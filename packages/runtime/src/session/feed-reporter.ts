import type { Logger } from '@strat/core';
import type { BarFeed, FeedGap } from '@strat/data';
import type { SessionFeedEvent } from './session-types';

/** Where a feed's life is told: the session's events and its log. */
export interface FeedReporterSinks {
  feed: (event: SessionFeedEvent) => void;
  gap: (gap: FeedGap) => void;
  logger: Logger;
}

// A feed sending many bad bars must not flood the log: the first ones in full, then a note.
const PROBLEMS_LOGGED = 20;

/**
 * Tells a live session's feed's life as session events (`feed`, `gap`) and log lines: streaming
 * (again), reconnect attempts, stale-feed warnings, missed minutes, and bars that could not be used
 * (`problem`, the first 20 logged, then a note; the summary counts them all).
 */
export class FeedReporter {
  readonly #sinks: FeedReporterSinks;
  #problems = 0;

  constructor(sinks: FeedReporterSinks) {
    this.#sinks = sinks;
  }

  /** Starts reporting `feed`'s events. */
  follow(feed: BarFeed): void {
    const { logger } = this.#sinks;
    feed.on('state', (change) => {
      this.#sinks.feed({
        state: change.state,
        attempt: change.attempt,
        delayMs: change.delayMs,
        reason: change.reason,
        at: Date.now(),
      });
      if (change.state === 'streaming') {
        logger.info(`${change.reason === 'reconnected' ? 'streaming again' : 'streaming'} from ${feed.url}`);
      } else if (change.state === 'reconnecting') {
        logger.warn(
          `connection lost (${change.reason}); reconnect attempt ${change.attempt} in ${change.delayMs} ms`,
        );
      }
    });
    feed.on('stale', ({ silentMs }) => {
      this.#sinks.feed({ state: 'stale', attempt: 0, reason: `silent for ${silentMs} ms`, at: Date.now() });
      logger.warn(
        `the feed sent nothing for ${(silentMs / 1000).toFixed(1)} s during session hours; reconnecting`,
      );
    });
    feed.on('gap', (gap) => {
      this.#sinks.gap(gap);
      logger.warn(
        `${gap.symbol}: ${gap.missed} minute bar(s) missed while the feed was down ` +
          `(${new Date(gap.from).toISOString()} to ${new Date(gap.to).toISOString()})`,
        { symbol: gap.symbol, minutes: gap.missed },
      );
    });
    feed.on('problem', (problem) => this.problem(problem.message));
  }

  /** A bar or message that could not be used (from the feed or the processor). */
  problem(message: string): void {
    this.#problems++;
    if (this.#problems <= PROBLEMS_LOGGED) this.#sinks.logger.warn(message);
    else if (this.#problems === PROBLEMS_LOGGED + 1) {
      this.#sinks.logger.warn('more feed problems follow; the summary counts them');
    }
  }
}
