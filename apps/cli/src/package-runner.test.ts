import { describe, expect, it } from 'vitest';
import { packageCommand } from './package-runner';

describe('packageCommand', () => {
  it('runs a command through the package manager that started strat, npx when unknown', () => {
    expect(
      packageCommand('strat', { npm_config_user_agent: 'pnpm/12.4.2 npm/? node/v20.19.0 linux x64' }),
    ).toBe('pnpm exec strat');
    expect(
      packageCommand('strat', {
        npm_config_user_agent: 'npm/10.8.2 node/v20.19.0 linux x64 workspaces/false',
      }),
    ).toBe('npx strat');
    expect(
      packageCommand('vitest', { npm_config_user_agent: 'yarn/4.5.0 npm/? node/v20.19.0 linux x64' }),
    ).toBe('yarn vitest');
    expect(
      packageCommand('strat', { npm_config_user_agent: 'bun/1.1.30 npm/? node/v22.6.0 linux x64' }),
    ).toBe('bunx strat');
    expect(packageCommand('strat', {})).toBe('npx strat');
    expect(packageCommand('strat', { npm_config_user_agent: '' })).toBe('npx strat');
  });
});
