import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childCoverageEnv } from '../../../vitest.child-coverage';

/** The built CLI the end-to-end suites run. */
export const cliPath = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
/** The repository root (holds session_configs/ and strategies/). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** The repository's session configs. */
export const configsDir = join(repoRoot, 'session_configs');

/** What a finished `strat` process printed and how it exited. */
export interface StratResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link startStrat}. */
export interface StratOptions {
  cwd?: string;
  /** Added to the environment (colours are off unless a test turns them on; with --coverage, NODE_V8_COVERAGE is set). */
  env?: Record<string, string | undefined>;
}

/** A running `strat` process, its output collected as it comes. */
export interface RunningStrat {
  child: ChildProcess;
  output: { stdout: string; stderr: string };
  done: Promise<StratResult>;
}

/** Starts `node dist/cli.js <args>` as a real process. */
export function startStrat(args: readonly string[], options: StratOptions = {}): RunningStrat {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NO_COLOR: '1',
    FORCE_COLOR: undefined,
    ...childCoverageEnv(),
    ...options.env,
  };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  const child = spawn(process.execPath, [cliPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    output.stdout += text;
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    output.stderr += text;
  });
  const done = new Promise<StratResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, ...output }));
  });
  return { child, output, done };
}

/** Runs `strat <args>` to the end. */
export function runStrat(args: readonly string[], options: StratOptions = {}): Promise<StratResult> {
  return startStrat(args, options).done;
}

/**
 * A scratch folder inside apps/cli/.tmp (git-ignored): inside the repository, so that module paths
 * such as `strategies.examples.rsi_strategy` and packages such as `@strat/core` resolve from it.
 */
export function scratchDir(prefix: string): { dir: string; remove: () => void } {
  const base = fileURLToPath(new URL('../.tmp/', import.meta.url));
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, `${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Lines of a JSON-lines journal, parsed. */
export function parseJournal(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
