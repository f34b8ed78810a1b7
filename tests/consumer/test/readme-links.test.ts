import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishedPackages, repoRoot } from '../src/consumer-project';
import { relativeLinks } from '../src/readme-examples';

// npm shows a package's README away from the repository: a relative link (../../README.md) breaks
// there. Links into the repository are absolute GitHub URLs, and each must name a file that exists.
const REPOSITORY =
  /^https:\/\/(?:github\.com\/strat-dev\/strat\/(?:blob|tree)\/main|raw\.githubusercontent\.com\/strat-dev\/strat\/main)\/([^#?]+)/;

describe('the README of each published package', () => {
  for (const pkg of publishedPackages()) {
    const readme = readFileSync(join(pkg.dir, 'README.md'), 'utf8');

    it(`${pkg.relativeDir}: has no relative link or image`, () => {
      expect(relativeLinks(readme)).toEqual([]);
    });

    it(`${pkg.relativeDir}: links into the repository name files that exist`, () => {
      const targets = [...readme.matchAll(/\]\((https:\/\/[^)\s]+)\)/g)].flatMap((m) => {
        const path = REPOSITORY.exec(m[1] ?? '')?.[1];
        return path === undefined ? [] : [path];
      });
      for (const path of targets) expect(existsSync(join(repoRoot, path)), path).toBe(true);
    });
  }

  it('covers the CLI and the libraries', () => {
    expect(publishedPackages().map((pkg) => pkg.name)).toEqual(
      expect.arrayContaining([
        '@strat/cli',
        '@strat/core',
        '@strat/data',
        '@strat/examples',
        '@strat/runtime',
      ]),
    );
  });
});
