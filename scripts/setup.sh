#!/usr/bin/env bash
# One-time setup of a fresh clone: the pinned pnpm, every dependency, and a build of every package.
# Native addons (better-sqlite3, for the service) compile from source where no prebuilt binary can be
# fetched; node-gyp then needs Node's headers, which Debian's nodejs package puts under /usr.
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=12.4.2
if [ -d /usr/include/node ] && [ -z "${npm_config_nodedir:-}" ]; then export npm_config_nodedir=/usr; fi
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  npm install -g "pnpm@$PNPM_VERSION" --no-audit --no-fund --loglevel=error
fi
pnpm install --frozen-lockfile
pnpm build
echo "setup done: try 'pnpm demo' or 'pnpm exec strat --help'"
