import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PROJECT_ROOT } from './test-service';

/** apps/service */
export const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The built service (the global setup builds it). */
export const MAIN = join(PACKAGE_DIR, 'dist', 'main.js');

/** The built service running as a process of its own. */
export interface RunningService {
  child: ChildProcess;
  url: string;
  /** What it wrote on stderr so far. */
  stderr(): string;
}

const children = new Set<ChildProcess>();

/** Runs the built service (`node dist/main.js`) on a free port; resolves once it listens. */
export function runService(
  dataDir: string,
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<RunningService> {
  const child = spawn(process.execPath, [MAIN, ...args], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, PORT: '0', STRAT_DATA_DIR: dataDir, STRAT_PROJECT_ROOT: PROJECT_ROOT, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      try {
        const record = JSON.parse(line) as { msg?: string; url?: string };
        if (record.msg === '@strat/service ready' && record.url !== undefined) {
          resolve({ child, url: record.url, stderr: () => stderr });
        }
      } catch {
        // not a log line
      }
    });
    child.on('exit', (code) => reject(new Error(`the service exited with ${code}: ${stderr}`)));
  });
}

/** Resolves with how the process ended. */
export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** After SIGTERM, how long a service may take to close before {@link stopServices} kills it. */
const STOP_GRACE_MS = 10_000;

/**
 * Stops every service this module started that still runs (for afterAll): SIGTERM, so that it
 * closes as in production and, under --coverage, writes what it ran; SIGKILL if it is still there
 * after a grace period.
 */
export async function stopServices(): Promise<void> {
  await Promise.all(
    [...children].map(async (child) => {
      const ended = exited(child);
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      await ended;
      clearTimeout(timer);
    }),
  );
}

/**
 * The session processes `parent` runs now (Linux: read from /proc), the children whose command line
 * runs `session-process.js`.
 */
export function sessionProcesses(parent: number = process.pid): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The fields after the command name, which is in parentheses and may hold spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parent) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('session-process.js'))
        pids.push(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  return pids;
}
