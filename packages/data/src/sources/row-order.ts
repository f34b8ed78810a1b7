/**
 * The problem of a data row whose time is not after the previous row's (file sources need strictly
 * increasing times), undefined when it is. Used by the CSV and Parquet sources.
 */
export function rowOrderProblem(time: number, previousTime: number): string | undefined {
  if (!(time <= previousTime)) return undefined;
  return `time ${isoTime(time)} is not after the previous row's ${isoTime(previousTime)}: rows must be in strictly increasing time`;
}

function isoTime(time: number): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toISOString().replace('.000Z', 'Z');
}
