/**
 * Settings every package's vitest config shares: JSON results for CI's summary, timeouts for a
 * loaded two-core machine, and v8 coverage of `src/` (`vitest run --coverage`).
 */
export const sharedTestOptions = {
  reporters: ['default', 'json'],
  outputFile: { json: 'test-results.json' },
  passWithNoTests: true,
  // CI runs several packages' suites at once on two cores: allow slow property tests and worker start-up.
  testTimeout: 60_000,
  hookTimeout: 60_000,
};

/**
 * v8 coverage of a package's `src/` (tests, index and internal entry points left out), printed as a
 * summary and written to `coverage/coverage-summary.json` for CI's summary; `lines` fails the run
 * below that percentage.
 *
 * `childProcesses`: the package's tests also run its built code in child processes, whose coverage
 * `scripts/merge-child-coverage.mjs` adds after the run (the package's test script calls it with the
 * threshold). Vitest then only writes its own `coverage/coverage-final.json` for that script.
 */
export function coverageOptions(
  options: { lines?: number; exclude?: string[]; childProcesses?: boolean } = {},
) {
  if (options.childProcesses === true && options.lines !== undefined)
    throw new Error(
      'coverageOptions: with childProcesses, merge-child-coverage.mjs --lines holds the threshold',
    );
  return {
    provider: 'v8' as const,
    include: ['src/**/*.ts'],
    exclude: [
      'src/**/*.test.ts',
      'src/**/*.d.ts',
      'src/index.ts',
      'src/internal.ts',
      ...(options.exclude ?? []),
    ],
    reporter: options.childProcesses === true ? ['json'] : ['text-summary', 'json-summary'],
    ...(options.lines === undefined ? {} : { thresholds: { lines: options.lines } }),
  };
}
