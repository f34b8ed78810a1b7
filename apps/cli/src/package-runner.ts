/**
 * How to run an installed package's command (`strat`, `vitest`) from the project, through the
 * package manager that started this process (`npm_config_user_agent`, which pnpm, npm, yarn and bun
 * set): `pnpm exec strat`, `npx strat`, `yarn strat`, `bunx strat`; `npx strat` when none did.
 * A bare `strat` is on the PATH only when installed globally, so hints never print one.
 */
export function packageCommand(bin: string, env: NodeJS.ProcessEnv = process.env): string {
  const manager = env.npm_config_user_agent?.split('/', 1)[0]?.trim();
  switch (manager) {
    case 'pnpm':
      return `pnpm exec ${bin}`;
    case 'yarn':
      return `yarn ${bin}`;
    case 'bun':
      return `bunx ${bin}`;
    default:
      return `npx ${bin}`;
  }
}
