// @ts-check
// The workloads' strategies written the straightforward way: each keeps its bars as an array of
// objects and recomputes what it needs with slice/reduce. Same rules as the real ones (the SMA
// cross gives exactly the same signals as @strat/examples' SimpleMaCrossStrategy).

/**
 * A bar as a plain object.
 * @typedef {{ time: number, open: number, high: number, low: number, close: number, volume: number }} NaiveBar
 */

/**
 * A signal as a plain object.
 * @typedef {{ symbol: string, action: 'BUY' | 'SELL', price: number, reason: string, metadata: Record<string, unknown> }} NaiveSignal
 */

/**
 * One strategy: called with every bar of every series it trades, returns its signals.
 * @typedef {{ interval: string, onBar(symbol: string, bars: NaiveBar[]): NaiveSignal[] }} NaiveStrategy
 */

/** @type {NaiveSignal[]} */
const NONE = [];

/** @param {NaiveBar[]} bars */
const meanClose = (bars) => bars.reduce((sum, bar) => sum + bar.close, 0) / bars.length;

/**
 * @param {Map<string, string>} last
 * @param {string} symbol
 * @param {'BUY' | 'SELL' | undefined} action
 * @param {number} price
 * @param {string} reason
 * @param {Record<string, unknown>} metadata
 * @returns {NaiveSignal[]}
 */
function signalOnce(last, symbol, action, price, reason, metadata) {
  if (action === undefined || last.get(symbol) === action) return NONE;
  last.set(symbol, action);
  return [{ symbol, action, price, reason, metadata }];
}

/**
 * SMA cross: BUY when the fast mean of the closes crosses above the slow one, SELL below.
 * @param {string} interval
 * @param {number} fast
 * @param {number} slow
 * @returns {NaiveStrategy}
 */
export function naiveSmaCross(interval, fast, slow) {
  /** @type {Map<string, string>} */
  const last = new Map();
  return {
    interval,
    onBar(symbol, bars) {
      if (bars.length < slow + 1) return NONE;
      const fastMa = meanClose(bars.slice(-fast));
      const slowMa = meanClose(bars.slice(-slow));
      const prevFast = meanClose(bars.slice(-fast - 1, -1));
      const prevSlow = meanClose(bars.slice(-slow - 1, -1));
      const action =
        prevFast <= prevSlow && fastMa > slowMa
          ? 'BUY'
          : prevFast >= prevSlow && fastMa < slowMa
            ? 'SELL'
            : undefined;
      const price = /** @type {NaiveBar} */ (bars.at(-1)).close;
      return signalOnce(last, symbol, action, price, `fast SMA(${fast}) crossed slow SMA(${slow})`, {
        fast_ma: fastMa,
        slow_ma: slowMa,
        interval,
      });
    },
  };
}

/**
 * RSI of the last `period` changes (simple averages): BUY on a cross up through 30, SELL down through 70.
 * @param {number} period
 * @returns {NaiveStrategy}
 */
export function naiveRsi(period) {
  /** @type {Map<string, string>} */
  const last = new Map();
  /** @param {NaiveBar[]} window */
  const rsi = (window) => {
    let gain = 0;
    let loss = 0;
    for (let i = 1; i < window.length; i++) {
      const change =
        /** @type {NaiveBar} */ (window[i]).close - /** @type {NaiveBar} */ (window[i - 1]).close;
      if (change > 0) gain += change;
      else loss -= change;
    }
    return gain + loss === 0 ? 50 : (100 * gain) / (gain + loss);
  };
  return {
    interval: '1m',
    onBar(symbol, bars) {
      if (bars.length < period + 2) return NONE;
      const now = rsi(bars.slice(-period - 1));
      const before = rsi(bars.slice(-period - 2, -1));
      const action = before <= 30 && now > 30 ? 'BUY' : before >= 70 && now < 70 ? 'SELL' : undefined;
      const price = /** @type {NaiveBar} */ (bars.at(-1)).close;
      return signalOnce(last, symbol, action, price, `RSI(${period}) crossed`, { rsi: now });
    },
  };
}

/**
 * Session VWAP: BUY when the close breaks above it by 0.1 %, SELL below; the session restarts after a gap of over an hour.
 * @returns {NaiveStrategy}
 */
export function naiveVwap() {
  /** @type {Map<string, string>} */
  const last = new Map();
  /** @type {Map<string, { pv: number, v: number, time: number }>} */
  const sums = new Map();
  return {
    interval: '1m',
    onBar(symbol, bars) {
      const bar = /** @type {NaiveBar} */ (bars.at(-1));
      let s = sums.get(symbol);
      if (s === undefined || bar.time - s.time > 3_600_000) {
        s = { pv: 0, v: 0, time: bar.time };
        sums.set(symbol, s);
      }
      s.pv += ((bar.high + bar.low + bar.close) / 3) * bar.volume;
      s.v += bar.volume;
      s.time = bar.time;
      if (s.v === 0) return NONE;
      const vwap = s.pv / s.v;
      const action = bar.close > vwap * 1.001 ? 'BUY' : bar.close < vwap * 0.999 ? 'SELL' : undefined;
      return signalOnce(last, symbol, action, bar.close, 'close broke away from the session VWAP', { vwap });
    },
  };
}

/**
 * Channel breakout over the previous `period` bars.
 * @param {number} period
 * @returns {NaiveStrategy}
 */
export function naiveBreakout(period) {
  /** @type {Map<string, string>} */
  const last = new Map();
  return {
    interval: '1m',
    onBar(symbol, bars) {
      if (bars.length <= period) return NONE;
      const channel = bars.slice(-period - 1, -1);
      const highest = Math.max(...channel.map((b) => b.high));
      const lowest = Math.min(...channel.map((b) => b.low));
      const close = /** @type {NaiveBar} */ (bars.at(-1)).close;
      const action = close > highest ? 'BUY' : close < lowest ? 'SELL' : undefined;
      return signalOnce(last, symbol, action, close, 'channel breakout', { highest, lowest });
    },
  };
}

/**
 * Does nothing.
 * @returns {NaiveStrategy}
 */
export function naiveEmpty() {
  return { interval: '1m', onBar: () => NONE };
}

/**
 * The naive counterpart of a workload strategy kind (see session-configs.mjs).
 * @param {string} kind
 * @returns {NaiveStrategy}
 */
export function naiveStrategy(kind) {
  switch (kind) {
    case 'sma_cross':
      return naiveSmaCross('1m', 10, 20);
    case 'sma_cross_5m':
      return naiveSmaCross('5m', 5, 15);
    case 'rsi':
      return naiveRsi(14);
    case 'vwap':
      return naiveVwap();
    case 'breakout':
      return naiveBreakout(20);
    default:
      return naiveEmpty();
  }
}
