#!/usr/bin/env node
// `npm start`: opens the desktop app when Electron's binary is installed; otherwise says so in
// one line and serves the browser edition locally instead, printing its address.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

function electronBinary() {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const relative = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    const binary = join(dir, 'dist', relative);
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

function run(command, args) {
  const child = spawn(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (electronBinary()) {
  run('npx', ['electron-vite', 'preview']);
} else {
  console.log("Electron's binary is not installed here, so Loop Lab starts as the browser edition (same app, in your browser).");
  run('npm', ['run', '--silent', 'web']);
}
