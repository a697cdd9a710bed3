/**
 * The version the app says it is ("Updated to 0.2.0"): package.json's, or LOOPLAB_VERSION when
 * set at build time (the end-to-end test of updates builds a second, newer version that way).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export function appVersion(projectRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env.LOOPLAB_VERSION?.trim();
  if (override) return override;
  const manifest = JSON.parse(readFileSync(resolve(projectRoot, 'package.json'), 'utf8')) as { version?: unknown };
  if (typeof manifest.version !== 'string') throw new Error('package.json has no version');
  return manifest.version;
}
