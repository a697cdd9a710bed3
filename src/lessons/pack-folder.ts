/**
 * A lesson pack from a folder on disk (Node: the CLI and Electron's main process; the browser
 * reads folders in src/renderer/lib/pack-pick.ts). The folder is listed first, without reading
 * any file, and only what `admitFiles` lets in is read. Links (symlinks) are never followed: a
 * link could lead anywhere on the disk, and a pack holds only its own files. Hidden files and
 * folders (`.git`) are skipped without a word.
 *
 * Not for the renderer: it imports node:fs (src/lessons/index.ts does not export it).
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { PACK_LIMITS, type PackFile, type PackSource } from '../shared/lesson';
import { admitFiles, type ListedFile } from './pack-files';

/** How many entries (files and folders) a listing looks at before it gives up: far beyond any pack. */
const MAX_ENTRIES = PACK_LIMITS.maxFiles * 10;

export async function readPackFolder(dir: string): Promise<PackSource> {
  const root = resolve(dir);
  const name = basename(root);
  const listed: ListedFile[] = [];
  const source: PackSource = { name, kind: 'folder', files: [], problems: [] };
  let entries = 0;

  const walk = async (relative: string, depth: number): Promise<boolean> => {
    const names = (await readdir(join(root, relative))).sort();
    for (const entry of names) {
      if (entry.startsWith('.') || entry === 'node_modules' || entry === '__pycache__') continue;
      if (++entries > MAX_ENTRIES) return false;
      const path = relative === '' ? entry : `${relative}/${entry}`;
      const info = await lstat(join(root, path));
      if (info.isSymbolicLink()) {
        source.problems.push({ file: path, line: null, message: 'this is a link to somewhere else on the disk; a pack holds only its own files, so it is left out.' });
      } else if (info.isDirectory()) {
        if (depth >= PACK_LIMITS.maxDepth) {
          source.problems.push({ file: path, line: null, message: `the folder is more than ${PACK_LIMITS.maxDepth} folders deep in the pack, so it is left out.` });
        } else if (!(await walk(path, depth + 1))) return false;
      } else if (info.isFile()) {
        listed.push({ path, size: info.size });
      }
    }
    return true;
  };

  try {
    if (!(await lstat(root)).isDirectory()) {
      source.problems.push({ file: name, line: null, message: 'this is not a folder.' });
      return source;
    }
    if (!(await walk('', 0))) {
      source.problems.push({ file: name, line: null, message: `the folder holds more than ${MAX_ENTRIES} files and folders, far more than a pack may hold; nothing was read.` });
      return source;
    }
  } catch (error) {
    source.problems.push({ file: name, line: null, message: `the folder could not be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}.` });
    return source;
  }

  const admission = admitFiles(listed, name);
  source.problems.push(...admission.problems);
  if (admission.refused) return source;
  const files: PackFile[] = [];
  for (const [path, original] of admission.admitted) {
    try {
      const bytes = await readFile(join(root, original));
      // The file may have grown since it was listed: hold it to the same limit.
      if (bytes.length > PACK_LIMITS.maxFileBytes) {
        source.problems.push({ file: path, line: null, message: 'the file grew past the size a file of a pack may have while it was read, so it is left out.' });
        continue;
      }
      files.push({ path, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) });
    } catch (error) {
      source.problems.push({ file: path, line: null, message: `the file could not be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}.` });
    }
  }
  source.files = files;
  return source;
}
