import { ConfigError, type ConfigIssue } from '@strat/core';
import { expect } from 'vitest';

/** The issues of the ConfigError `construct` throws (it must throw one). */
export function configIssuesOf(construct: () => unknown): ConfigIssue[] {
  try {
    construct();
  } catch (error) {
    expect(ConfigError.isInstance(error)).toBe(true);
    return (error as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}
