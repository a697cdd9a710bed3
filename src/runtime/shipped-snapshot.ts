/**
 * The interpreter snapshot the build ships with the app (scripts/ship-snapshot.ts): made once,
 * in Node, by a fresh interpreter of this runtime, and restored where a shell has none of its
 * own yet (a first visit, a fresh browser profile, a new user). Every shell names it the same.
 */

/** The folder of the built app (out/web, the Electron renderer's) and of out/ it is kept in. */
export const SHIPPED_SNAPSHOT_DIR = 'snapshot';

/**
 * The shipped snapshot's file name for a runtime tag (runtime-id.ts's RUNTIME_TAG) and a
 * snapshot layout (snapshot-pages.ts's SNAPSHOT_LAYOUT): `python-<tag>.<layout>.gz`, the gzip
 * of the packed snapshot, as a FileSnapshotStore keeps it.
 */
export function shippedSnapshotName(tag: string, layout: string): string {
  return `python-${tag}.${layout}.gz`;
}
