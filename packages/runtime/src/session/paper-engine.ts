import type { EquityPoint, ExecutionSettings, Fill } from '../execution/execution-types';
import type { MarketSeries } from '../execution/market-book';
import type { AccountResult } from '../execution/paper-account';
import { PaperBroker } from '../execution/paper-broker';
import type { PaperChunk } from './paper-stream';
import { PaperTap } from './paper-tap';

/** Where one strategy's account stands (the `equity` event). */
export type StrategyEquity = { strategy: string } & EquityPoint;

/** The `equity` event comes at most this often (wall time), and once at the end. */
const EQUITY_EVERY_MS = 1000;

/**
 * Paper execution proper: the broker and its accounts, fed by a {@link PaperTap} with the chunks a
 * `PaperRecorder` made. The same in the session's thread and in the paper thread.
 */
export class PaperEngine {
  readonly #broker: PaperBroker;
  readonly #tap: PaperTap<MarketSeries>;
  readonly #onEquity: (points: StrategyEquity[]) => void;
  #equityToldAt = 0;

  /**
   * @param settings - per strategy name, its effective settings, in account order
   * @param onFill - each fill, as it happens
   * @param onEquity - where the accounts stand, at most once a second and at the end
   */
  constructor(
    settings: ReadonlyMap<string, ExecutionSettings>,
    onFill: (fill: Fill) => void,
    onEquity: (points: StrategyEquity[]) => void,
  ) {
    this.#broker = new PaperBroker(settings, onFill);
    this.#tap = new PaperTap(this.#broker);
    this.#onEquity = onEquity;
  }

  /** Replays a chunk of what the session told. */
  apply(chunk: PaperChunk): void {
    this.#tap.apply(chunk);
    const now = performance.now();
    if (now - this.#equityToldAt >= EQUITY_EVERY_MS) {
      this.#equityToldAt = now;
      const points = this.#broker.snapshot();
      if (points.length > 0) this.#onEquity(points);
    }
  }

  /** The session ended: settles what waits and closes the books (the accounts as they ended, in order). */
  finish(): AccountResult[] {
    this.#tap.released(Number.POSITIVE_INFINITY);
    const last = this.#broker.snapshot();
    if (last.length > 0) this.#onEquity(last);
    return [...this.#broker.finish().values()];
  }
}
