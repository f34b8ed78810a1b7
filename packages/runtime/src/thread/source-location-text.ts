import { isAbsolute, relative } from 'node:path';
import type { SourceLocation } from '@strat/core';

/**
 * `file:line:column`, the file relative to `cwd` when it lies inside it (as a terminal or an editor
 * can open it), else absolute.
 */
export function formatSourceLocation(location: SourceLocation, cwd: string = process.cwd()): string {
  const rel = relative(cwd, location.file);
  const file = rel === '' || rel.startsWith('..') || isAbsolute(rel) ? location.file : rel;
  return `${file}:${location.line}:${location.column}`;
}
