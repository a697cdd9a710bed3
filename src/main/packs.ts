/**
 * Lesson packs in the desktop app: choosing one (a folder, or a .zip) through the system's
 * dialog, keeping it in the user-data folder so it is there after a restart, and watching the
 * folder it came from, so that a teacher's edit shows in the app at once (authoring preview).
 *
 *   <userData>/packs/index.json     [{ id, name, kind, savedAt, folder? }]
 *   <userData>/packs/<id>.zip        the pack's files, as the renderer loaded them
 *
 * The renderer never sends a path: main hands out a random token for each folder it opened,
 * and keeps the path to itself. Everything read goes through the same limits as anywhere else
 * (src/lessons/pack-folder.ts, pack-zip.ts).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, type FSWatcher, watch } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type BrowserWindow, dialog } from 'electron';
import { readPackFolder } from '../lessons/pack-folder';
import { unzipPack, zipOverLimit, zipPack } from '../lessons/pack-zip';
import { freeFolderName } from '../lessons/new-lesson';
import type { LessonSaveRequest, OpenedPack, PackChange, PackKind, StoredPack } from '../shared/ipc';

interface IndexEntry {
  id: string;
  name: string;
  kind: PackKind;
  savedAt: number;
  /** The folder it was opened from, watched for edits (a folder pack only). */
  folder?: string;
}

/** How long after the last change in a watched folder it is read again, in ms. */
const SETTLE_MS = 250;

export class PackKeeper {
  readonly #dir: string;
  /** Folders opened in this session, by the token the renderer was given. */
  readonly #opened = new Map<string, string>();
  readonly #watchers = new Map<string, FSWatcher>();
  readonly #onChange: (change: PackChange) => void;

  constructor(userData: string, onChange: (change: PackChange) => void) {
    this.#dir = join(userData, 'packs');
    this.#onChange = onChange;
  }

  async open(window: BrowserWindow, kind: PackKind): Promise<OpenedPack | null> {
    const result = await dialog.showOpenDialog(window, {
      title: kind === 'folder' ? 'Open a folder of lessons' : 'Open a .zip of lessons',
      properties: kind === 'folder' ? ['openDirectory'] : ['openFile'],
      filters: kind === 'zip' ? [{ name: 'Lesson packs', extensions: ['zip'] }] : [],
    });
    const path = result.filePaths[0];
    if (result.canceled || !path) return null;
    if (kind === 'zip') return { source: await readZip(path), watch: null };
    const token = randomBytes(16).toString('hex');
    this.#opened.set(token, path);
    return { source: await readPackFolder(path), watch: token };
  }

  /** Every kept pack; one whose folder is still there is read from the folder, as it is now, and watched. */
  async list(): Promise<StoredPack[]> {
    const packs: StoredPack[] = [];
    for (const entry of await this.#index()) {
      try {
        if (entry.folder && existsSync(entry.folder)) {
          const source = await readPackFolder(entry.folder);
          packs.push({ id: entry.id, name: entry.name, kind: entry.kind, savedAt: entry.savedAt, zip: zipPack(source.files) });
          this.#watch(entry.id, entry.folder);
        } else {
          const zip = await readFile(join(this.#dir, `${entry.id}.zip`));
          packs.push({ id: entry.id, name: entry.name, kind: entry.kind, savedAt: entry.savedAt, zip: new Uint8Array(zip) });
        }
      } catch {
        // A kept pack that cannot be read any more is left out; the others still load.
      }
    }
    return packs;
  }

  async save(pack: StoredPack, watchToken: string | null): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    await writeAtomically(join(this.#dir, `${pack.id}.zip`), pack.zip);
    const all = await this.#index();
    const previous = all.find((e) => e.id === pack.id);
    const index = all.filter((e) => e.id !== pack.id);
    const folder = watchToken !== null ? this.#opened.get(watchToken) : pack.kind === 'folder' ? previous?.folder : undefined;
    index.push({ id: pack.id, name: pack.name, kind: pack.kind, savedAt: pack.savedAt, ...(folder ? { folder } : {}) });
    await writeAtomically(join(this.#dir, 'index.json'), JSON.stringify(index, null, 2));
    if (folder) this.#watch(pack.id, folder);
    else this.#unwatch(pack.id);
  }

  async remove(id: string): Promise<void> {
    this.#unwatch(id);
    const index = (await this.#index()).filter((e) => e.id !== id);
    await mkdir(this.#dir, { recursive: true });
    await writeAtomically(join(this.#dir, 'index.json'), JSON.stringify(index, null, 2));
    await rm(join(this.#dir, `${id}.zip`), { force: true });
  }

  /** Writes a new lesson folder into a folder the teacher picks; returns its path, or null. */
  async saveLesson(window: BrowserWindow, request: LessonSaveRequest): Promise<string | null> {
    const result = await dialog.showOpenDialog(window, {
      title: 'Where should the new lesson folder go?',
      buttonLabel: 'Save the lesson here',
      properties: ['openDirectory', 'createDirectory'],
    });
    const parent = result.filePaths[0];
    if (result.canceled || !parent) return null;
    const folder = join(parent, freeFolderName(request.folder, (name) => existsSync(join(parent, name))));
    await mkdir(folder);
    for (const file of request.files) await writeFile(join(folder, file.name), file.text, { encoding: 'utf8', flag: 'wx' });
    return folder;
  }

  dispose(): void {
    for (const id of [...this.#watchers.keys()]) this.#unwatch(id);
  }

  async #index(): Promise<IndexEntry[]> {
    try {
      const raw: unknown = JSON.parse(await readFile(join(this.#dir, 'index.json'), 'utf8'));
      if (!Array.isArray(raw)) return [];
      return raw.filter(
        (e): e is IndexEntry =>
          typeof e === 'object' && e !== null && typeof e.id === 'string' && /^[a-z0-9][a-z0-9-]{0,99}$/.test(e.id) && typeof e.name === 'string',
      );
    } catch {
      return [];
    }
  }

  #watch(id: string, folder: string): void {
    if (this.#watchers.has(id)) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    try {
      const watcher = watch(folder, { recursive: true }, () => {
        if (timer) clearTimeout(timer);
        timer = setTimeout(() => {
          timer = null;
          void readPackFolder(folder).then((source) => this.#onChange({ id, source }));
        }, SETTLE_MS);
      });
      watcher.on('error', () => this.#unwatch(id));
      this.#watchers.set(id, watcher);
    } catch {
      // The folder cannot be watched (gone, or too many watches): the kept copy still works.
    }
  }

  #unwatch(id: string): void {
    this.#watchers.get(id)?.close();
    this.#watchers.delete(id);
  }
}

async function readZip(path: string): Promise<OpenedPack['source']> {
  const name = basename(path);
  return zipOverLimit(name, (await stat(path)).size) ?? unzipPack(name, new Uint8Array(await readFile(path)));
}

async function writeAtomically(path: string, data: Uint8Array | string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}
