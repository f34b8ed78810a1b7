import type { z } from 'zod';
import { describeIssue, toConfigIssues } from '../config/config-issues';
import { ConfigError, type ConfigIssue, formatJsonPath } from '../errors/config-error';

/**
 * The Standard Schema interface (https://standardschema.dev, v1), which zod (3.24+ and 4),
 * valibot (1.0+) and arktype (2.0+) schemas implement. A strategy's or scanner's `configSchema`
 * may be any of them.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  /** The Standard Schema properties. */
  readonly '~standard': StandardSchemaV1.Props<Input, Output>;
}

/** The types of the Standard Schema interface. */
export declare namespace StandardSchemaV1 {
  /** The properties of a Standard Schema. */
  export interface Props<Input = unknown, Output = Input> {
    /** The version of the interface (1). */
    readonly version: 1;
    /** The library the schema comes from (`zod`, `valibot`, `arktype`). */
    readonly vendor: string;
    /** Validates `value`: the output with defaults applied, or the issues. */
    readonly validate: (value: unknown) => Result<Output> | Promise<Result<Output>>;
    /** The input and output types, for inference only. */
    readonly types?: Types<Input, Output> | undefined;
  }
  /** The result of `validate`. */
  export type Result<Output> = SuccessResult<Output> | FailureResult;
  /** A value that passed, as the schema outputs it. */
  export interface SuccessResult<Output> {
    /** The value, defaults applied. */
    readonly value: Output;
    /** Absent on success. */
    readonly issues?: undefined;
  }
  /** A value that failed. */
  export interface FailureResult {
    /** What is wrong, and where. */
    readonly issues: ReadonlyArray<Issue>;
  }
  /** One problem. */
  export interface Issue {
    /** What is wrong. */
    readonly message: string;
    /** Where: keys from the root of the value. */
    readonly path?: ReadonlyArray<PropertyKey | PathSegment> | undefined;
  }
  /** A path segment written as an object. */
  export interface PathSegment {
    /** The key. */
    readonly key: PropertyKey;
  }
  /** The input and output types of a schema. */
  export interface Types<Input = unknown, Output = Input> {
    /** What the schema accepts. */
    readonly input: Input;
    /** What it gives back. */
    readonly output: Output;
  }
}

/**
 * The config type a `BaseStrategy<C>` (or `BaseScanner<C>`) holds: `C` itself, or, when `C` is a
 * schema (`typeof configSchema`), the type the schema outputs (defaults applied).
 */
export type ConfigOutput<C> = C extends StandardSchemaV1<unknown, infer Output> ? Output : C;

/**
 * The config a strategy (or scanner) accepts before validation: `C` itself, or, when `C` is a
 * schema, the type the schema accepts (fields with defaults optional).
 */
export type ConfigInput<C> = C extends StandardSchemaV1<infer Input, unknown> ? Input : C;

/** A class that may declare the schema of its config as a static `configSchema`. */
export interface ConfigSchemaHolder {
  /** The schema `config` is validated against before `setup`. */
  readonly configSchema?: StandardSchemaV1 | undefined;
}

/** True when `value` implements the Standard Schema interface. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  const props = (value as { '~standard'?: { validate?: unknown } })['~standard'];
  return typeof props === 'object' && props !== null && typeof props.validate === 'function';
}

/** The `configSchema` a class declares (its own or inherited), or undefined. */
export function configSchemaOf(cls: unknown): StandardSchemaV1 | undefined {
  if (typeof cls !== 'function') return undefined;
  const schema = (cls as ConfigSchemaHolder).configSchema;
  if (schema === undefined) return undefined;
  if (!isStandardSchema(schema)) {
    throw new TypeError(
      `configSchema must be a Standard Schema (a zod, valibot or arktype schema), got ${typeof schema}`,
    );
  }
  return schema;
}

/** The result of {@link validateConfig}. */
export type ConfigValidation<Output> =
  | { readonly ok: true; readonly value: Output }
  | { readonly ok: false; readonly issues: ConfigIssue[] };

function isZod4(schema: StandardSchemaV1): schema is StandardSchemaV1 & z.ZodType {
  return (
    schema['~standard'].vendor === 'zod' &&
    '_zod' in schema &&
    typeof (schema as { safeParse?: unknown }).safeParse === 'function'
  );
}

function pathOf(issue: StandardSchemaV1.Issue): PropertyKey[] {
  return (issue.path ?? []).map((segment) =>
    typeof segment === 'object' && segment !== null ? segment.key : segment,
  );
}

/**
 * Validates a strategy's or scanner's `config` against its schema, synchronously: the output
 * (defaults applied) or every problem with its JSON path relative to the config (`fast_period`,
 * `symbols[1]`), after `basePath` when given. zod 4 schemas get the wording of the session config's
 * own messages (`expected a whole number, got 2.5`, `unknown field "fast_perod" (did you mean
 * "fast_period"?)`); other libraries keep theirs.
 * @throws TypeError when the schema validates asynchronously (strategy configs are checked before
 *   the strategy is constructed, synchronously)
 */
export function validateConfig<S extends StandardSchemaV1>(
  schema: S,
  value: unknown,
  basePath = '',
): ConfigValidation<ConfigOutput<S>> {
  if (isZod4(schema)) {
    const parsed = schema.safeParse(value, { error: describeIssue, reportInput: true });
    if (parsed.success) return { ok: true, value: parsed.data as ConfigOutput<S> };
    return { ok: false, issues: toConfigIssues(parsed.error.issues, value, basePath) };
  }
  const result = schema['~standard'].validate(value);
  if (result instanceof Promise) {
    throw new TypeError('configSchema validates asynchronously: a config schema must be synchronous');
  }
  if (result.issues === undefined) return { ok: true, value: result.value as ConfigOutput<S> };
  return {
    ok: false,
    issues: result.issues.map((issue) => {
      const rest = formatJsonPath(pathOf(issue));
      const path =
        basePath === ''
          ? rest
          : rest === '' || rest.startsWith('[')
            ? basePath + rest
            : `${basePath}.${rest}`;
      return { path, message: issue.message };
    }),
  };
}

/**
 * {@link validateConfig}, throwing.
 * @param what - Names the config in the error's summary, e.g. `strategy "ma"`.
 * @throws ConfigError listing every problem with its JSON path (relative to the config, after `basePath`)
 */
export function parseConfigWith<S extends StandardSchemaV1>(
  schema: S,
  value: unknown,
  what: string,
  basePath = '',
): ConfigOutput<S> {
  const result = validateConfig(schema, value, basePath);
  if (result.ok) return result.value;
  throw new ConfigError(result.issues, { summary: `Invalid config of ${what}` });
}
