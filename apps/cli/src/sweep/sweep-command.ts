import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { ConfigError, type ConfigIssue, type SessionConfig } from '@strat/core';
import {
  checkSweepCombinations,
  combinationAt,
  describeCombination,
  findProjectRoot,
  LOWER_IS_BETTER,
  objectiveName,
  paramKey,
  parseObjective,
  parseSweepParam,
  parseWalkForward,
  rankRows,
  runWalkForward,
  type SweepObjective,
  type SweepParam,
  type SweepRow,
  sweepConfigIssues,
  sweepIndices,
  type WalkForwardStep,
  walkForwardWindowsOf,
} from '@strat/runtime';
import cliProgress from 'cli-progress';
import { Piscina } from 'piscina';
import { ExitCode, type ExitCodeValue } from '../exit-codes';
import { prepareOutputFolder } from '../output-folder';
import { type ModulePolicyOptions, modulePolicy } from '../run/module-policy';
import { loadSessionConfig, type SessionConfigOverrides } from '../run/session-config-loader';
import { colorsFor } from '../terminal/colors';
import { UsageError } from '../usage-error';
import { renderSweepTable, writeSweepOutput } from './sweep-output';
import { runQueuedSweep } from './sweep-queue';
import { writeSweepReport } from './sweep-report';
import type { SweepTask } from './sweep-worker';
import { renderWalkForwardTable, walkForwardVerdict, writeWalkForwardOutput } from './walk-forward-output';

/** Options of `strat sweep`. */
export interface SweepCommandOptions extends SessionConfigOverrides, ModulePolicyOptions {
  /** `STRATEGY.KEY=VALUES`, repeatable. */
  param?: string[];
  /** Run this many random combinations of the grid (seeded). */
  random?: number;
  seed?: number;
  objective?: string;
  minimize?: boolean;
  top?: number;
  /** `.csv` or `.json`. */
  out?: string;
  /** An HTML page: heatmap of the objective over the first two parameters, top combinations. */
  report?: string;
  workers?: number;
  /** `TRAIN:TEST` in sessions: optimise on each training window, score the winner on the test window after it. */
  walkForward?: string;
  /** Run the combinations on `strat worker` processes through the BullMQ queue at this Redis URL. */
  queue?: string;
  quiet?: boolean;
}

/**
 * `strat sweep <config>`: runs the config once per combination of the swept parameters (a full grid,
 * or `--random N` of it), each as one data-driven session with inline strategies, `--workers` at a
 * time in a pool of worker threads; ranks them by `--objective` (the session's total results) and
 * prints the best `--top`; `--out` keeps every row. Everything that can be refused is refused before
 * the first session runs. Ctrl-C stops starting new sessions, lets none finish half-way, and keeps
 * (and writes) the finished ones. Exit 1 when any combination failed (its row says why).
 */
export async function sweepCommand(configPath: string, options: SweepCommandOptions): Promise<ExitCodeValue> {
  // A local sweep's pool starts first: its threads load their modules (~0.3 s each) while this thread
  // reads the config and checks every combination. One pool serves every grid of the run (a walk-forward
  // runs a grid per window), so each thread keeps its bars between them.
  const params = (options.param ?? []).map(parseSweepParam);
  const indices = sweepIndices(params, options.random, options.seed ?? 1);
  const workers = options.workers ?? availableParallelism();
  const pool = options.queue === undefined ? startSweepPool(Math.min(workers, indices.length)) : undefined;
  try {
    return await sweepOn(configPath, options, { pool, params, indices, workers });
  } finally {
    await pool?.destroy();
  }
}

/** What {@link sweepCommand} works out before it reads the config. */
interface SweepPlan {
  /** The local pool (undefined with `--queue`). */
  pool: Piscina<SweepTask, SweepRow> | undefined;
  params: SweepParam[];
  /** Grid indices of the combinations to run. */
  indices: number[];
  workers: number;
}

