import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStrat, scratchDir } from '../strat-process';

let scratch: ReturnType<typeof scratchDir>;

beforeAll(() => {
  scratch = scratchDir('new-strategy-hint');
  mkdirSync(join(scratch.dir, 'strategies'));
});

afterAll(() => scratch.remove());

describe('strat new strategy: what to type next', () => {
  it('names the commands through the package manager that ran strat (a bare strat is not on the PATH)', async () => {
    const pnpm = await runStrat(['new', 'strategy', 'hint_pnpm'], {
      cwd: scratch.dir,
      env: { npm_config_user_agent: 'pnpm/12.4.2 npm/? node/v20.19.0 linux x64' },
    });
    expect(pnpm.code, pnpm.stderr).toBe(0);
    expect(pnpm.stdout).toContain(
      '  2. test it:  pnpm exec vitest run strategies/production/hint_pnpm.test.ts\n',
    );
    expect(pnpm.stdout).toContain(
      'HintPnpmStrategy is a working channel breakout, whatever its name; make it yours:\n' +
        '  1. change onBars and the config schema in strategies/production/hint_pnpm.ts\n',
    );
    expect(pnpm.stdout).toContain(
      '  3. check its types: pnpm exec strat validate --types session_configs/hint_pnpm.json\n',
    );
    expect(pnpm.stdout).toContain(
      '  4. run it:   pnpm exec strat run session_configs/hint_pnpm.json --out journal-hint_pnpm.jsonl\n',
    );
    const plain = await runStrat(['new', 'strategy', 'hint_npx'], {
      cwd: scratch.dir,
      env: { npm_config_user_agent: undefined },
    });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('  4. run it:   npx strat run session_configs/hint_npx.json');
    expect(plain.stdout).not.toMatch(/ {3}strat run/);
  });
});
