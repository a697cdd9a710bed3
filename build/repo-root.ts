/**
 * The checkout's root folder, found by walking up to the `package.json` named `loop-lab`.
 *
 * Build helpers cannot use `import.meta.dirname` plus a relative path: electron-vite bundles
 * its config (and everything it imports from `build/`) into one temporary file beside the
 * config, so inside that bundle `import.meta.dirname` is the root itself, while Vite and tsx
 * load these files where they are (`build/`). Walking up works from both places.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

function isLoopLabRoot(dir: string): boolean {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'loop-lab';
  } catch {
    return false;
  }
}

function findRepoRoot(start: string): string {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (isLoopLabRoot(dir)) return dir;
    if (dirname(dir) === dir) throw new Error(`Loop Lab's package.json not found above ${start}`);
  }
}

/** Absolute path of the checkout's root (the folder holding Loop Lab's package.json). */
export const REPO_ROOT = findRepoRoot(import.meta.dirname);
