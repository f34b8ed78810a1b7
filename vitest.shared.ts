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
 */
export function coverageOptions(options: { lines?: number; exclude?: string[] } = {}) {
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
    reporter: ['text-summary', 'json-summary'],
    ...(options.lines === undefined ? {} : { thresholds: { lines: options.lines } }),
  };
}
