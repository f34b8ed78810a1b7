/** How a dropped feed connection is retried (the session config's `live_config.reconnect`). */
export interface ReconnectPolicy {
  /** Wait before the first attempt, ms. */
  initialDelayMs: number;
  /** Longest wait, ms. */
  maxDelayMs: number;
  /** Growth of the wait per failed attempt. */
  multiplier: number;
  /** Share of each wait taken off at random, 0..1, so many clients do not retry in step. */
  jitter: number;
  /** Attempts in a row before giving up; 0 = never give up. */
  maxAttempts: number;
}

/** The defaults of `live_config.reconnect`. */
export const DEFAULT_RECONNECT_POLICY: Readonly<ReconnectPolicy> = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  multiplier: 2,
  jitter: 0.3,
  maxAttempts: 0,
};

/**
 * The wait before reconnect attempt `attempt` (1 = the first): exponential backoff capped at
 * `maxDelayMs`, minus a random share of up to `jitter` of it. `random` returns [0, 1).
 */
export function reconnectDelay(
  policy: ReconnectPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const base = Math.min(
    policy.maxDelayMs,
    policy.initialDelayMs * policy.multiplier ** Math.max(0, attempt - 1),
  );
  return Math.round(base * (1 - policy.jitter * random()));
}
