/**
 * An output the build makes once per input (the compiled standard library, the tracer's
 * bytecode): beside it a stamp, `<output>.sha256`, holds the identity of what it was made from.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { REPO_ROOT } from './repo-root.ts';

/** True when `out` exists and its stamp says it was made from `identity`. */
export function madeFrom(out: string, identity: string): boolean {
  const stamp = `${out}.sha256`;
  return existsSync(out) && existsSync(stamp) && readFileSync(stamp, 'utf8') === identity;
}

/** Runs `script` (a TypeScript file) with Node and tsx, its output on this process's; true if it succeeded. */
export function runBuildScript(script: string): boolean {
  return spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: REPO_ROOT, stdio: 'inherit' }).status === 0;
}
