/**
 * A small JSON Schema check (the keywords the published session-config schema uses: type, properties,
 * required, additionalProperties, propertyNames, enum, const, minimum, maximum, exclusiveMinimum,
 * exclusiveMaximum, minLength, maxLength, pattern, items, minItems, maxItems, anyOf), for a pasted
 * config's problems to show at their JSON paths before it is sent. The service checks it again, fully
 * (its schema is the source of this one, and it also resolves modules and files).
 */

export interface SchemaIssue {
  path: string;
  message: string;
}

type Schema = Record<string, unknown>;

const typeOf = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'array'
      : typeof value === 'number' && Number.isInteger(value)
        ? 'integer'
        : typeof value;

function matchesType(value: unknown, type: unknown): boolean {
  const types = Array.isArray(type) ? type : [type];
  const actual = typeOf(value);
  return types.some((t) => t === actual || (t === 'number' && actual === 'integer'));
}

const join = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;

/** Every problem of `value` against `schema`, each at its JSON path (`session_data_config.symbols[0]`). */
export function checkSchema(schema: Schema, value: unknown, path = ''): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const fail = (message: string) => issues.push({ path, message });
  if (Array.isArray(schema.anyOf)) {
    const branches = (schema.anyOf as Schema[]).map((s) => checkSchema(s, value, path));
    if (branches.some((b) => b.length === 0)) return issues;
    // The branch that got furthest (fewest problems) explains best.
    return branches.reduce((a, b) => (b.length < a.length ? b : a));
  }
  if (schema.type !== undefined && !matchesType(value, schema.type)) {
    fail(
      `expected ${Array.isArray(schema.type) ? schema.type.join(' or ') : schema.type}, got ${typeOf(value)}`,
    );
    return issues;
  }
  if (schema.const !== undefined && JSON.stringify(value) !== JSON.stringify(schema.const))
    fail(`expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    fail(
      `expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}, got ${JSON.stringify(value)}`,
    );
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum)
      fail(`expected at least ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum)
      fail(`expected at most ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === 'number' && value <= schema.exclusiveMinimum)
      fail(`expected more than ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === 'number' && value >= schema.exclusiveMaximum)
      fail(`expected less than ${schema.exclusiveMaximum}`);
  }
  if (typeof value === 'string') {
    if (typeof schema.minLength === 'number' && value.length < schema.minLength)
      fail(
        schema.minLength === 1
          ? 'expected a non-empty string'
          : `expected at least ${schema.minLength} characters`,
      );
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength)
      fail(`expected at most ${schema.maxLength} characters`);
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value))
      fail(`does not match ${schema.pattern}`);
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems)
      fail(
        schema.minItems === 1 ? 'expected at least one item' : `expected at least ${schema.minItems} items`,
      );
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems)
      fail(`expected at most ${schema.maxItems} items`);
    if (schema.items !== undefined && typeof schema.items === 'object')
      for (const [i, item] of value.entries())
        issues.push(...checkSchema(schema.items as Schema, item, join(path, i)));
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    for (const key of (schema.required ?? []) as string[]) {
      if (!(key in object)) issues.push({ path: join(path, key), message: 'is required' });
    }
    for (const [key, item] of Object.entries(object)) {
      const sub = join(path, key);
      if (schema.propertyNames !== undefined)
        issues.push(...checkSchema(schema.propertyNames as Schema, key, sub));
      if (key in properties) issues.push(...checkSchema(properties[key]!, item, sub));
      else if (schema.additionalProperties === false)
        issues.push({ path: sub, message: 'is not a known field' });
      else if (typeof schema.additionalProperties === 'object')
        issues.push(...checkSchema(schema.additionalProperties as Schema, item, sub));
    }
  }
  return issues;
}
