/** `ws://user:pass@host/x?token=...` -> `ws://host/x`: URLs in messages never carry credentials. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return '<invalid URL>';
  }
}

/** `text` with every occurrence of each non-empty secret replaced by `***`. */
export function redactText(text: string, ...secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s !== '') out = out.split(s).join('***');
  return out;
}
