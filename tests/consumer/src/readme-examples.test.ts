import { describe, expect, it } from 'vitest';
import { readmeExamples, relativeLinks } from './readme-examples';

const fence = '```';

describe('readmeExamples', () => {
  it('takes each ts block with its line, leaves other languages out', () => {
    const markdown = [
      '# x',
      `${fence}sh`,
      'npm install x',
      fence,
      `${fence}ts`,
      "import { a } from 'x';",
      'a();',
      fence,
      `${fence}typescript`,
      'const b = 1;',
      fence,
    ].join('\n');
    expect(readmeExamples(markdown)).toEqual([
      { line: 5, code: "import { a } from 'x';\na();" },
      { line: 9, code: 'const b = 1;' },
    ]);
  });

  it('skips a block after a skip marker and prefixes a prelude, through blank lines', () => {
    const markdown = [
      '<!-- consumer-types: skip a fragment of onBars -->',
      `${fence}ts`,
      '    const x = 1;',
      fence,
      '<!-- consumer-types: prelude declare const session: { start(): void }; -->',
      '',
      `${fence}ts`,
      'session.start();',
      fence,
      'text between',
      `${fence}ts`,
      'const after = 2;',
      fence,
    ].join('\n');
    expect(readmeExamples(markdown)).toEqual([
      { line: 7, code: 'declare const session: { start(): void };\nsession.start();' },
      { line: 11, code: 'const after = 2;' },
    ]);
  });

  it('removes the indentation of an indented block', () => {
    const markdown = ['1. step', `   ${fence}ts`, '   const x = 1;', '     nested();', `   ${fence}`].join(
      '\n',
    );
    expect(readmeExamples(markdown)).toEqual([{ line: 2, code: 'const x = 1;\n  nested();' }]);
  });
});

describe('relativeLinks', () => {
  it('finds relative links and images, not URLs, anchors or code', () => {
    const markdown = [
      'See [@strat](../../README.md) and [`@strat/data`](../data/README.md#live-feeds).',
      '![chart](docs/report.png) [abs](https://github.com/strat-dev/strat) [here](#install) [m](mailto:a@b.c)',
      '`[not](a-link.md)`',
      `${fence}md`,
      '[inside](code.md)',
      fence,
      '[ref]: ./reference.md',
    ].join('\n');
    expect(relativeLinks(markdown)).toEqual([
      '../../README.md',
      '../data/README.md#live-feeds',
      'docs/report.png',
      './reference.md',
    ]);
  });
});
