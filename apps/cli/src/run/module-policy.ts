import { dirname, join, resolve } from 'node:path';
import { findProjectRoot } from '@strat/runtime';

/** What `--strategy-root` and `--allow-package` ask for. */
export interface ModulePolicyOptions {
  /** Folders besides the project's `strategies/` that strategy and scanner files may load from. */
  strategyRoot?: string[];
  /** Packages (or `@scope/*`) besides `@strat/examples` that strategies may come from. */
  allowPackage?: string[];
}

/**
 * The session options for the CLI's module flags: undefined (the runtime's defaults, the project's
 * `strategies/` and `@strat/examples`) unless flags add to them.
 */
export function modulePolicy(
  configPath: string,
  options: ModulePolicyOptions,
): { strategyRoots?: string[]; allowedPackages?: string[] } {
  const policy: { strategyRoots?: string[]; allowedPackages?: string[] } = {};
  const roots = options.strategyRoot ?? [];
  if (roots.length > 0) {
    const project = findProjectRoot(dirname(resolve(configPath)));
    policy.strategyRoots = [join(project, 'strategies'), ...roots.map((root) => resolve(root))];
  }
  const packages = options.allowPackage ?? [];
  if (packages.length > 0) policy.allowedPackages = ['@strat/examples', ...packages];
  return policy;
}

/** commander's collector for a repeatable option. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
