import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compilers,
  installNpmProject,
  packPackages,
  publishedPackages,
  repoRoot,
  runTsc,
} from '../src/consumer-project';
import { readmeExamples } from '../src/readme-examples';

// A third party's project: our published libraries packed (as `changeset publish` uploads them) and
// installed with npm outside the workspace, type-checked on TypeScript 5.9 and the current major with
// TypeScript 7's defaults made stricter: strict, exactOptionalPropertyTypes, "types": [],
// skipLibCheck false (our .d.ts are checked too), in both module resolutions.
const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const libraries = publishedPackages().filter((pkg) => {
  const manifest = JSON.parse(readFileSync(join(pkg.dir, 'package.json'), 'utf8')) as { exports?: unknown };
  return JSON.stringify(manifest.exports ?? {}).includes('"types"');
});

let work: string;
let project: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'strat-consumer-types-'));
  project = join(work, 'project');
  installNpmProject(project, packPackages(libraries, join(work, 'tarballs')));
  cpSync(fixtures, project, { recursive: true });
  // Each README's TypeScript examples, one module each, named after the README and the line.
  const examplesDir = join(project, 'src', 'readme');
  mkdirSync(examplesDir, { recursive: true });
  for (const pkg of publishedPackages()) {
    const readme = join(pkg.dir, 'README.md');
    if (!existsSync(readme)) continue;
    for (const example of readmeExamples(readFileSync(readme, 'utf8'))) {
      const file = `${pkg.relativeDir.replace('/', '-')}-line-${example.line}.ts`;
      writeFileSync(
        join(examplesDir, file),
        `// ${pkg.relativeDir}/README.md, line ${example.line}\n${example.code}\n`,
      );
    }
  }
}, 600_000);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('a consumer project type-checks against the published packages', () => {
  it('installs the libraries and @types/node (the peer dependency our declarations reference)', () => {
    for (const pkg of libraries) {
      expect(existsSync(join(project, 'node_modules', pkg.name, 'package.json')), pkg.name).toBe(true);
    }
    expect(libraries.map((pkg) => pkg.name)).toEqual(
      expect.arrayContaining(['@strat/core', '@strat/data', '@strat/examples', '@strat/runtime']),
    );
    expect(existsSync(join(project, 'node_modules', '@types', 'node', 'package.json'))).toBe(true);
  });

  for (const tsc of compilers()) {
    for (const resolution of ['node16', 'bundler']) {
      it(`TypeScript ${tsc.label} (${tsc.version}), module resolution ${resolution}: no error`, () => {
        const result = runTsc(tsc, project, `tsconfig.${resolution}.json`);
        expect(result.output).toBe('');
        expect(result.status).toBe(0);
      });
    }
  }

  it('the README examples of every library are among the checked files', () => {
    for (const name of ['packages/core', 'packages/data', 'packages/examples', 'packages/runtime']) {
      const readme = readFileSync(join(repoRoot, name, 'README.md'), 'utf8');
      expect(readmeExamples(readme).length, name).toBeGreaterThan(0);
    }
  });

  it('the checks can fail: a declaration error in an installed package is reported', () => {
    const dts = join(project, 'node_modules', '@strat', 'core', 'dist', 'index.d.ts');
    const original = readFileSync(dts, 'utf8');
    writeFileSync(dts, `${original}\nexport declare const broken: MissingType;\n`);
    try {
      const current = compilers().at(-1)!;
      const result = runTsc(current, project, 'tsconfig.bundler.json');
      expect(result.status).not.toBe(0);
      expect(result.output).toContain("Cannot find name 'MissingType'");
    } finally {
      writeFileSync(dts, original);
    }
  });
});
