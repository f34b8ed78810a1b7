// Read by cli.ts before the rest of the CLI is loaded: it imports nothing.

/**
 * How many strategy worker threads `strat` starts ahead, before it has loaded its modules or read the
 * config: one for `strat run` (its threads' start-up then runs beside the CLI's own), none for
 * anything else, for `--executor inline` and for help. `runCommand` then asks for as many as the
 * config's worker strategies, which starts the others or releases this one.
 * @param argv - `process.argv`
 */
export function earlyStrategyWorkers(argv: readonly string[]): number {
  const args = argv.slice(2);
  if (args[0] !== 'run') return 0;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') break;
    if (arg === '-h' || arg === '--help' || arg === '--executor=inline') return 0;
    if (arg === '--executor' && args[i + 1] === 'inline') return 0;
  }
  return 1;
}
