import type { z } from 'zod';
import { type ConfigIssue, formatJsonPath } from '../errors/config-error';

const TYPE_NOUNS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  array: 'an array',
  null: 'null',
};

function typeNoun(expected: string): string {
  return TYPE_NOUNS[expected] ?? expected;
}

const MAX_SHOWN_STRING = 60;

/** How a value from a JSON document reads in a message: `42`, `"abc"`, `null`, `an array`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') {
    return JSON.stringify(
      value.length > MAX_SHOWN_STRING ? `${value.slice(0, MAX_SHOWN_STRING - 3)}...` : value,
    );
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

function quoteAll(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function expectedOneOf(values: readonly unknown[], got: unknown): string {
  const head = values.length === 1 ? `expected ${quoteAll(values)}` : `expected one of ${quoteAll(values)}`;
  return `${head}, got ${describeValue(got)}`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** The known name closest to `name` when it is a plausible typo, else undefined. */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const tolerance = Math.max(1, Math.floor(name.length / 3));
  return bestDistance <= tolerance ? best : undefined;
}

function unknownFieldMessage(key: string, known: readonly string[]): string {
  const suggestion = closestName(key, known);
  if (suggestion !== undefined) return `unknown field ${JSON.stringify(key)} (did you mean "${suggestion}"?)`;
  if (known.length === 0) return `unknown field ${JSON.stringify(key)}`;
  return `unknown field ${JSON.stringify(key)} (allowed: ${known.join(', ')})`;
}

function knownKeysOf(inst: unknown): string[] {
  const def = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def;
  return def?.shape === undefined ? [] : Object.keys(def.shape);
}

function sizeMessage(
  bound: 'at least' | 'at most',
  origin: string,
  limit: number | bigint,
  inclusive: boolean,
  input: unknown,
): string {
  if (origin === 'string' || origin === 'array') {
    const unit = origin === 'string' ? 'character' : 'item';
    const count = origin === 'string' ? (input as string).length : (input as unknown[]).length;
    return `expected ${bound} ${limit} ${unit}${limit === 1 ? '' : 's'}, got ${count}`;
  }
  const comparison = inclusive ? bound : bound === 'at least' ? 'more than' : 'less than';
  return `expected ${comparison} ${limit}, got ${describeValue(input)}`;
}

// Unknown keys arrive as one issue per object; one message line per key lets toConfigIssues split them.
const KEY_MESSAGE_SEPARATOR = '\n';

/**
 * A zod error map writing each problem in plain words (`expected one of "backtest", "live", got
 * "bactest"`). Messages set on a schema itself take precedence over it.
 */
export const describeIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return `missing required field (expected ${typeNoun(issue.expected)})`;
      return `expected ${typeNoun(issue.expected)}, got ${describeValue(issue.input)}`;
    case 'invalid_value':
      if (issue.input === undefined)
        return `missing required field (expected one of ${quoteAll(issue.values)})`;
      return expectedOneOf(issue.values, issue.input);
    case 'too_small':
      return sizeMessage('at least', issue.origin, issue.minimum, issue.inclusive ?? true, issue.input);
    case 'too_big':
      return sizeMessage('at most', issue.origin, issue.maximum, issue.inclusive ?? true, issue.input);
    case 'not_multiple_of':
      return `expected a multiple of ${issue.divisor}, got ${describeValue(issue.input)}`;
    case 'invalid_format':
      return `expected a ${issue.format.replaceAll('_', ' ')}, got ${describeValue(issue.input)}`;
    case 'unrecognized_keys': {
      const known = knownKeysOf(issue.inst);
      return issue.keys.map((key) => unknownFieldMessage(key, known)).join(KEY_MESSAGE_SEPARATOR);
    }
    case 'invalid_union':
      if (issue.discriminator !== undefined && issue.errors.length === 0) {
        const got = (issue.input as Record<string, unknown> | undefined)?.[issue.discriminator];
        const options = (issue as { options?: readonly unknown[] }).options ?? [];
        if (got === undefined) return `missing required field (expected one of ${quoteAll(options)})`;
        return expectedOneOf(options, got);
      }
      return unionMessage(issue.errors, issue.input);
    default:
      return undefined;
  }
};

function isWrongTypeAtRoot(issue: z.core.$ZodIssue): boolean {
  return issue.path.length === 0 && (issue.code === 'invalid_type' || issue.code === 'invalid_value');
}

function unionMessage(errors: readonly (readonly z.core.$ZodIssue[])[], input: unknown): string {
  const nouns: string[] = [];
  for (const branch of errors) {
    for (const inner of branch) {
      if (inner.path.length === 0 && inner.code === 'invalid_type') nouns.push(typeNoun(inner.expected));
    }
  }
  if (nouns.length === 0) return `${describeValue(input)} does not match any allowed form`;
  return `expected ${[...new Set(nouns)].join(' or ')}, got ${describeValue(input)}`;
}

function flatten(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[],
  out: RawConfigIssue[],
): void {
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const lines = issue.message.split(KEY_MESSAGE_SEPARATOR);
      issue.keys.forEach((key, i) => {
        out.push({ path: [...path, key], message: lines[i] ?? `unknown field ${JSON.stringify(key)}` });
      });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      // When all but one alternative fail on the value's type, the remaining one is what the user meant.
      const plausible = issue.errors.filter((branch) => !branch.every(isWrongTypeAtRoot));
      if (plausible.length === 1) flatten(plausible[0] as z.core.$ZodIssue[], path, out);
      else out.push({ path, message: issue.message });
    } else {
      out.push({ path, message: issue.message });
    }
  }
}

interface RawConfigIssue {
  path: PropertyKey[];
  message: string;
}

// Where a path lands in the document: key positions in JSON.parse order (insertion order), so
// issues come out in the order a reader meets them; a missing key sorts after its siblings.
function documentPosition(root: unknown, path: readonly PropertyKey[]): number[] {
  const position: number[] = [];
  let node: unknown = root;
  for (const key of path) {
    if (typeof key === 'number') position.push(key);
    else if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
      const keys = Object.keys(node);
      const index = keys.indexOf(String(key));
      position.push(index === -1 ? keys.length : index);
    } else position.push(0);
    node =
      typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return position;
}

function comparePositions(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/**
 * Turns zod issues (parsed with {@link describeIssue}) into {@link ConfigIssue}s in document
 * order: one per unknown key, unions narrowed to the alternative the user meant, paths written
 * `session_data_config.strategies[0].module` (after `basePath`, when given).
 */
export function toConfigIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  basePath = '',
): ConfigIssue[] {
  const raw: RawConfigIssue[] = [];
  flatten(issues, [], raw);
  const positioned = raw.map((issue) => ({ issue, position: documentPosition(input, issue.path) }));
  positioned.sort((a, b) => comparePositions(a.position, b.position));
  return positioned.map(({ issue }) => ({
    path: joinPath(basePath, formatJsonPath(issue.path)),
    message: issue.message,
  }));
}

function joinPath(base: string, rest: string): string {
  if (base === '') return rest;
  if (rest === '' || rest.startsWith('[')) return `${base}${rest}`;
  return `${base}.${rest}`;
}
