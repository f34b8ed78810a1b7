/** What a signal asks for. */
export const SignalAction = {
  BUY: 'BUY',
  SELL: 'SELL',
  HOLD: 'HOLD',
  CLOSE: 'CLOSE',
} as const;

/** One of `BUY`, `SELL`, `HOLD`, `CLOSE`. */
export type SignalAction = (typeof SignalAction)[keyof typeof SignalAction];

const ACTIONS = new Set<string>(Object.values(SignalAction));

/** True when `value` is a {@link SignalAction}. */
export function isSignalAction(value: unknown): value is SignalAction {
  return typeof value === 'string' && ACTIONS.has(value);
}

/** What a strategy passes to create a {@link Signal}. */
export interface SignalInit {
  symbol: string;
  action: SignalAction;
  /** Units to trade; positive when given. */
  quantity?: number;
  /** Reference price (for example the close that triggered the signal). */
  price?: number;
  /** Human-readable why. */
  reason?: string;
  /** Anything a downstream consumer may want (indicator values, ...). Must be JSON-serialisable. */
  metadata?: Record<string, unknown>;
}

/** A trading signal returned by `onBars`. The runtime stamps it with strategy, bar time and sequence. */
export class Signal {
  readonly symbol: string;
  readonly action: SignalAction;
  readonly quantity: number | undefined;
  readonly price: number | undefined;
  readonly reason: string;
  readonly metadata: Record<string, unknown>;

  /** @throws TypeError for an empty symbol, an unknown action, a quantity that is not positive and finite, or a negative or non-finite price. */
  constructor(init: SignalInit) {
    if (typeof init.symbol !== 'string' || init.symbol === '')
      throw new TypeError('Signal symbol must be a non-empty string');
    if (!isSignalAction(init.action)) {
      throw new TypeError(
        `Signal action must be one of ${[...ACTIONS].join(', ')}, got ${String(init.action)}`,
      );
    }
    if (init.quantity !== undefined && !(Number.isFinite(init.quantity) && init.quantity > 0)) {
      throw new TypeError(`Signal quantity must be a positive finite number, got ${init.quantity}`);
    }
    if (init.price !== undefined && !(Number.isFinite(init.price) && init.price >= 0)) {
      throw new TypeError(`Signal price must be a finite number >= 0, got ${init.price}`);
    }
    this.symbol = init.symbol;
    this.action = init.action;
    this.quantity = init.quantity;
    this.price = init.price;
    this.reason = init.reason ?? '';
    this.metadata = init.metadata ?? {};
  }

  /** Plain-object form (what crosses threads and goes into journals). */
  toJSON(): SignalInit & { reason: string; metadata: Record<string, unknown> } {
    const out: SignalInit & { reason: string; metadata: Record<string, unknown> } = {
      symbol: this.symbol,
      action: this.action,
      reason: this.reason,
      metadata: this.metadata,
    };
    if (this.quantity !== undefined) out.quantity = this.quantity;
    if (this.price !== undefined) out.price = this.price;
    return out;
  }
}
