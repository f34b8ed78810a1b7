import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type * as TypeScript from 'typescript';
import { UsageError } from '../usage-error';

type Ts = typeof TypeScript;

/** One type error, at its place (1-based line and column; no file for a global one). */
export interface TypeCheckError {
  file: string | undefined;
  line: number;
  column: number;
  /** The TypeScript code, such as 2339. */
  code: number;
  message: string;
}

/** What {@link typeCheckStrategies} found. */
export interface TypeCheckResult {
  /** The version of the project's TypeScript that checked. */
  typescript: string;
  /** The tsconfig.json whose compiler options were used, if one was found. */
  tsconfig: string | undefined;
  /** The strategy and scanner files checked (their imports were checked with them). */
  files: string[];
  errors: TypeCheckError[];
}

// Without a tsconfig.json: what tsx runs, checked strictly.
const DEFAULT_OPTIONS: TypeScript.CompilerOptions = {
  strict: true,
  noImplicitOverride: true,
  skipLibCheck: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  allowImportingTsExtensions: true,
};

// "No inputs were found in config file": a tsconfig whose include does not list the strategies is still used for its options.
const NO_INPUTS = 18003;

/** The project's own TypeScript: strategies are checked with the compiler their authors use. */
function loadTypeScript(projectRoot: string): Ts {
  const require = createRequire(join(projectRoot, 'package.json'));
  let path: string;
  try {
    path = require.resolve('typescript');
  } catch {
    throw new UsageError(
      `TypeScript is not installed in ${projectRoot}: install it there (npm install --save-dev typescript) ` +
        'for strat validate --types, which checks your strategies with your own TypeScript',
    );
  }
  return require(path) as Ts;
}

/** The nearest tsconfig.json from the first file's folder up to the project root, if any. */
function findTsconfig(files: readonly string[], projectRoot: string): string | undefined {
  const root = resolve(projectRoot);
  let dir = dirname(files[0] as string);
  for (;;) {
    const candidate = join(dir, 'tsconfig.json');
    if (existsSync(candidate)) return candidate;
    if (dir === root || !dir.startsWith(root + sep)) return undefined;
    dir = dirname(dir);
  }
}

function compilerOptions(ts: Ts, tsconfig: string | undefined): TypeScript.CompilerOptions {
  const fixed: TypeScript.CompilerOptions = { noEmit: true, incremental: false, composite: false };
  if (tsconfig === undefined) {
    return {
      ...DEFAULT_OPTIONS,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      ...fixed,
    };
  }
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, fixed, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new UsageError(
        `Cannot read ${tsconfig}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
      );
    },
  });
  const problems = (parsed?.errors ?? []).filter((d) => d.code !== NO_INPUTS);
  if (parsed === undefined || problems.length > 0) {
    const why = problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '; ')).join('; ');
    throw new UsageError(`Cannot use ${tsconfig}: ${why}`);
  }
  return { ...parsed.options, ...fixed };
}

function toError(ts: Ts, diagnostic: TypeScript.Diagnostic): TypeCheckError {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (diagnostic.file === undefined || diagnostic.start === undefined) {
    return { file: undefined, line: 0, column: 0, code: diagnostic.code, message };
  }
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return {
    file: diagnostic.file.fileName,
    line: line + 1,
    column: character + 1,
    code: diagnostic.code,
    message,
  };
}

/**
 * Type-checks strategy and scanner files (and what they import) with the TypeScript installed in
 * `projectRoot` and the compiler options of the nearest tsconfig.json between the files and the
 * project root (else strict defaults for ES modules, as tsx runs them); nothing is emitted.
 * @throws UsageError when the project has no TypeScript, or its tsconfig.json cannot be used
 */
export function typeCheckStrategies(files: readonly string[], projectRoot: string): TypeCheckResult {
  const ts = loadTypeScript(projectRoot);
  const tsconfig = files.length === 0 ? undefined : findTsconfig(files, projectRoot);
  if (files.length === 0) return { typescript: ts.version, tsconfig, files: [], errors: [] };
  const program = ts.createProgram({ rootNames: [...files], options: compilerOptions(ts, tsconfig) });
  const errors = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => toError(ts, d));
  return { typescript: ts.version, tsconfig, files: [...files], errors };
}

/** A type error as a line: `strategies/a.ts:14:24 - error TS2339: Property 'clse' does not exist ...`. */
export function formatTypeCheckError(error: TypeCheckError, cwd: string = process.cwd()): string {
  const code = `error TS${error.code}: ${error.message.replaceAll('\n', '\n    ')}`;
  if (error.file === undefined) return code;
  const rel = relative(cwd, error.file);
  const file = rel.startsWith('..') ? error.file : rel;
  return `${file}:${error.line}:${error.column} - ${code}`;
}
