/**
 * The session's notion of "now". Backtests use a {@link SimulatedClock} that the data processor moves
 * to the close of the bars being handled; live sessions use the {@link WallClock}.
 */
export interface TimeManager {
  /** `simulated` in backtests, `wall` live. */
  readonly kind: 'simulated' | 'wall';
  /** The current time, epoch ms UTC. */
  now(): number;
}
