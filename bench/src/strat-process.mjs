// @ts-check
// The `strat` command as the sweep rows (S1, S2) run it: a real process of the built CLI, timed from
// outside, with the CPU time of all its threads; and a Redis of its own for the queue (S2).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BENCH_DIR } from './session-configs.mjs';

/** The built `strat` command (the `bin` of @strat/cli, a dependency of the bench: turbo builds it first). */
export function stratCliPath() {
  const require = createRequire(import.meta.url);
  const manifestPath = require.resolve('@strat/cli/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  return join(dirname(manifestPath), manifest.bin.strat);
}

/** Preloaded into every timed process: writes its CPU time (all threads) to the file it is given. */
const CPU_REPORTER = fileURLToPath(new URL('./report-cpu-on-exit.cjs', import.meta.url));

/**
 * A scratch folder inside bench/.tmp (git-ignored): inside the bench's project (bench/strategies), so a
 * sweep's config resolves the bench's strategies and a `strat worker` in the bench folder finds it.
 * @param {string} prefix
 */
export function benchScratchDir(prefix) {
  const base = join(BENCH_DIR, '.tmp');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * @typedef {object} TimedStrat
 * @property {number | null} code
 * @property {string} stdout
 * @property {string} stderr
 * @property {number} wallMs spawn to exit
 * @property {number | undefined} phaseMs from the first stderr line starting with `phaseMarker` to exit
 * @property {number | undefined} cpuMs user + system CPU time of the process, every thread
 * @property {number[]} loadAverage the 1-minute load average when it started and when it ended
 */

/**
 * Runs `strat <args>` to its end and times it. A process still running after `timeoutMs` is killed and the
 * run rejected: a hung sweep must fail the bench, not hang it.
 * @param {readonly string[]} args
 * @param {{ cwd?: string, phaseMarker?: string, scratch: string, timeoutMs: number }} options `scratch`: a
 *   folder for the CPU report
 * @returns {Promise<TimedStrat>}
 */
export function runTimedStrat(args, options) {
  const cpuFile = join(options.scratch, `cpu-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const loadBefore = loadavg()[0] ?? 0;
  const started = performance.now();
  /** @type {number | undefined} */
  let phaseStarted;
  const child = spawn(process.execPath, ['--require', CPU_REPORTER, stratCliPath(), ...args], {
    cwd: options.cwd ?? BENCH_DIR,
    env: { ...process.env, NO_COLOR: '1', STRAT_BENCH_CPU_FILE: cpuFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text) => {
    stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text) => {
    stderr += text;
    const marker = options.phaseMarker;
    if (phaseStarted === undefined && marker !== undefined && new RegExp(`^${marker}`, 'm').test(stderr)) {
      phaseStarted = performance.now();
    }
  });
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      const ended = performance.now();
      clearTimeout(timer);
      if (timedOut) {
        reject(
          new Error(
            `strat ${args.join(' ')} did not end in ${options.timeoutMs / 1000} s (killed):\n${stderr.slice(-2000)}`,
          ),
        );
        return;
      }
      /** @type {number | undefined} */
      let cpuMs;
      try {
        const cpu = JSON.parse(readFileSync(cpuFile, 'utf8'));
        cpuMs = (cpu.user + cpu.system) / 1000;
        rmSync(cpuFile, { force: true });
      } catch {
        cpuMs = undefined;
      }
      resolve({
        code,
        stdout,
        stderr,
        wallMs: ended - started,
        phaseMs: phaseStarted === undefined ? undefined : ended - phaseStarted,
        cpuMs,
        loadAverage: [loadBefore, loadavg()[0] ?? 0],
      });
    });
  });
}

/**
 * A long-running `strat` process (a worker), its output collected as it comes.
 * @param {readonly string[]} args
 * @param {{ cwd?: string }} [options]
 */
export function startStrat(args, options = {}) {
  const child = spawn(process.execPath, [stratCliPath(), ...args], {
    cwd: options.cwd ?? BENCH_DIR,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (text) => {
    output.stdout += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text) => {
    output.stderr += text;
  });
  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    output,
    exited,
    /**
     * Resolves when the output matches `pattern`; rejects when the process ends first or after `timeoutMs`.
     * @param {RegExp} pattern
     * @param {number} timeoutMs
     */
    waitFor: (pattern, timeoutMs) =>
      waitForOutput(
        child,
        () => output.stdout + output.stderr,
        pattern,
        timeoutMs,
        `strat ${args.join(' ')}`,
      ),
    /** SIGTERM, then waits for the exit (a worker finishes the jobs it holds first). */
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * @param {import('node:child_process').ChildProcess} child
 * @param {() => string} text
 * @param {RegExp} pattern
 * @param {number} timeoutMs
 * @param {string} what
 * @returns {Promise<void>}
 */
function waitForOutput(child, text, pattern, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!pattern.test(text())) return false;
      done();
      resolve();
      return true;
    };
    const onClose = () => {
      if (check()) return;
      done();
      reject(new Error(`${what} ended before printing ${pattern}:\n${text().slice(-2000)}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${what} did not print ${pattern} in ${timeoutMs / 1000} s:\n${text().slice(-2000)}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('close', onClose);
    };
    if (check()) return;
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.on('close', onClose);
  });
}

/** True when Debian's `redis-server` is on the PATH. */
export function haveRedisServer() {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A TCP port free on 127.0.0.1 right now. @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A Redis of the bench's own on 127.0.0.1 and a free port, nothing saved to disk.
 * @returns {Promise<{ url: string, stop: () => Promise<void> }>}
 */
export async function startRedis() {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (text) => {
    out += text;
  });
  child.stderr.setEncoding('utf8').on('data', (text) => {
    out += text;
  });
  /** @type {Promise<void>} */
  const exited = new Promise((resolve) => child.on('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitForOutput(child, () => out, /Ready to accept connections/, 20_000, 'redis-server');
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: `redis://127.0.0.1:${port}`, stop };
}
