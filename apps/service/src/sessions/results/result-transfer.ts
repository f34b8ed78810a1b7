import type { EquitySeries, TradeRecord } from '@strat/runtime';
import type { SessionResultRecords, StrategyResultRecords } from './session-result-records';

/** Rows (trades plus equity rows) per message: a month of 1-minute steps is tens of thousands of equity rows. */
export const RESULT_ROWS_PER_PART = 5000;

/** The first message of a session's results: everything but the rows, and how many rows follow. */
export interface ResultsHead {
  strategies: (Omit<StrategyResultRecords, 'trades' | 'equity'> & { trades: number; equityRows: number })[];
  total: StrategyResultRecords['stats'];
}

/** A slice of one strategy's trades and equity rows, in order. */
export interface ResultsPart {
  /** Index of the strategy in {@link ResultsHead.strategies}. */
  strategy: number;
  trades: TradeRecord[];
  equity: EquitySeries;
}

/**
 * Splits results into a head and parts of at most `rowsPerPart` rows each, so that no message over
 * the session's channel grows with the length of the run. Sent in order, head first.
 */
export function splitResults(
  results: SessionResultRecords,
  rowsPerPart = RESULT_ROWS_PER_PART,
): { head: ResultsHead; parts: ResultsPart[] } {
  const head: ResultsHead = {
    strategies: results.strategies.map(({ trades, equity, ...rest }) => ({
      ...rest,
      trades: trades.length,
      equityRows: equity.time.length,
    })),
    total: results.total,
  };
  const parts: ResultsPart[] = [];
  results.strategies.forEach((s, strategy) => {
    for (let i = 0; i < s.trades.length; i += rowsPerPart) {
      parts.push({
        strategy,
        trades: s.trades.slice(i, i + rowsPerPart),
        equity: sliceSeries(s.equity, 0, 0),
      });
    }
    for (let i = 0; i < s.equity.time.length; i += rowsPerPart) {
      parts.push({ strategy, trades: [], equity: sliceSeries(s.equity, i, i + rowsPerPart) });
    }
  });
  return { head, parts };
}

function sliceSeries(series: EquitySeries, from: number, to: number): EquitySeries {
  return {
    time: series.time.slice(from, to),
    equity: series.equity.slice(from, to),
    cash: series.cash.slice(from, to),
    exposure: series.exposure.slice(from, to),
  };
}

/** Puts results back together from a head and its parts, checking that every row arrived. */
export class ResultsAssembler {
  readonly #head: ResultsHead;
  readonly #strategies: StrategyResultRecords[];

  constructor(head: ResultsHead) {
    this.#head = head;
    this.#strategies = head.strategies.map(({ trades: _t, equityRows: _e, ...rest }) => ({
      ...rest,
      trades: [],
      equity: { time: [], equity: [], cash: [], exposure: [] },
    }));
  }

  /** Adds a part (in the order sent). */
  add(part: ResultsPart): void {
    const target = this.#strategies[part.strategy];
    if (target === undefined) throw new Error(`results part of an unknown strategy #${part.strategy}`);
    for (const trade of part.trades) target.trades.push(trade);
    const { equity } = target;
    for (let i = 0; i < part.equity.time.length; i++) {
      equity.time.push(part.equity.time[i] as number);
      equity.equity.push(part.equity.equity[i] as number);
      equity.cash.push(part.equity.cash[i] as number);
      equity.exposure.push(part.equity.exposure[i] as number);
    }
  }

  /**
   * The whole results.
   * @throws Error when rows are missing (the head said more)
   */
  complete(): SessionResultRecords {
    this.#head.strategies.forEach((expected, i) => {
      const got = this.#strategies[i] as StrategyResultRecords;
      if (got.trades.length !== expected.trades || got.equity.time.length !== expected.equityRows) {
        throw new Error(
          `the results of ${expected.strategy} are incomplete: ${got.trades.length} of ${expected.trades} trades, ${got.equity.time.length} of ${expected.equityRows} equity rows`,
        );
      }
    });
    return { strategies: this.#strategies, total: this.#head.total };
  }
}