async function sweepOn(
  configPath: string,
  options: SweepCommandOptions,
  { pool, params, indices, workers }: SweepPlan,
): Promise<ExitCodeValue> {
  const stdout = process.stdout;
  const stderr = process.stderr;
  const colors = colorsFor(stdout);
  const errColors = colorsFor(stderr);
  const config = loadSessionConfig(configPath, options);
  const objective: SweepObjective = parseObjective(options.objective ?? 'sharpe');
  const minimize = options.minimize === true;
  const issues = sweepConfigIssues(config, params);
  if (issues.length > 0) throw new ConfigError(issues, { summary: 'The sweep cannot run' });
  if (options.out !== undefined) {
    if (!/\.(csv|json)$/i.test(options.out))
      throw new UsageError(`--out ${options.out}: the file must end in .csv or .json`);
    prepareOutputFolder(`--out ${options.out}`, dirname(resolve(options.out)));
  }
  const configDir = dirname(resolve(configPath));
  const policy = modulePolicy(configPath, options);
  const keys = params.map(paramKey);

  // Every combination's config, checked as `strat validate` checks one (strategies set up inline).
  const problems: ConfigIssue[] = (
    await checkSweepCombinations(config, params, indices, { configDir, ...policy })
  ).map(({ path, message }) => ({ path, message }));
  if (problems.length > 0) throw new ConfigError(problems, { summary: 'Combinations the strategies refuse' });

  if (!options.quiet) {
    stderr.write(
      `sweeping ${indices.length} combination${indices.length === 1 ? '' : 's'} of ${keys.join(', ')} ` +
        `${options.queue === undefined ? `on ${workers} worker${workers === 1 ? '' : 's'}` : `through the queue at ${options.queue}`}, ranked by ${objectiveName(objective)}` +
        `${minimize ? ' (lowest first)' : ''}\n`,
    );
    if (!minimize && LOWER_IS_BETTER.has(objective)) {
      stderr.write(
        `${errColors.yellow('note:')} ${objectiveName(objective)} is better when lower: add --minimize to rank it so\n`,
      );
    }
  }

  const walkForward = options.walkForward === undefined ? undefined : parseWalkForward(options.walkForward);
  if (walkForward !== undefined && options.report !== undefined) {
    throw new UsageError('--report draws a sweep; with --walk-forward use --out for the windows');
  }
  if (options.report !== undefined)
    prepareOutputFolder(`--report ${options.report}`, dirname(resolve(options.report)));
  const abort = new AbortController();
  let interrupted = false;
  const onInterrupt = () => {
    if (interrupted) process.exit(ExitCode.INTERRUPTED);
    interrupted = true;
    stderr.write(
      `\n${errColors.yellow('interrupted:')} no new sessions start; finished ones are kept (Ctrl-C again quits at once)\n`,
    );
    abort.abort();
  };
  process.on('SIGINT', onInterrupt);
  const bar =
    options.quiet || !stderr.isTTY
      ? undefined
      : new cliProgress.SingleBar(
          {
            format: 'sweep [{bar}] {value}/{total} | ETA {eta_formatted} | failed {failed}',
            hideCursor: true,
            stream: stderr,
          },
          cliProgress.Presets.shades_classic,
        );
  const windows = walkForward === undefined ? undefined : walkForwardWindowsOf(config, walkForward);
  // Sessions to run: the grid, or per walk-forward window the grid on its training part and the winner on its test part.
  const total = windows === undefined ? indices.length : windows.length * (indices.length + 1);
  bar?.start(total, 0, { failed: 0 });
  let done = 0;
  let failed = 0;
  // Without a progress bar: a line at the first finished session, then at most every 2 s.
  let lastLine = Number.NEGATIVE_INFINITY;
  const started = performance.now();
  const project = findProjectRoot(configDir);

  /** Runs `runIndices` of the grid on `runConfig`: rows keyed by grid index (a combination counts once, whoever ran it). */
  const runGrid = async (
    runConfig: SessionConfig,
    runIndices: readonly number[],
  ): Promise<Map<number, SweepRow>> => {
    const rows = new Map<number, SweepRow>();
    const onRow = (row: SweepRow) => {
      if (rows.has(row.index)) return;
      rows.set(row.index, row);
      done++;
      if (row.error !== undefined) failed++;
      bar?.update(done, { failed });
      if (bar === undefined && !options.quiet && performance.now() - lastLine > 2000) {
        lastLine = performance.now();
        stderr.write(`sweep ${done}/${total} done, ${failed} failed\n`);
      }
    };
    if (options.queue !== undefined) {
      const relativeDir = relative(project, configDir);
      if (relativeDir.startsWith('..') || isAbsolute(relativeDir)) {
        throw new UsageError(
          `--queue: the config must be inside the project (${project}) for workers to find it`,
        );
      }
      await runQueuedSweep({
        url: options.queue,
        config: runConfig,
        configDir: relativeDir,
        indices: runIndices,
        combinationAt: (index) => combinationAt(params, index),
        onRow,
        signal: abort.signal,
      });
    } else {
      const tasks = runIndices.map((index) => ({
        config: runConfig,
        index,
        combination: combinationAt(params, index),
        options: { configDir, ...policy },
      }));
      await runLocally(pool as Piscina<SweepTask, SweepRow>, tasks, abort.signal, onRow);
    }
    return rows;
  };

  let rows = new Map<number, SweepRow>();
  let steps: WalkForwardStep[] = [];
  try {
    if (windows === undefined) {
      rows = await runGrid(config, indices);
    } else {
      steps = await runWalkForward({
        config,
        windows,
        indices,
        objective,
        minimize,
        signal: abort.signal,
        runGrid: (windowConfig, windowIndices) => runGrid(windowConfig, windowIndices),
      });
    }
  } finally {
    bar?.stop();
    process.off('SIGINT', onInterrupt);
  }
  const seconds = (performance.now() - started) / 1000;
  if (windows !== undefined && walkForward !== undefined) {
    stdout.write(
      `${colors.bold('Walk-forward')} (${steps.length} of ${windows.length} windows of ${walkForward.train} training and ` +
        `${walkForward.test} test sessions in ${seconds.toFixed(1)} s, best by ${objectiveName(objective)}` +
        `${minimize ? ', lowest first' : ''})\n`,
    );
    stdout.write(`${renderWalkForwardTable(steps, keys, objective, colors)}\n`);
    stdout.write(`${walkForwardVerdict(steps, objective)}\n`);
    for (const step of steps.filter((s) => s.error !== undefined).slice(0, 5)) {
      stderr.write(
        `${errColors.red('failed:')} window ${step.window.trainStart}..${step.window.testEnd}: ${step.error}\n`,
      );
    }
    if (options.out !== undefined) {
      writeWalkForwardOutput(options.out, steps, keys, {
        objective,
        minimize,
        config: configPath,
        spec: walkForward,
      });
      stdout.write(`walk-forward: ${resolve(options.out)}\n`);
    }
    if (interrupted) return ExitCode.INTERRUPTED;
    return failed > 0 || steps.some((s) => s.error !== undefined) ? ExitCode.RUNTIME_FAILURE : ExitCode.OK;
  }
  const ranked = rankRows([...rows.values()], objective, minimize);
  stdout.write(
    `${colors.bold('Sweep results')} (${rows.size} of ${indices.length} combinations in ${seconds.toFixed(1)} s, ` +
      `best ${options.top ?? 10} by ${objectiveName(objective)}${minimize ? ', lowest first' : ''})\n`,
  );
  stdout.write(`${renderSweepTable(ranked.slice(0, options.top ?? 10), keys, objective, colors)}\n`);
  for (const row of ranked.filter((r) => r.error !== undefined).slice(0, 5)) {
    stderr.write(`${errColors.red('failed:')} ${describeCombination(row.combination)}: ${row.error}\n`);
  }
  if (failed > 5) stderr.write(`... and ${failed - 5} more failed combinations (see --out)\n`);
  if (options.out !== undefined) {
    writeSweepOutput(options.out, ranked, keys, {
      objective,
      minimize,
      combinations: indices.length,
      config: configPath,
    });
    stdout.write(`sweep: ${resolve(options.out)}\n`);
  }
  if (options.report !== undefined) {
    const written = writeSweepReport(options.report, {
      config: configPath,
      objective,
      minimize,
      keys,
      values: Object.fromEntries(params.map((p) => [paramKey(p), p.values])),
      rows: ranked,
      combinations: indices.length,
      top: Math.max(options.top ?? 10, 20),
    });
    stdout.write(`report: ${written}\n`);
  }
  if (interrupted) return ExitCode.INTERRUPTED;
  return failed > 0 ? ExitCode.RUNTIME_FAILURE : ExitCode.OK;
}

/** A sweep's pool of `threads` threads (at least one), started now. */
function startSweepPool(threads: number): Piscina<SweepTask, SweepRow> {
  const count = Math.max(1, threads);
  return new Piscina<SweepTask, SweepRow>({
    filename: new URL('./sweep-worker.js', import.meta.url).href,
    minThreads: count,
    maxThreads: count,
    idleTimeout: 1000,
  });
}

/** Runs the tasks on the sweep's pool; an aborted task gives no row. */
async function runLocally(
  pool: Piscina<SweepTask, SweepRow>,
  tasks: readonly SweepTask[],
  signal: AbortSignal,
  onRow: (row: SweepRow) => void,
): Promise<void> {
  // The pool listens to the signal once per waiting task: more than Node's default 10 is no leak.
  setMaxListeners(Math.max(10, tasks.length + 1), signal);
  await Promise.all(
    tasks.map(async (task) => {
      try {
        onRow(await pool.run(task, { signal }));
      } catch (error) {
        if (signal.aborted) return;
        onRow({
          index: task.index,
          combination: task.combination,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }),
  );
}
