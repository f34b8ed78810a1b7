import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  interface ProvidedContext {
    /** Where child processes write raw V8 coverage; undefined when the run collects no coverage. */
    childV8Coverage: string | undefined;
  }
}

/** The folder, under the package's coverage/, that `scripts/merge-child-coverage.mjs` reads. */
export const CHILD_V8_COVERAGE_DIR = join('coverage', '.child-v8');

/**
 * vitest globalSetup of a package whose tests run its built code in child processes: when the run
 * collects coverage, empties the raw folder of the last run and tells the tests where children write
 * theirs (`inject('childV8Coverage')`).
 */
export default function childCoverageSetup(project: TestProject): void {
  const coverage = project.globalConfig.coverage;
  if (!coverage.enabled) {
    project.provide('childV8Coverage', undefined);
    return;
  }
  const dir = join(project.config.root, CHILD_V8_COVERAGE_DIR);
  rmSync(dir, { recursive: true, force: true });
  project.provide('childV8Coverage', dir);
}

/**
 * Environment to add to a child process running the package's built code: `NODE_V8_COVERAGE` when
 * the run collects coverage (Node then writes what the child ran when it exits), nothing otherwise.
 */
export function childCoverageEnv(): { NODE_V8_COVERAGE?: string } {
  const dir = inject('childV8Coverage');
  return dir === undefined ? {} : { NODE_V8_COVERAGE: dir };
}
