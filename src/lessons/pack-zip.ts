/**
 * A lesson pack from a .zip file, with fflate, read in two passes so that nothing is inflated
 * before it is known to fit:
 *
 * 1. the zip's central directory is listed (names, sizes, count; fflate's `unzipSync` with a
 *    filter that takes nothing), and `admitFiles` decides what may be read: no path outside the
 *    pack (`../`, `/…`), no file over its size, no pack over its count or total (a zip bomb
 *    declares far more than a pack may hold, and is refused here, unread);
 * 2. the admitted files are inflated by fflate's streaming `Unzip`, fed 4 KB at a time, and a
 *    file that inflates to more than its directory entry declared is stopped at once: the
 *    whole pack is refused (a zip that lies about its sizes is a zip bomb).
 *
 * `zipPack` writes a pack's files into a .zip (the app keeps packs this way, and the browser
 * edition's "Save as lesson…" hands one to the teacher).
 */
import { strToU8, Unzip, UnzipInflate, unzipSync, zipSync } from 'fflate';
import { type LessonProblem, PACK_LIMITS, type PackFile, type PackSource } from '../shared/lesson';
import { admitFiles, formatBytes, type ListedFile } from './pack-files';

/** How much of the zip is handed to the inflater at a time (bounds the work done past a limit). */
const CHUNK_BYTES = 4096;

class TooMany extends Error {}

class ZipBomb extends Error {}

/** The pack a .zip of `size` bytes makes when it is over the limit: nothing but the problem (call it before reading the file). */
export function zipOverLimit(name: string, size: number): PackSource | null {
  if (size <= PACK_LIMITS.maxZipBytes) return null;
  const message = `the .zip is ${formatBytes(size)}, more than the ${formatBytes(PACK_LIMITS.maxZipBytes)} a pack may be; nothing was read.`;
  return { name, kind: 'zip', files: [], problems: [{ file: name, line: null, message }] };
}

export function unzipPack(name: string, bytes: Uint8Array): PackSource {
  const fail = (message: string): PackSource => ({ name, kind: 'zip', files: [], problems: [{ file: name, line: null, message }] });
  const tooLarge = zipOverLimit(name, bytes.length);
  if (tooLarge) return tooLarge;

  // Pass 1: the directory, nothing inflated.
  const listed: (ListedFile & { compression: number })[] = [];
  let entries = 0;
  try {
    unzipSync(bytes, {
      filter: (info) => {
        if (++entries > PACK_LIMITS.maxFiles * 4) throw new TooMany();
        if (!info.name.endsWith('/')) listed.push({ path: info.name, size: info.originalSize, compression: info.compression });
        return false;
      },
    });
  } catch (error) {
    if (error instanceof TooMany) return fail(`the .zip holds more than ${PACK_LIMITS.maxFiles * 4} entries, far more than the ${PACK_LIMITS.maxFiles} files a pack may hold; nothing was read.`);
    return fail('this is not a .zip file that can be read (it may be damaged, or another kind of archive); nothing was read.');
  }
  const admission = admitFiles(listed, name);
  const problems: LessonProblem[] = [...admission.problems];
  if (admission.refused) return { name, kind: 'zip', files: [], problems };
  const declared = new Map<string, number>();
  const wanted = new Set(admission.admitted.values());
  for (const file of listed) {
    if (!wanted.has(file.path)) continue;
    if (file.compression !== 0 && file.compression !== 8) {
      problems.push({ file: file.path, line: null, message: `the file is packed in a way Loop Lab does not read (method ${file.compression}); zip it again with the usual settings.` });
      continue;
    }
    declared.set(file.path, file.size);
  }

  // Pass 2: inflate what was admitted, never more than each file declared.
  const chunks = new Map<string, Uint8Array[]>();
  const sizes = new Map<string, number>();
  const unzip = new Unzip((file) => {
    const limit = declared.get(file.name);
    if (limit === undefined || chunks.has(file.name)) return; // not admitted, or seen already: never inflated
    const parts: Uint8Array[] = [];
    chunks.set(file.name, parts);
    sizes.set(file.name, 0);
    file.ondata = (error, data, _final) => {
      if (error) throw error instanceof ZipBomb ? error : new ZipBomb(`${file.name}: ${error.message}`);
      const size = sizes.get(file.name)! + data.length;
      if (size > limit) throw new ZipBomb(`${file.name}: inflates to more than the ${limit} bytes its entry declares`);
      sizes.set(file.name, size);
      parts.push(data);
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  try {
    for (let at = 0; at < bytes.length; at += CHUNK_BYTES) {
      unzip.push(bytes.subarray(at, Math.min(bytes.length, at + CHUNK_BYTES)), at + CHUNK_BYTES >= bytes.length);
    }
  } catch (error) {
    const bomb = error instanceof ZipBomb;
    return fail(
      bomb
        ? `a file in this .zip unpacks to more than the zip says it holds (${error.message.split(':')[0]}): a zip bomb, or a damaged file; nothing was read.`
        : 'this .zip is damaged and cannot be read; nothing was read.',
    );
  }

  const files: PackFile[] = [];
  for (const [normalized, original] of admission.admitted) {
    if (!declared.has(original)) continue;
    const parts = chunks.get(original);
    if (!parts) {
      problems.push({ file: normalized, line: null, message: 'the file is listed in the .zip but could not be found in it; zip the pack again.' });
      continue;
    }
    files.push({ path: normalized, bytes: concat(parts, sizes.get(original)!) });
  }
  return { name, kind: 'zip', files, problems };
}

function concat(parts: readonly Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** The files as a .zip (deflated), paths as given. Text is written as UTF-8. */
export function zipPack(files: readonly { path: string; bytes: Uint8Array | string }[]): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const file of files) entries[file.path] = typeof file.bytes === 'string' ? strToU8(file.bytes) : file.bytes;
  return zipSync(entries, { level: 6, mtime: new Date('2024-01-01T00:00:00Z') });
}
