/**
 * A teacher's lesson pack, from its files (a PackSource, read by pack-files.ts and friends) to a LessonPack
 * (src/shared/lesson.ts): the same lesson folders as lessons/, loaded by the same loader, under
 * the pack's own title, with every problem found in one list.
 *
 *   pack.md               optional: frontmatter with the pack's title (and a summary)
 *   01-first-steps/       a lesson folder, exactly as in lessons/ (lesson.md, main.py, main.out,
 *     lesson.md …          tour.md), plus the images its markdown shows (png, jpg, gif, webp)
 *
 * A .zip that holds one folder with all of that inside (as zipping a folder makes) is read from
 * inside that folder. Text files must be UTF-8; other files are ignored. A pack is data: its
 * markdown is rendered like any lesson's (markdown.ts) and its programs run in the same
 * sandbox as anything else.
 */
import { IMAGE_TYPES, type LessonPack, type LessonProblem, type PackFile, type PackSource } from '../shared/lesson';
import { type LessonFolderFiles, loadFolders, parseFrontmatter, slugify } from './loader';
import { decodeUtf8, notUtf8 } from './pack-files';

const LESSON_FOLDER = /^\d+-/;
const TEXT_FILE = /\.(md|py|out)$/;
const PACK_KEYS = ['title', 'summary'] as const;

/**
 * Loads a pack; never throws for anything in its files. `id` keeps a pack known by the id it
 * already has (a kept or watched pack whose title was edited stays the same pack); by default
 * the id is made from the title.
 */
export function loadPack(source: PackSource, options: { id?: string } = {}): LessonPack {
  const problems: LessonProblem[] = [...source.problems];
  const { files, wrapper } = unwrap(source.files);

  // pack.md: the title.
  const fallback = wrapper ?? source.name.replace(/\.zip$/i, '');
  let title = fallback;
  let summary = '';
  const packMd = files.find((f) => f.path === 'pack.md');
  if (packMd) {
    const decoded = decodeUtf8(packMd.bytes);
    if (!decoded.ok) problems.push(notUtf8('pack.md', decoded));
    else {
      const parsed = parseFrontmatter(decoded.text, PACK_KEYS, (line, message) =>
        problems.push({ file: 'pack.md', line, message: message.replace('"title: …" and "summary: …"', '"title: …"') }),
      );
      const value = (key: string): string | null => {
        const v = parsed?.values.get(key);
        return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
      };
      if (parsed && value('title') === null) problems.push({ file: 'pack.md', line: 1, message: 'the frontmatter needs a title: the name the course lists the pack under.' });
      title = value('title') ?? fallback;
      summary = value('summary') ?? '';
    }
  }
  const id = options.id ?? (slugify(title) || 'pack');

  // The lesson folders.
  const folders = new Map<string, LessonFolderFiles & { problems: LessonProblem[]; unreadable: Set<string> }>();
  for (const file of files) {
    const [folder, ...rest] = file.path.split('/');
    if (rest.length === 0 || !folder || !LESSON_FOLDER.test(folder)) continue; // pack.md, a README, other folders: not lessons
    let entry = folders.get(folder);
    if (!entry) {
      entry = { texts: new Map(), images: new Map(), problems: [], unreadable: new Set() };
      folders.set(folder, entry);
    }
    const name = rest.join('/');
    const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
    if (rest.length === 1 && TEXT_FILE.test(name)) {
      const decoded = decodeUtf8(file.bytes);
      if (decoded.ok) entry.texts.set(name, decoded.text);
      else {
        entry.problems.push(notUtf8(file.path, decoded));
        entry.unreadable.add(name);
      }
    } else if (extension in IMAGE_TYPES) {
      const type = IMAGE_TYPES[extension]!;
      if (looksLike(type, file.bytes)) entry.images.set(name, `data:${type};base64,${base64(file.bytes)}`);
      else entry.problems.push({ file: file.path, line: null, message: `the file is not a ${extension.toUpperCase()} image, whatever its name says.` });
    }
  }
  if (folders.size === 0) {
    problems.push({
      file: source.name,
      line: null,
      message: 'the pack has no lesson folders: folders named like "01-first-steps", each with a lesson.md and a program (see lessons/README.md).',
    });
  }
  const catalog = loadFolders(folders, { pack: id });
  for (const broken of catalog.broken) problems.push(...broken.problems);
  return { id, title, summary, catalog, problems };
}

/** The files, from inside the one folder that holds them all (as zipping a folder makes), if so. */
function unwrap(files: readonly PackFile[]): { files: readonly PackFile[]; wrapper: string | null } {
  const firsts = new Set(files.map((f) => f.path.split('/')[0]));
  const [only] = firsts;
  if (firsts.size !== 1 || only === undefined || LESSON_FOLDER.test(only) || files.some((f) => !f.path.includes('/'))) {
    return { files, wrapper: null };
  }
  return { files: files.map((f) => ({ path: f.path.slice(only.length + 1), bytes: f.bytes })), wrapper: only };
}

/** Does the file start as an image of this type does? */
function looksLike(type: string, bytes: Uint8Array): boolean {
  const starts = (...sig: number[]): boolean => sig.every((b, i) => bytes[i] === b);
  switch (type) {
    case 'image/png':
      return starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    case 'image/jpeg':
      return starts(0xff, 0xd8, 0xff);
    case 'image/gif':
      return starts(0x47, 0x49, 0x46, 0x38);
    case 'image/webp':
      return starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50;
    default:
      return false;
  }
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
