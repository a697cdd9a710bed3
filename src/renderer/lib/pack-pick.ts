/**
 * Reading a lesson pack in the page: from the browser's file pickers (a folder, or a .zip) and
 * from a folder or .zip dropped on the course screen (in both shells). Files are listed first
 * (path and size, nothing read), `admitFiles` decides what may be read, and only that is read:
 * the same limits as the desktop app's and the CLI's readers.
 */
import { admitFiles, type ListedFile } from '../../lessons/pack-files';
import { unzipPack, zipOverLimit } from '../../lessons/pack-zip';
import type { PackKind } from '../../shared/ipc';
import { PACK_LIMITS, type PackFile, type PackSource } from '../../shared/lesson';

/** A file with the path it has inside the pack. */
interface PathedFile {
  path: string;
  file: File;
}

/** Opens the browser's picker for a folder or a .zip and reads what is chosen; null when cancelled. */
export function pickPack(kind: PackKind): Promise<PackSource | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    if (kind === 'folder') input.webkitdirectory = true;
    else input.accept = '.zip,application/zip';
    input.addEventListener('change', () => {
      const files = [...(input.files ?? [])];
      if (files.length === 0) return resolve(null);
      if (kind === 'zip') return resolve(readZipFile(files[0]!));
      // A chosen folder's files carry paths from the folder's own name: "lesson-pack/01-…/lesson.md".
      const pathed = files.map((file) => ({ path: file.webkitRelativePath || file.name, file }));
      const name = pathed[0]!.path.split('/')[0] ?? 'lessons';
      resolve(readFiles(name, pathed.map((p) => ({ path: p.path.slice(name.length + 1), file: p.file }))));
    });
    input.addEventListener('cancel', () => resolve(null));
    input.click();
  });
}

/** A folder or a .zip dropped on the page; null when what was dropped is neither. */
export async function packFromDrop(transfer: DataTransfer): Promise<PackSource | null> {
  const item = [...transfer.items].find((i) => i.kind === 'file');
  const entry = item?.webkitGetAsEntry() ?? null;
  if (entry?.isDirectory) {
    const listed = await listDirectory(entry as FileSystemDirectoryEntry);
    if (listed === null) {
      return { name: entry.name, kind: 'folder', files: [], problems: [{ file: entry.name, line: null, message: `the folder holds far more than the ${PACK_LIMITS.maxFiles} files a pack may hold; nothing was read.` }] };
    }
    return readFiles(entry.name, listed);
  }
  const file = item?.getAsFile() ?? null;
  if (file && /\.zip$/i.test(file.name)) return readZipFile(file);
  return null;
}

async function readZipFile(file: File): Promise<PackSource> {
  return zipOverLimit(file.name, file.size) ?? unzipPack(file.name, new Uint8Array(await file.arrayBuffer()));
}

/** Reads the admitted files of a folder (paths inside the folder). */
async function readFiles(name: string, files: readonly PathedFile[]): Promise<PackSource> {
  const listed: ListedFile[] = files.map((f) => ({ path: f.path, size: f.file.size }));
  const admission = admitFiles(listed, name);
  const byPath = new Map(files.map((f) => [f.path, f.file]));
  const read: PackFile[] = [];
  for (const [path, original] of admission.admitted) {
    const file = byPath.get(original);
    if (file) read.push({ path, bytes: new Uint8Array(await file.arrayBuffer()) });
  }
  return { name, kind: 'folder', files: read, problems: admission.problems };
}

/** Every file under a dropped folder, with its path inside it; null past a sane number of entries. */
async function listDirectory(root: FileSystemDirectoryEntry): Promise<PathedFile[] | null> {
  const found: PathedFile[] = [];
  let seen = 0;
  const walk = async (dir: FileSystemDirectoryEntry, prefix: string, depth: number): Promise<boolean> => {
    const reader = dir.createReader();
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) return true;
      for (const entry of batch) {
        if (++seen > PACK_LIMITS.maxFiles * 10) return false;
        if (entry.name.startsWith('.')) continue;
        const path = `${prefix}${entry.name}`;
        if (entry.isDirectory) {
          if (depth < PACK_LIMITS.maxDepth && !(await walk(entry as FileSystemDirectoryEntry, `${path}/`, depth + 1))) return false;
        } else {
          const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
          found.push({ path, file });
        }
      }
    }
  };
  return (await walk(root, '', 0)) ? found : null;
}
