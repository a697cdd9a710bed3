/**
 * The files of a lesson pack before they are lessons: where they come from (a folder or a .zip,
 * read by pack-zip.ts, pack-folder.ts or the browser), which of them are let in, and how their
 * bytes become text. Every reader lists the files first (paths and sizes) and asks `admitFiles`
 * which to read, so nothing over PACK_LIMITS is ever read or unpacked.
 */
import { type LessonProblem, PACK_LIMITS } from '../shared/lesson';

/** A file as listed before it is read: its path as the source gives it, and its size in bytes. */
export interface ListedFile {
  path: string;
  size: number;
}

export interface Admission {
  /** The files to read: normalized path → the path as listed. */
  admitted: Map<string, string>;
  problems: LessonProblem[];
  /** The whole pack is refused (over a limit): read nothing. */
  refused: boolean;
}

const MB = 1024 * 1024;

/** Sizes in words: `8 MB`, `512 KB`. */
export function formatBytes(bytes: number): string {
  return bytes >= MB ? `${Math.round((bytes / MB) * 10) / 10} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * A path inside the pack, `/`-separated with no empty, `.` or `..` parts; null when the path
 * would reach outside the pack (`../x`, `/etc/x`, `C:\x`, `a/../../x`).
 */
export function normalizePackPath(path: string): string | null {
  const unified = path.replace(/\\/g, '/');
  if (unified.startsWith('/') || /^[A-Za-z]:/.test(unified) || unified.includes('\0')) return null;
  const parts = unified.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return null;
  return parts.length === 0 ? null : parts.join('/');
}

/** Files every pack may carry that are no part of it: hidden files and folders, macOS's extras. */
export function isIgnoredPath(path: string): boolean {
  return path.split('/').some((part) => part.startsWith('.') || part === '__MACOSX' || part === 'Thumbs.db' || part === 'desktop.ini');
}

/**
 * Which listed files to read: the ones inside the pack, not hidden, each within the size a
 * file may have; the whole pack is refused when it holds too many files or too many bytes.
 * `where` names the pack in messages about the pack as a whole (`week-3.zip`).
 */
export function admitFiles(listed: readonly ListedFile[], where: string): Admission {
  const admitted = new Map<string, string>();
  const problems: LessonProblem[] = [];
  let total = 0;
  for (const file of listed) {
    const path = normalizePackPath(file.path);
    if (path === null) {
      problems.push({ file: file.path, line: null, message: 'this path leads outside the pack, so the file is left out (a pack holds only its own files).' });
      continue;
    }
    if (isIgnoredPath(path)) continue;
    if (path.split('/').length - 1 > PACK_LIMITS.maxDepth) {
      problems.push({ file: path, line: null, message: `the file is more than ${PACK_LIMITS.maxDepth} folders deep in the pack, so it is left out.` });
      continue;
    }
    if (admitted.has(path)) {
      problems.push({ file: path, line: null, message: 'the pack holds two files with this path; the second is left out.' });
      continue;
    }
    if (file.size > PACK_LIMITS.maxFileBytes) {
      problems.push({
        file: path,
        line: null,
        message: `the file is ${formatBytes(file.size)}, more than the ${formatBytes(PACK_LIMITS.maxFileBytes)} a file of a pack may have, so it is left out.`,
      });
      continue;
    }
    admitted.set(path, file.path);
    total += file.size;
  }
  if (admitted.size > PACK_LIMITS.maxFiles) {
    return refuse(where, `the pack holds ${admitted.size} files, more than the ${PACK_LIMITS.maxFiles} a pack may hold; nothing was read.`);
  }
  if (total > PACK_LIMITS.maxTotalBytes) {
    return refuse(
      where,
      `the pack's files come to ${formatBytes(total)}, more than the ${formatBytes(PACK_LIMITS.maxTotalBytes)} a pack may hold; nothing was read.`,
    );
  }
  return { admitted, problems, refused: false };
}

function refuse(where: string, message: string): Admission {
  return { admitted: new Map(), problems: [{ file: where, line: null, message }], refused: true };
}

export type DecodedText = { ok: true; text: string } | { ok: false; line: number; byte: number };

/**
 * The file's text, if it is UTF-8 (a byte-order mark is dropped); otherwise the line of the
 * first byte that is not, and that byte. Line endings are kept as they are.
 */
export function decodeUtf8(bytes: Uint8Array): DecodedText {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { ok: true, text: text.startsWith('\uFEFF') ? text.slice(1) : text };
  } catch {
    // The longest start of the file that decodes (a sequence cut short at its end is not an
    // error when streaming): the first bad byte is right after it.
    let good = 0;
    let bad = bytes.length;
    while (bad - good > 1) {
      const mid = (good + bad) >>> 1;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
        good = mid;
      } catch {
        bad = mid;
      }
    }
    // A sequence the start of which the stream held back (cut short by the bad byte) is where
    // the trouble begins: step back to the end of the last whole character.
    let at = good;
    while (at > 0 && at > good - 4) {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, at));
        break;
      } catch {
        at--;
      }
    }
    let line = 1;
    for (let i = 0; i < at; i++) if (bytes[i] === 0x0a) line++;
    return { ok: false, line, byte: bytes[at] ?? 0 };
  }
}

/** The problem for a file that is not UTF-8. */
export function notUtf8(path: string, decoded: { line: number; byte: number }): LessonProblem {
  const hex = decoded.byte.toString(16).padStart(2, '0');
  return {
    file: path,
    line: decoded.line,
    message: `the file is not UTF-8 text (byte 0x${hex}); save it as UTF-8 in your editor and open the pack again.`,
  };
}
