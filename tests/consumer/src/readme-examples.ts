/** A TypeScript example of a README, as a consumer would paste it into a file. */
export interface ReadmeExample {
  /** The README's line of the opening fence (1-based). */
  line: number;
  /** The code, with the declarations of its `prelude` marker first. */
  code: string;
}

/** The marker that leaves the next code block out, with the reason: `<!-- consumer-types: skip a fragment -->`. */
const SKIP = /^<!--\s*consumer-types:\s*skip\b.*-->$/;
/**
 * The marker that declares what the next code block uses without showing it, for a fragment that
 * continues an earlier example: `<!-- consumer-types: prelude declare const session: Session; -->`.
 */
const PRELUDE = /^<!--\s*consumer-types:\s*prelude\s+([\s\S]*?)\s*-->$/;
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/;
const TYPESCRIPT = new Set(['ts', 'typescript']);

/**
 * The ```ts code blocks of a Markdown text, each to be type-checked as its own module. An HTML
 * comment on the line before a block (`consumer-types: skip ...` or `consumer-types: prelude ...`)
 * leaves it out or adds declarations before it; the comment does not show on npm or GitHub.
 */
export function readmeExamples(markdown: string): ReadmeExample[] {
  const lines = markdown.split(/\r?\n/);
  const examples: ReadmeExample[] = [];
  let previous = '';
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (open === null) {
      if ((lines[i] ?? '').trim() !== '') previous = (lines[i] ?? '').trim();
      continue;
    }
    const [, indent = '', fence = '```', language = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j] ?? '').trim().startsWith(fence)) {
      const line = lines[j] ?? '';
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line);
      j++;
    }
    if (TYPESCRIPT.has(language.toLowerCase()) && !SKIP.test(previous)) {
      const prelude = PRELUDE.exec(previous)?.[1];
      const code = [...(prelude === undefined ? [] : [prelude]), ...body].join('\n');
      examples.push({ line: i + 1, code });
    }
    previous = '';
    i = j;
  }
  return examples;
}

/** The relative links and images of a Markdown text (`[x](../../README.md)`, `![x](docs/a.png)`). */
export function relativeLinks(markdown: string): string[] {
  const links: string[] = [];
  const withoutCode = markdown
    .replace(/^(\s*)(`{3,}|~{3,})[\s\S]*?^\1\2\s*$/gm, '')
    .replace(/`[^`\n]*`/g, '');
  for (const match of withoutCode.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    const target = match[1] ?? '';
    if (/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(target)) continue;
    links.push(target);
  }
  for (const match of withoutCode.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) {
    const target = match[1] ?? '';
    if (/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(target)) continue;
    links.push(target);
  }
  return links;
}
