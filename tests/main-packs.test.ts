/**
 * The desktop app's lesson packs (src/main/packs.ts), with Electron's dialog stubbed: a folder
 * opened through the dialog is kept in the user-data folder and watched, so the teacher's edit
 * comes back as a change (authoring preview); kept packs are there after a restart until
 * removed; "Save as lesson…" writes a new folder and never overwrites one.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadPack } from '../src/lessons/pack';
import { unzipPack, zipPack } from '../src/lessons/pack-zip';
import type { PackChange } from '../src/shared/ipc';
import { PACK_LIMITS } from '../src/shared/lesson';

const chosen: { paths: string[] } = { paths: [] };
vi.mock('electron', () => ({
  dialog: { showOpenDialog: vi.fn(async () => ({ canceled: chosen.paths.length === 0, filePaths: chosen.paths })) },
}));

const { PackKeeper } = await import('../src/main/packs');

const EXAMPLE = resolve(import.meta.dirname, '..', 'examples', 'lesson-pack');
const window = {} as never;
const keepers: InstanceType<typeof PackKeeper>[] = [];

function keeper(userData: string, onChange: (change: PackChange) => void = () => undefined): InstanceType<typeof PackKeeper> {
  const made = new PackKeeper(userData, onChange);
  keepers.push(made);
  return made;
}

afterEach(() => {
  for (const k of keepers.splice(0)) k.dispose();
  chosen.paths = [];
});

describe('PackKeeper', () => {
  it('keeps a folder pack, watches it for edits, and has it back after a restart until removed', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'loop-lab-userdata-'));
    const folder = join(mkdtempSync(join(tmpdir(), 'loop-lab-teacher-')), 'lesson-pack');
    cpSync(EXAMPLE, folder, { recursive: true });
    const changes: PackChange[] = [];
    const first = keeper(userData, (change) => changes.push(change));

    chosen.paths = [folder];
    const opened = (await first.open(window, 'folder'))!;
    expect(opened.watch).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(opened)).not.toContain(folder); // the renderer never sees the path
    const pack = loadPack(opened.source);
    expect(pack.problems).toEqual([]);
    await first.save({ id: pack.id, name: opened.source.name, kind: 'folder', zip: zipPack(opened.source.files), savedAt: 1 }, opened.watch);
    expect(existsSync(join(userData, 'packs', 'asyncio-extras.zip'))).toBe(true);

    // The teacher edits a stop's title: the folder's new files come back as a change.
    const tour = join(folder, '02-giving-up-with-wait-for', 'tour.md');
    writeFileSync(tour, readFileSync(tour, 'utf8').replace('## main gives up', '## main gives up at last'));
    await vi.waitFor(() => expect(changes.length).toBeGreaterThan(0), { timeout: 15_000, interval: 50 });
    const edited = loadPack(changes.at(-1)!.source);
    expect(changes.at(-1)!.id).toBe('asyncio-extras');
    expect(edited.catalog.lessons[1]!.stops.map((s) => s.title)).toContain('main gives up at last');

    // A restart: the kept pack is listed, read from its folder as it is now.
    first.dispose();
    const second = keeper(userData);
    const listed = await second.list();
    expect(listed.map((p) => [p.id, p.name, p.kind])).toEqual([['asyncio-extras', 'lesson-pack', 'folder']]);
    expect(loadPack(unzipPack('lesson-pack', listed[0]!.zip)).catalog.lessons[1]!.stops.map((s) => s.title)).toContain('main gives up at last');

    // Removed: gone from the list and from the disk.
    await second.remove('asyncio-extras');
    expect(await second.list()).toEqual([]);
    expect(existsSync(join(userData, 'packs', 'asyncio-extras.zip'))).toBe(false);
  });

  it('keeps a .zip pack as it was opened, and refuses one over the size limit unread', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'loop-lab-userdata-'));
    const dir = mkdtempSync(join(tmpdir(), 'loop-lab-teacher-'));
    const k = keeper(userData);
    const big = join(dir, 'huge.zip');
    writeFileSync(big, new Uint8Array(PACK_LIMITS.maxZipBytes + 1));
    chosen.paths = [big];
    const refused = (await k.open(window, 'zip'))!;
    expect(refused.watch).toBeNull();
    expect(refused.source.files).toEqual([]);
    expect(refused.source.problems[0]!.message).toMatch(/^the \.zip is 8 MB, more than the 8 MB a pack may be/);

    const zip = zipPack([{ path: '01-a/lesson.md', bytes: '---\ntitle: A\nsummary: B\n---\n' }]);
    await k.save({ id: 'a-pack', name: 'a.zip', kind: 'zip', zip, savedAt: 2 }, null);
    const [kept] = await keeper(userData).list();
    expect(kept).toMatchObject({ id: 'a-pack', name: 'a.zip', kind: 'zip', savedAt: 2 });
    expect([...kept!.zip]).toEqual([...zip]);
  });

  it('Save as lesson writes a new folder where the teacher says, never over an existing one', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'loop-lab-lessons-'));
    const k = keeper(mkdtempSync(join(tmpdir(), 'loop-lab-userdata-')));
    chosen.paths = [parent];
    const request = { folder: '01-scratchpad', files: [{ name: 'main.py', text: 'print(1)\n' }, { name: 'main.out', text: '1\n' }] };
    expect(await k.saveLesson(window, request)).toBe(join(parent, '01-scratchpad'));
    expect(await k.saveLesson(window, request)).toBe(join(parent, '01-scratchpad-2'));
    expect(readFileSync(join(parent, '01-scratchpad-2', 'main.out'), 'utf8')).toBe('1\n');
    chosen.paths = [];
    expect(await k.saveLesson(window, request)).toBeNull(); // cancelled
  });
});
