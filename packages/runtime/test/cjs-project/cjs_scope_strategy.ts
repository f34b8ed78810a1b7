import { BaseStrategy, type Interval, type Signal } from '@strat/core';

/** A TypeScript strategy in a package without "type": "module" (CommonJS scope for tsx). */
export class CjsScopeStrategy extends BaseStrategy {
  getSubscriptions() {
    return [['AAPL', '1m']] as const;
  }

  onBars(_symbol: string, _interval: Interval): Signal[] {
    return [];
  }
}
