import { ConfigError } from '@strat/core';

/** A value a swept config key takes: what a JSON config can hold for a parameter. */
export type SweepValue = number | string | boolean;

/** One `--param STRATEGY.KEY=VALUES`: the strategy (by its config `name`), the key of its `config`, the values tried. */
export interface SweepParam {
  strategy: string;
  key: string;
  values: SweepValue[];
}

/** Values a range may expand to: a grid beyond this is a typo, not a sweep. */
export const MAX_RANGE_VALUES = 10_000;

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;

/** `10` → 10, `true` → true, `"x"`/`x` → "x". */
function parseValue(text: string): SweepValue {
  const trimmed = text.trim();
  if (NUMBER.test(trimmed)) return Number(trimmed);
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (/^".*"$/.test(trimmed)) return trimmed.slice(1, -1);
  return trimmed;
}

/** Decimals of a number as written (`0.25` → 2), to keep range steps free of float residue. */
function decimals(text: string): number {
  const match = /\.(\d+)/.exec(text.trim().toLowerCase().split('e')[0] ?? '');
  return match?.[1]?.length ?? 0;
}

/**
 * Parses one `--param` value: `STRATEGY.KEY=VALUES`, VALUES a list (`10,20,40`; numbers, `true`/`false`,
 * or strings) or an inclusive range `FROM:TO:STEP` (`5:30:5` → 5, 10, ..., 30; a step of 1 may be left out).
 * @throws ConfigError naming the `--param` and what is wrong
 */
export function parseSweepParam(text: string): SweepParam {
  const fail = (message: string): never => {
    throw new ConfigError([{ path: `--param ${text}`, message }], { summary: 'Invalid sweep parameter' });
  };
  const eq = text.indexOf('=');
  if (eq < 0) fail('expected STRATEGY.KEY=VALUES, e.g. sma_cross.fast_period=5:20:5');
  const target = text.slice(0, eq).trim();
  const spec = text.slice(eq + 1).trim();
  const dot = target.lastIndexOf('.');
  const strategy = target.slice(0, dot).trim();
  const key = target.slice(dot + 1).trim();
  if (dot <= 0 || strategy === '' || key === '') {
    fail(`"${target}" must name a strategy and a key of its config: STRATEGY.KEY`);
  }
  if (spec === '') fail('no values: give a list (10,20,40) or a range (5:30:5)');
  const values = spec.includes(':') && !spec.startsWith('"') ? parseRange(spec, fail) : parseList(spec, fail);
  return { strategy, key, values };
}

function parseList(spec: string, fail: (message: string) => never): SweepValue[] {
  const parts = spec.split(',');
  if (parts.some((p) => p.trim() === '')) fail(`an empty value in "${spec}"`);
  const values = parts.map(parseValue);
  const seen = new Set<string>();
  for (const v of values) {
    const k = JSON.stringify(v);
    if (seen.has(k)) fail(`${k} is listed twice`);
    seen.add(k);
  }
  return values;
}

function parseRange(spec: string, fail: (message: string) => never): SweepValue[] {
  const parts = spec.split(':');
  if (parts.length < 2 || parts.length > 3) fail(`a range is FROM:TO or FROM:TO:STEP, not "${spec}"`);
  const texts = parts.map((p) => p.trim());
  if (!texts.every((t) => NUMBER.test(t))) fail(`a range takes numbers: "${spec}"`);
  const [from, to, step] = [
    Number(texts[0]),
    Number(texts[1]),
    texts[2] === undefined ? 1 : Number(texts[2]),
  ];
  if (!(step > 0)) fail(`the step must be above 0 in "${spec}"`);
  if (to < from) fail(`empty range "${spec}": ${to} is below ${from}`);
  const count = Math.floor((to - from) / step + 1e-9) + 1;
  if (count > MAX_RANGE_VALUES) fail(`"${spec}" gives ${count} values (at most ${MAX_RANGE_VALUES})`);
  const digits = Math.max(...texts.map(decimals));
  const values: number[] = [];
  for (let i = 0; i < count; i++) values.push(Number((from + i * step).toFixed(digits)));
  return values;
}
