/**
 * How a strategy or scanner module is named in a config:
 * - `dotted`: a path under the project's strategy roots, `strategies.examples.simple_ma_cross`
 *   (resolves to `strategies/examples/simple_ma_cross.ts`);
 * - `package`: an installed package or one of its subpaths, `@strat/examples/rsi`, `some-pkg`;
 * - `relative`: a file relative to the config file's folder, `./x.ts`, `../y/z.js`.
 */
export type ModulePathKind = 'dotted' | 'package' | 'relative';

const MAX_MODULE_PATH_LENGTH = 512;
const DOTTED_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const PACKAGE_NAME_PATTERN = /^[A-Za-z0-9~-][A-Za-z0-9._~-]*$/;
const PATH_SEGMENT_PATTERN = /^[A-Za-z0-9._~@+-]+$/;
// A drive letter (`C:`) or a URL scheme (`file:`, `node:`, `https:`): both name code outside the project.
const SCHEME_PATTERN = /^[A-Za-z][A-Za-z0-9+.-]*:/;
const FORBIDDEN_CHARACTERS = /[\s\\]/;

const EXAMPLES =
  'a dotted path (strategies.examples.simple_ma_cross), a package (@strat/examples/rsi) ' +
  'or a path relative to the config file (./my_strategy.ts)';

/**
 * Says which kind of module path `spec` is, by its shape alone: `./` or `../` first is relative,
 * identifiers joined by dots are dotted (so `lodash.merge` counts as dotted), anything else is a
 * package specifier. Call {@link validateModulePath} first: this does not check the rest.
 */
export function classifyModulePath(spec: string): ModulePathKind {
  if (spec.startsWith('./') || spec.startsWith('../')) return 'relative';
  if (DOTTED_PATTERN.test(spec)) return 'dotted';
  return 'package';
}

function segmentProblem(segments: readonly string[], what: string): string | undefined {
  for (const segment of segments) {
    if (segment === '') return `${what} has an empty segment ("//" or a trailing "/")`;
    if (segment === '.' || segment === '..') return `${what} must not contain "." or ".." segments`;
    if (!PATH_SEGMENT_PATTERN.test(segment)) return `${what} has an unexpected character in "${segment}"`;
  }
  return undefined;
}

function relativePathProblem(spec: string): string | undefined {
  if (spec.endsWith('/')) return `relative path "${spec}" names a folder, not a file`;
  const segments = spec.split('/');
  let first = 0;
  while (segments[first] === '.' || segments[first] === '..') first++;
  const rest = segments.slice(first);
  if (rest.length === 0) return `relative path "${spec}" names a folder, not a file`;
  return segmentProblem(rest, `relative path "${spec}"`);
}

function packageSpecifierProblem(spec: string): string | undefined {
  const segments = spec.split('/');
  const scoped = spec.startsWith('@');
  if (scoped) {
    const scope = segments[0]?.slice(1) ?? '';
    if (scope === '' || !PACKAGE_NAME_PATTERN.test(scope) || segments.length < 2) {
      return `"${spec}" is not a valid scoped package name (expected @scope/name)`;
    }
  }
  const nameIndex = scoped ? 1 : 0;
  const name = segments[nameIndex] ?? '';
  if (!PACKAGE_NAME_PATTERN.test(name)) {
    return `"${spec}" is not ${EXAMPLES}`;
  }
  return segmentProblem(segments.slice(nameIndex + 1), `package subpath of "${spec}"`);
}

/**
 * Checks a module path as written in a config. Absolute paths, URLs and `file:`/`node:` specifiers
 * are refused so that a config can only name code inside the project or in installed packages.
 * @returns a sentence describing the problem, or undefined when `spec` is acceptable.
 */
export function validateModulePath(spec: string): string | undefined {
  if (typeof spec !== 'string' || spec === '') return `expected ${EXAMPLES}, got an empty value`;
  if (spec.length > MAX_MODULE_PATH_LENGTH) {
    return `module path is ${spec.length} characters long; at most ${MAX_MODULE_PATH_LENGTH} are allowed`;
  }
  if (FORBIDDEN_CHARACTERS.test(spec)) {
    return `module path "${spec}" must not contain spaces or backslashes`;
  }
  if (spec.startsWith('/') || SCHEME_PATTERN.test(spec)) {
    return `module path "${spec}" must not be absolute or a URL; use ${EXAMPLES}`;
  }
  switch (classifyModulePath(spec)) {
    case 'relative':
      return relativePathProblem(spec);
    case 'dotted':
      return undefined;
    case 'package':
      if (spec.startsWith('.')) return `"${spec}" is not ${EXAMPLES}`;
      return packageSpecifierProblem(spec);
  }
}
