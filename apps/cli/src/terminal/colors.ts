import pc from 'picocolors';

/** picocolors' formatters, enabled or not. */
export type Colors = ReturnType<typeof pc.createColors>;

/** A stream that may be a terminal. */
export interface MaybeTerminal {
  isTTY?: boolean;
}

/**
 * Whether to colour what goes to `stream`: never with `NO_COLOR` set (https://no-color.org), always
 * with `FORCE_COLOR` set (other than `0`), else only on a terminal whose `TERM` is not `dumb`.
 */
export function colorsEnabled(stream: MaybeTerminal, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') {
    return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  }
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** Formatters for text written to `stream`, coloured only when {@link colorsEnabled}. */
export function colorsFor(stream: MaybeTerminal, env: NodeJS.ProcessEnv = process.env): Colors {
  return pc.createColors(colorsEnabled(stream, env));
}
