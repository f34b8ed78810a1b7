import {
  type BaseStrategy,
  ConfigError,
  isInterval,
  type Logger,
  type StrategyContext,
  StrategyLoadError,
  type Subscription,
} from '@strat/core';
import { loadStrategyClass } from '../../loader/load-strategy-class';
import type { HostInit } from '../host-protocol';
import { errorMessage } from './error-reporter';
import { startFailure } from './start-failure';

/** A strategy constructed from its module, before `setup`. */
export interface ConstructedStrategy {
  strategy: BaseStrategy<object>;
  /** The name the class is exported under. */
  exportName: string;
}

/**
 * Imports the strategy's module, picks the class and constructs it with `(name, config)` (which
 * validates the config against the class's `configSchema`), giving it `logger`.
 * @throws StrategyLoadError naming the module and the reason (a StrategySetupError when the constructor
 *   throws); ConfigError when the config does not match the class's schema (paths relative to the config)
 */
export async function constructStrategy(init: HostInit, logger: Logger): Promise<ConstructedStrategy> {
  const { module, name, config } = init;
  const { strategyClass, exportName } = await loadStrategyClass(init, logger);
  let strategy: BaseStrategy<object>;
  try {
    strategy = new strategyClass(name, config);
  } catch (error) {
    if (ConfigError.isInstance(error)) throw error;
    throw startFailure('constructor', `constructing ${exportName}`, module, name, error);
  }
  strategy.logger = logger;
  return { strategy, exportName };
}

/**
 * Runs the strategy's `setup` and asks its subscriptions.
 * @throws StrategySetupError when `setup` or `getSubscriptions` throws, StrategyLoadError when `setup` returns false
 */
export async function setUpStrategy(
  strategy: BaseStrategy<object>,
  context: StrategyContext,
  module: string,
): Promise<Subscription[]> {
  let accepted: boolean;
  try {
    accepted = await strategy.setup(context);
  } catch (error) {
    throw startFailure('setup', 'setup', module, strategy.name, error);
  }
  if (accepted === false) throw new StrategyLoadError(module, 'setup returned false');
  try {
    return normalizeSubscriptions(strategy.getSubscriptions());
  } catch (error) {
    throw startFailure('getSubscriptions', 'getSubscriptions', module, strategy.name, error);
  }
}

/** Why loading `module` failed, without the "Cannot load strategy module" prefix the session side adds. */
export function loadFailureReason(error: unknown, module: string): string {
  return StrategyLoadError.isInstance(error) && error.module === module ? error.reason : errorMessage(error);
}

/** Checks `getSubscriptions()`'s result and copies it into plain cloneable pairs. */
export function normalizeSubscriptions(value: unknown): Subscription[] {
  if (!Array.isArray(value)) {
    throw new TypeError('getSubscriptions must return an array of [symbol, interval] pairs');
  }
  return value.map((entry: unknown, i) => {
    const [symbol, interval] = Array.isArray(entry) ? (entry as unknown[]) : [];
    if (typeof symbol !== 'string' || symbol === '' || !isInterval(interval)) {
      throw new TypeError(
        `getSubscriptions()[${i}] must be a [symbol, interval] pair such as ['AAPL', '1m'], got ${JSON.stringify(entry)}`,
      );
    }
    return [symbol, interval] as const;
  });
}
