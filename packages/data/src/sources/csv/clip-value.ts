/** The most characters of a value from a file that a message quotes: a bad field can be megabytes long. */
export const CLIPPED_VALUE_LENGTH = 80;

/** `text` as a message quotes it: whole when short, else its first {@link CLIPPED_VALUE_LENGTH} characters and an ellipsis. */
export function clipValue(text: string): string {
  if (text.length <= CLIPPED_VALUE_LENGTH) return text;
  let end = CLIPPED_VALUE_LENGTH;
  // Never split a surrogate pair.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

// A double-quoted run (JSON escapes allowed) longer than the clip length.
const LONG_QUOTED = new RegExp(`"((?:[^"\\\\]|\\\\.){${CLIPPED_VALUE_LENGTH + 1},})"`, 'g');

/** A message from elsewhere (the CSV parser's) with each long double-quoted value in it clipped. */
export function clipQuotedValues(message: string): string {
  return message.replace(LONG_QUOTED, (_, inner: string) => `"${clipValue(inner)}"`);
}

/** The most items of a list from a file (a header's column names) that a message names. */
export const LISTED_VALUES = 30;

/** `values` joined for a message: each clipped, the first {@link LISTED_VALUES} of them, then how many more. */
export function listValues(values: readonly string[]): string {
  const shown = values.slice(0, LISTED_VALUES).map(clipValue).join(', ');
  return values.length > LISTED_VALUES ? `${shown} and ${values.length - LISTED_VALUES} more` : shown;
}
