/**
 * Ships the interpreter snapshot the build made (out/snapshot, by scripts/ship-snapshot.ts)
 * with the browser edition, at snapshot/<name> beside its pages, where the page asks for it
 * while it has none of its own (src/runtime/snapshot-idb.ts). The service worker precaches it
 * with every other file (build/offline-app.ts), so a first visit that goes offline keeps it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { SHIPPED_SNAPSHOT_DIR, shippedSnapshotName } from '../src/runtime/shipped-snapshot.ts';
import { runtimeTag } from '../src/runtime/runtime-id.ts';
import { SNAPSHOT_LAYOUT } from '../src/runtime/snapshot-pages.ts';
import { REPO_ROOT } from './repo-root.ts';
import { runtimeIdentity } from './runtime-id.ts';

export const SNAPSHOT_OUT_DIR = resolve(REPO_ROOT, 'out', SHIPPED_SNAPSHOT_DIR);

export function snapshotAsset(): Plugin {
  return {
    name: 'looplab:snapshot-asset',
    apply: 'build',
    generateBundle() {
      const runtime = runtimeIdentity();
      const name = shippedSnapshotName(runtimeTag(runtime), SNAPSHOT_LAYOUT);
      const file = resolve(SNAPSHOT_OUT_DIR, name);
      if (!existsSync(file)) {
        const there = existsSync(SNAPSHOT_OUT_DIR) ? readdirSync(SNAPSHOT_OUT_DIR).join(', ') || 'nothing' : 'no folder';
        this.error(`${file} is missing (out/snapshot holds ${there}): make it first (npm run build:traces).`);
      }
      this.emitFile({ type: 'asset', fileName: `${SHIPPED_SNAPSHOT_DIR}/${name}`, source: readFileSync(file) });
    },
  };
}
