// @ts-check
// WP: the whole process, as a user runs it (issue 14's targets). A generated 1,000,000-row 1-minute
// CSV in the layout vendors write (Date and Time columns, New York local time across ten years of DST
// changes, each row labelled by its bar's end), the SMA cross 10/20 on 1m:
// - `strat run` on the CSV: wall time from spawn to exit, and the process's peak RSS;
// - `strat data import` of the same file into an Arrow IPC catalog (reported apart, not counted in);
// - `strat run` on the catalog: the same; its journal must be the CSV run's, byte for byte.
// The baseline is grademark (JS) on the same file in the same bench, when it is installed; it is
// not a dependency of the project: install it anywhere and point STRAT_BENCH_GRADEMARK at that folder
// (see ./wp-grademark.mjs).
import { spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GeneratorBarSource, TradingCalendar } from '@strat/data';
import { median } from '../measurement.mjs';
import { BENCH_SEED } from '../session-configs.mjs';

/** @typedef {'full' | 'quick'} Size */

const SYMBOL = 'SPY';
const MINUTE = 60_000;
/** Rows of the CSV, and how often each process is run (the median counts; grademark runs once). */
export const WP_SIZES = {
  full: { rows: 1_000_000, repeats: 3 },
  quick: { rows: 50_000, repeats: 1 },
};
/** Where `/usr/bin/time -v` is, when the machine has it. */
const GNU_TIME = '/usr/bin/time';
const RSS_REPORTER = fileURLToPath(new URL('./wp-rss-reporter.mjs', import.meta.url));
const GRADEMARK_RUNNER = fileURLToPath(new URL('./wp-grademark.mjs', import.meta.url));

/**
 * Writes `rows` of the generator's 1-minute bars (sessions from 2014-01-02 on) in the issue's layout:
 * `Date,Time,Open,High,Low,Close,Volume`, New York local date and time of the bar's END
 * (`2014-01-02,09:31:00` is the bar that starts at 09:30), prices with two decimals.
 * @param {string} path
 * @param {number} rows
 * @returns {Promise<{ rows: number, startDate: string, endDate: string }>} the sessions covered
 */
export async function writeIssueCsv(path, rows) {
  const calendar = TradingCalendar.usEquities();
  const source = new GeneratorBarSource({ calendar, seed: BENCH_SEED });
  // ~390 bars a session: enough sessions for the rows, with room for early closes.
  const sessions = calendar.sessions('2014-01-02', '2060-12-31').slice(0, Math.ceil(rows / 380) + 1);
  const first = sessions[0];
  const last = sessions.at(-1);
  if (first === undefined || last === undefined) throw new Error('no sessions in the range');
  const fd = openSync(path, 'w');
  let written = 0;
  let s = 0;
  try {
    writeSync(fd, 'Date,Time,Open,High,Low,Close,Volume\n');
    for await (const chunk of source.read(SYMBOL, first.open, last.close)) {
      let text = '';
      const n = Math.min(chunk.length, rows - written);
      for (let i = 0; i < n; i++) {
        const time = /** @type {number} */ (chunk.time[i]);
        while (time >= /** @type {{ close: number }} */ (sessions[s]).close) s++;
        const session = /** @type {import('@strat/data').TradingSession} */ (sessions[s]);
        // Sessions open at 09:30 New York time: the bar's end, in minutes of the local day.
        const minuteOfDay = 9 * 60 + 30 + (time + MINUTE - session.open) / MINUTE;
        const hh = String(Math.floor(minuteOfDay / 60)).padStart(2, '0');
        const mm = String(minuteOfDay % 60).padStart(2, '0');
        text +=
          `${session.date},${hh}:${mm}:00,${chunk.open[i]?.toFixed(2)},${chunk.high[i]?.toFixed(2)},` +
          `${chunk.low[i]?.toFixed(2)},${chunk.close[i]?.toFixed(2)},${chunk.volume[i]}\n`;
      }
      writeSync(fd, text);
      written += n;
      if (written === rows) break;
    }
  } finally {
    closeSync(fd);
  }
  if (written < rows) throw new Error(`only ${written} rows in the sessions chosen, ${rows} asked`);
  return {
    rows: written,
    startDate: first.date,
    endDate: /** @type {{ date: string }} */ (sessions[s]).date,
  };
}

/**
 * What one process took.
 * @typedef {object} ProcessRun
 * @property {number} wallMs from spawn to exit, measured here
 * @property {number} peakRssMb the process's peak resident set, MB (10^6 bytes)
 * @property {number} cpuMs its CPU time, user and system, every thread: on a loaded machine a steadier
 *   figure than the wall time, which holds the waits for a core
 * @property {number} minorFaults its minor page faults (first touches of memory; about 13 us each on the
 *   VMs this was measured on, so a steady measure of the memory a run touches)
 * @property {'/usr/bin/time -v' | 'process.resourceUsage()'} peakFrom how the peak was read
 * @property {string} stdout
 */

