import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SourceLocation } from '@strat/core';

// `at fn (where)` or `at where`, where ends in `:line:column`.
const FRAME = /^\s*at (?:.*? \()?(.+?):(\d+):(\d+)\)?\s*$/;

/** The folder holding the nearest `package.json` above `file`, or undefined. */
function packageRootOf(file: string): string | undefined {
  let dir = dirname(file);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

let runtimeRoots: readonly string[] | undefined;

/** The folders of @strat/runtime and @strat/core: frames in them are ours, not the strategy's. */
function internalRoots(): readonly string[] {
  if (runtimeRoots !== undefined) return runtimeRoots;
  const roots: string[] = [];
  const here = fileURLToPath(import.meta.url);
  const runtime = packageRootOf(here);
  if (runtime !== undefined) roots.push(runtime);
  try {
    const core = packageRootOf(createRequire(here).resolve('@strat/core'));
    if (core !== undefined) roots.push(core);
  } catch {
    // No resolvable @strat/core next to the runtime: its frames are then under node_modules anyway.
  }
  // Their code, built or as sources; not their tests (whose fixtures are strategies).
  runtimeRoots = roots.flatMap((root) => [join(root, 'dist') + sep, join(root, 'src') + sep]);
  return runtimeRoots;
}

function toPath(where: string): string | undefined {
  if (where.startsWith('file://')) {
    try {
      return fileURLToPath(where);
    } catch {
      return undefined;
    }
  }
  // node:internal, eval sites, <anonymous>, data: URLs and the like are nobody's file.
  return where.startsWith('/') || /^[A-Za-z]:[\\/]/.test(where) ? where : undefined;
}

/**
 * The first frame of `stack` in the strategy author's code: not in Node itself, not in
 * @strat/runtime or @strat/core, and preferably not under `node_modules` (a strategy from an
 * installed package is found there when nothing else is). Frames are read as Node prints them, so a
 * `.ts` strategy loaded with source maps (tsx) points at its own lines.
 * @param internal - Folders (ending in the path separator) whose frames are skipped (default: the runtime's and core's).
 */
export function firstUserFrame(
  stack: string | undefined,
  internal: readonly string[] = internalRoots(),
): SourceLocation | undefined {
  if (stack === undefined) return undefined;
  const frames: SourceLocation[] = [];
  for (const line of stack.split('\n')) {
    const match = FRAME.exec(line);
    const file = match === null ? undefined : toPath(match[1] as string);
    if (file === undefined || internal.some((root) => file.startsWith(root))) continue;
    frames.push({ file, line: Number(match?.[2]), column: Number(match?.[3]) });
  }
  // A strategy from an installed package lies under node_modules itself: its frames come next.
  const inNodeModules = (frame: SourceLocation) => frame.file.includes(`${sep}node_modules${sep}`);
  return frames.find((frame) => !inNodeModules(frame)) ?? frames[0];
}
