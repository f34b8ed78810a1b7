// Writes session-config.schema.json from the built package: `pnpm --filter @strat/core schema:write`
// (after `build`). A test fails when the committed file and the schemas disagree.
import { writeFileSync } from 'node:fs';
import { sessionConfigJsonSchema } from '../dist/index.js';

const target = new URL('../session-config.schema.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(sessionConfigJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