/**
 * Runs `node script args` to its end and measures its wall time and peak RSS: with `/usr/bin/time -v`
 * when the machine has it (the kernel's maximum resident set of the child), else as the child's own
 * `process.resourceUsage().maxRSS` at exit (a preloaded module writes it to a file).
 * @param {string} script
 * @param {readonly string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, useGnuTime?: boolean }} [options]
 * @returns {Promise<ProcessRun>}
 * @throws Error naming the command and its stderr when it exits non-zero.
 */
export async function measureProcess(script, args, options = {}) {
  const gnuTime = (options.useGnuTime ?? true) && existsSync(GNU_TIME);
  const scratch = mkdtempSync(join(tmpdir(), 'strat-bench-rss-'));
  const reportPath = join(scratch, 'rss.json');
  const nodeArgs = gnuTime ? [script, ...args] : ['--import', RSS_REPORTER, script, ...args];
  const command = gnuTime ? GNU_TIME : process.execPath;
  const commandArgs = gnuTime ? ['-v', process.execPath, ...nodeArgs] : nodeArgs;
  try {
    const started = performance.now();
    const { code, stdout, stderr } = await new Promise((resolve, reject) => {
      const child = spawn(command, commandArgs, {
        cwd: options.cwd,
        env: { ...process.env, ...options.env, STRAT_BENCH_RSS_REPORT: reportPath },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      /** @type {Buffer[]} */
      const out = [];
      /** @type {Buffer[]} */
      const err = [];
      child.stdout.on('data', (b) => out.push(b));
      child.stderr.on('data', (b) => err.push(b));
      child.on('error', reject);
      child.on('close', (exitCode) =>
        resolve({
          code: exitCode,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8'),
        }),
      );
    });
    const wallMs = performance.now() - started;
    if (code !== 0) {
      throw new Error(`node ${nodeArgs.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`);
    }
    let peakKb;
    let cpuMs;
    let minorFaults;
    if (gnuTime) {
      /** @param {RegExp} pattern */
      const field = (pattern) => {
        const match = pattern.exec(stderr);
        if (match === null) throw new Error(`no ${pattern.source} in the output of ${GNU_TIME} -v`);
        return Number(match[1]);
      };
      peakKb = field(/Maximum resident set size \(kbytes\): (\d+)/);
      cpuMs = (field(/User time \(seconds\): ([\d.]+)/) + field(/System time \(seconds\): ([\d.]+)/)) * 1000;
      minorFaults = field(/Minor \(reclaiming a frame\) page faults: (\d+)/);
    } else {
      // maxRSS is in kilobytes (KiB) on Linux and macOS.
      const report = /** @type {{ maxRSS: number, cpuMicros: number, minorFaults: number }} */ (
        JSON.parse(readFileSync(reportPath, 'utf8'))
      );
      peakKb = report.maxRSS;
      cpuMs = report.cpuMicros / 1000;
      minorFaults = report.minorFaults;
    }
    return {
      wallMs,
      peakRssMb: (peakKb * 1024) / 1e6,
      cpuMs,
      minorFaults,
      peakFrom: gnuTime ? '/usr/bin/time -v' : 'process.resourceUsage()',
      stdout,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The built `strat` command (`@strat/cli`'s bin). */
export function stratCli() {
  const packageJson = createRequire(import.meta.url).resolve('@strat/cli/package.json');
  const cli = join(dirname(packageJson), 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: build the CLI (pnpm --filter @strat/cli build)`);
  return cli;
}

/**
 * Makes `dir` a project with `@strat/examples` installed (a link to the bench's), as a user's is.
 * @param {string} dir
 */
function linkExamples(dir) {
  const examples = dirname(createRequire(import.meta.url).resolve('@strat/examples/package.json'));
  mkdirSync(join(dir, 'node_modules', '@strat'), { recursive: true });
  symlinkSync(examples, join(dir, 'node_modules', '@strat', 'examples'), 'dir');
}

/**
 * The session config of a run: 1m bars of SPY, the bundled SMA cross 10/20 on 1m, worker executor.
 * @param {{ startDate: string, endDate: string }} range
 * @param {unknown} dataConfig
 */
function sessionConfig(range, dataConfig) {
  return {
    mode: 'backtest',
    backtest_config: { start_date: range.startDate, end_date: range.endDate },
    session_data_config: {
      symbols: [SYMBOL],
      streams: ['1m'],
      strategies: [
        {
          module: '@strat/examples/sma-cross',
          config: { symbols: [SYMBOL], interval: '1m', fast_period: 10, slow_period: 20 },
        },
      ],
    },
    data_config: dataConfig,
  };
}

/** The CSV's `data_config` entry: the issue's layout, read as the vendor wrote it. */
const CSV_FILE = {
  path: 'spy-1m.csv',
  symbol: SYMBOL,
  interval: '1m',
  columns: { date: 'Date', time: 'Time' },
  timezone: 'America/New_York',
  time_label: 'end',
};

/**
 * @template T
 * @param {(dir: string) => Promise<T>} body
 * @returns {Promise<T>}
 */
async function inTempDir(body) {
  const dir = mkdtempSync(join(tmpdir(), 'strat-bench-wp-'));
  try {
    return await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `measure` `repeats` times and keeps every run, and the medians.
 * @param {number} repeats
 * @param {() => Promise<ProcessRun>} measure
 */
async function repeated(repeats, measure) {
  /** @type {ProcessRun[]} */
  const runs = [];
  for (let i = 0; i < repeats; i++) runs.push(await measure());
  return {
    wallMs: median(runs.map((r) => r.wallMs)),
    peakRssMb: median(runs.map((r) => r.peakRssMb)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    minorFaults: median(runs.map((r) => r.minorFaults)),
    peakFrom: runs[0]?.peakFrom,
    runs: runs.map((r) => ({
      wallMs: r.wallMs,
      peakRssMb: r.peakRssMb,
      cpuMs: r.cpuMs,
      minorFaults: r.minorFaults,
    })),
    stdout: runs.at(-1)?.stdout ?? '',
  };
}

/**
 * @template {{ stdout: string }} T
 * @param {T} run
 * @returns {Omit<T, 'stdout'>}
 */
function withoutOutput({ stdout: _, ...rest }) {
  return rest;
}

/**
 * @param {Size} size
 * @returns {Promise<import('../measurement.mjs').WorkloadResult>}
 */
export async function measureWP(size) {
  const spec = WP_SIZES[size];
  const cli = stratCli();
  return inTempDir(async (dir) => {
    const range = await writeIssueCsv(join(dir, CSV_FILE.path), spec.rows);
    linkExamples(dir);
    writeFileSync(
      join(dir, 'csv.json'),
      JSON.stringify(sessionConfig(range, { source: 'csv', files: [CSV_FILE] })),
    );
    writeFileSync(
      join(dir, 'catalog.json'),
      JSON.stringify(sessionConfig(range, { source: 'catalog', path: 'catalog' })),
    );
    /** @param {string} name */
    const run = (name) =>
      measureProcess(cli, ['run', `${name}.json`, '--out', `${name}.jsonl`, '--log-level', 'error'], {
        cwd: dir,
      });
    const csv = await repeated(spec.repeats, () => run('csv'));
    const importArgs = [
      'data',
      'import',
      CSV_FILE.path,
      '--symbol',
      SYMBOL,
      '--columns',
      'date=Date,time=Time',
    ];
    const imported = await repeated(1, () =>
      measureProcess(
        cli,
        [...importArgs, '--timezone', 'America/New_York', '--time-label', 'end', '--to', 'catalog'],
        { cwd: dir },
      ),
    );
    const catalog = await repeated(spec.repeats, () => run('catalog'));
    const journal = readFileSync(join(dir, 'csv.jsonl'), 'utf8');
    if (readFileSync(join(dir, 'catalog.jsonl'), 'utf8') !== journal) {
      throw new Error('the catalog run journalled other signals than the CSV run');
    }
    const signals = journal.split('\n').filter((line) => line !== '').length;
    const wall = (/** @type {number} */ ms) => ms / 1000;
    return {
      measurements: [
        {
          workload: 'WP',
          metric: 'strat run on the CSV, wall',
          value: wall(csv.wallMs),
          unit: 's',
          better: 'lower',
          target: { op: '>=', value: 4 },
          targetOn: 'ratio',
        },
        {
          workload: 'WP',
          metric: 'strat run on the CSV, CPU',
          value: wall(csv.cpuMs),
          unit: 's',
          better: 'lower',
        },
        {
          workload: 'WP',
          metric: 'strat run on the CSV, page faults',
          value: csv.minorFaults,
          unit: 'faults',
          better: 'lower',
        },
        {
          workload: 'WP',
          metric: 'strat run on the CSV, peak RSS',
          value: csv.peakRssMb,
          unit: 'MB',
          better: 'lower',
          target: { op: '<', value: 250 },
        },
        {
          workload: 'WP',
          metric: 'strat run on the catalog, wall',
          value: wall(catalog.wallMs),
          unit: 's',
          better: 'lower',
          baselineMetric: 'strat run on the CSV, wall',
          target: { op: '>=', value: 12 },
          targetOn: 'ratio',
        },
        {
          workload: 'WP',
          metric: 'strat run on the catalog, CPU',
          value: wall(catalog.cpuMs),
          unit: 's',
          better: 'lower',
          baselineMetric: 'strat run on the CSV, CPU',
        },
        {
          workload: 'WP',
          metric: 'strat run on the catalog, page faults',
          value: catalog.minorFaults,
          unit: 'faults',
          better: 'lower',
          baselineMetric: 'strat run on the CSV, page faults',
        },
        {
          workload: 'WP',
          metric: 'strat run on the catalog, peak RSS',
          value: catalog.peakRssMb,
          unit: 'MB',
          better: 'lower',
          baselineMetric: 'strat run on the CSV, peak RSS',
          target: { op: '<', value: 200 },
        },
        {
          workload: 'WP',
          metric: 'strat data import (once), wall',
          value: wall(imported.wallMs),
          unit: 's',
          better: 'lower',
          noBaseline: true,
        },
        {
          workload: 'WP',
          metric: 'strat data import, peak RSS',
          value: imported.peakRssMb,
          unit: 'MB',
          better: 'lower',
          noBaseline: true,
          note:
            `WP: whole processes (spawn to exit, node start-up included) on a ${spec.rows.toLocaleString('en-US')}-row ` +
            `1m CSV (Date,Time in New York local time, end-labelled), SMA cross 10/20 on 1m, worker executor; ` +
            `median of ${spec.repeats}; peak RSS, CPU (user + system, all threads) and minor page faults from ${csv.peakFrom}; ` +
            'vs baseline = grademark / ours; the targets are on wall time, CPU is the steadier figure on a loaded machine',
        },
      ],
      details: {
        ...spec,
        ...range,
        csvBytes: statSync(join(dir, CSV_FILE.path)).size,
        signals,
        csv: withoutOutput(csv),
        import: withoutOutput(imported),
        catalog: withoutOutput(catalog),
      },
    };
  });
}

/**
 * Where grademark and its data-forge packages are, or why not: STRAT_BENCH_GRADEMARK (a folder where
 * they are installed), else wherever the bench resolves packages.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {{ from: string } | { skipped: string }}
 */
export function findGrademark(env = process.env) {
  const from =
    env.STRAT_BENCH_GRADEMARK === undefined || env.STRAT_BENCH_GRADEMARK === ''
      ? fileURLToPath(import.meta.url)
      : join(env.STRAT_BENCH_GRADEMARK, 'package.json');
  const require = createRequire(from);
  for (const name of ['grademark', 'data-forge']) {
    try {
      require.resolve(name);
    } catch {
      return {
        skipped:
          name === 'grademark'
            ? 'skipped: grademark not installed'
            : 'skipped: grademark found, but not data-forge (its peer dependency)',
      };
    }
  }
  return { from };
}

/**
 * The baseline: grademark on the same CSV (bars and SMAs made in plain JS, grademark's backtest on a
 * DataFrame of them, long while SMA 10 is above SMA 20), as a whole process, when grademark is installed.
 * @param {Size} size
 * @returns {Promise<import('../measurement.mjs').BaselineResult>}
 */
export async function measureWPBaseline(size) {
  const found = findGrademark();
  const install = 'npm install grademark data-forge chai@4 in a folder and set STRAT_BENCH_GRADEMARK to it';
  if ('skipped' in found) {
    return { values: {}, note: `${found.skipped} (${install})`, skipped: found.skipped, details: {} };
  }
  const spec = WP_SIZES[size];
  return inTempDir(async (dir) => {
    const csvPath = join(dir, CSV_FILE.path);
    await writeIssueCsv(csvPath, spec.rows);
    const result = await repeated(1, () =>
      measureProcess(GRADEMARK_RUNNER, [csvPath, found.from], { cwd: dir }),
    );
    const version = createRequire(found.from)('grademark/package.json').version;
    return {
      values: {
        'strat run on the CSV, wall': result.wallMs / 1000,
        'strat run on the CSV, peak RSS': result.peakRssMb,
        'strat run on the CSV, CPU': result.cpuMs / 1000,
        'strat run on the CSV, page faults': result.minorFaults,
      },
      note: `grademark ${version} (JS) on the same CSV, whole process, run once`,
      details: { ...spec, ...withoutOutput(result), output: JSON.parse(result.stdout) },
    };
  });
}
