#!/usr/bin/env node
// The `loop-lab` command. Its code is built into out/node by `npm install` (the prepare step).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/node/loop-lab.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('loop-lab: not built yet. Run `npm install` (or `npm run build:node`) in the Loop Lab folder first.\n');
  process.exit(70);
}
await import(cli);
