/**
 * The longest stream a session builds: one day, a trading session's bar. Bars are built and counted
 * within one session (a derived bucket is clipped at the session's close), so a longer stream (`2d`,
 * `1w`) would silently hold one session's bars under its label: the config schema and
 * `@strat/data`'s aggregator both refuse it, with {@link streamTooLongMessage}.
 */
export const LONGEST_STREAM_MS = 86_400_000;

/**
 * Why a stream longer than {@link LONGEST_STREAM_MS} is refused. `stream` and `day` (`1d`) come
 * written as the caller writes intervals in its other messages (quoted or not).
 */
export function streamTooLongMessage(stream: string, day: string): string {
  return (
    `${stream} is longer than a day: bars are built within one trading session, so streams go up to ${day} ` +
    '(bars spanning several sessions, such as weekly ones, are not supported yet)'
  );
}
