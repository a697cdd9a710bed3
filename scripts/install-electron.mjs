#!/usr/bin/env node
// postinstall: Electron 42+ no longer downloads its binary when installed, so Loop Lab asks for
// it here. Where the network allows, the desktop app is then ready to start; where it does not
// (an offline classroom, a locked-down CI), installing carries on and `npm start` serves the
// browser edition instead. Set ELECTRON_SKIP_BINARY_DOWNLOAD=1 to skip the attempt.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function electronDir() {
  try {
    return dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

const dir = electronDir();
if (!dir) process.exit(0); // installed without dev dependencies: nothing to fetch
if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
  console.log('loop-lab: skipping the Electron download (ELECTRON_SKIP_BINARY_DOWNLOAD is set).');
  process.exit(0);
}
if (existsSync(join(dir, 'path.txt')) && existsSync(join(dir, 'dist'))) process.exit(0);

const child = spawn(process.execPath, [join(dir, 'install.js')], { stdio: ['ignore', 'ignore', 'pipe'] });
let errors = '';
child.stderr.on('data', (chunk) => {
  errors += chunk;
});
const timer = setTimeout(() => child.kill('SIGTERM'), 180_000);
child.on('close', (code) => {
  clearTimeout(timer);
  if (code === 0 && existsSync(join(dir, 'path.txt'))) {
    console.log('loop-lab: Electron is installed; `npm start` opens the desktop app.');
  } else {
    const reason = (errors.match(/(ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|fetch failed|\d{3} [A-Z][\w ]+)/) ?? [])[0] ?? 'no network?';
    console.log(`loop-lab: could not download Electron's binary (${reason}); \`npm start\` will serve the browser edition instead.`);
  }
  process.exit(0);
});
