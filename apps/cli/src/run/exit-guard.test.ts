import { afterEach, describe, expect, it, vi } from 'vitest';
import { guardProcessExit } from './exit-guard';

const realExit = process.exit;
afterEach(() => {
  process.exit = realExit;
});

class Exited extends Error {
  constructor(readonly code: unknown) {
    super(`exit ${String(code)}`);
  }
}

/** process.exit replaced by a recorder that throws instead of ending the test process. */
function fakeExit(): ReturnType<typeof vi.fn> {
  const exit = vi.fn((code?: unknown) => {
    throw new Exited(code);
  });
  process.exit = exit as unknown as typeof process.exit;
  return exit;
}

function callExit(code: number): never {
  return process.exit(code);
}

describe('guardProcessExit', () => {
  it('reports a foreign process.exit with its caller and exits with the failure code instead', () => {
    const exit = fakeExit();
    const reports: string[] = [];
    guardProcessExit((message) => reports.push(message), 1);
    expect(() => callExit(7)).toThrow(Exited);
    expect(exit).toHaveBeenCalledWith(1);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(
      /^process\.exit\(7\) was called during the run, at callExit \(\/.+exit-guard\.test\.ts:\d+:\d+\)\. /,
    );
    // Reported once: the guard is gone after the first call.
    expect(process.exit).toBe(exit);
  });

  it('lets the command exit on its own behalf, and puts process.exit back when released', () => {
    const exit = fakeExit();
    const reports: string[] = [];
    const guard = guardProcessExit((message) => reports.push(message), 1);
    expect(process.exit).not.toBe(exit);
    expect(() => guard.exitNow(130)).toThrow(Exited);
    expect(exit).toHaveBeenCalledWith(130);
    expect(process.exit).toBe(exit);
    const again = guardProcessExit((message) => reports.push(message), 1);
    again.release();
    expect(process.exit).toBe(exit);
    expect(reports).toEqual([]);
  });

  it('reports the process ending by itself while the guard holds', () => {
    fakeExit();
    const reports: string[] = [];
    const before = new Set(process.listeners('exit'));
    const guard = guardProcessExit((message) => reports.push(message), 1);
    // Called directly: emitting 'exit' here would reach the test runner's own listeners too.
    const added = process.listeners('exit').filter((listener) => !before.has(listener));
    expect(added).toHaveLength(1);
    added[0]?.(13);
    expect(reports).toEqual(['the process is ending (exit code 13) while the session is still running']);
    added[0]?.(13);
    expect(reports).toHaveLength(1);
    guard.release();
    expect(process.listeners('exit')).not.toContain(added[0]);
  });
});
