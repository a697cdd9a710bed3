/**
 * Turns the files of the lessons folder into typed lessons (src/shared/lesson.ts). Pure: the
 * caller hands over the files' text (the app bundles them at build time, see bundled.ts; the
 * tests read them from disk; a teacher's pack is read by pack.ts). The format is explained for
 * teachers in lessons/README.md.
 *
 * A lesson with a mistake in it becomes a BrokenLesson whose problems say which file, which
 * line and what is wrong; every other lesson still loads. Whether a stop's moment really
 * happens is a question about a run, answered by anchors.ts (and check.ts for a whole lesson).
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Scalar, type YAMLMap } from 'yaml';
// Our own modules with their extensions: build/lesson-catalog.ts loads this file into Vite's
// config, whose loader will want them.
import {
  type BrokenLesson,
  type Checkpoint,
  IMAGE_TYPES,
  type Lesson,
  type LessonCatalog,
  type LessonProblem,
  type LessonProgram,
  formatProblem,
  MOMENT_KINDS,
  type MomentAnchor,
  type MomentKind,
  type TourStop,
} from '../shared/lesson.ts';
import { isInsidePath, isWebAddress, markdownReferences, normalizeImagePath } from './markdown.ts';

/** One lesson folder's files: its text files by name (`main.py`, `lesson.md` …) and its images. */
export interface LessonFolderFiles {
  texts: Map<string, string>;
  /** Path inside the folder (`diagram.png`, `img/queue.png`) → a `data:` URL of the image. */
  images: Map<string, string>;
  /** Text files that are there but could not be read (not UTF-8): not reported missing as well. */
  unreadable?: ReadonlySet<string>;
  /** Problems found in reading the folder's files (pack.ts): the lesson is broken with them. */
  problems?: readonly LessonProblem[];
}

export interface LoadOptions {
  /** A pack's id: its lessons' slugs become `<pack>~<name>` (see Lesson.slug). */
  pack?: string;
}

const FOLDER_NAME = /^(\d+)-([a-z0-9][a-z0-9-]*)$/;

/** Settings a tour stop understands, in the order the README lists them. */
const STOP_SETTINGS = [
  'when',
  'task',
  'line',
  'text',
  'occurrence',
  'program',
  'id',
  'ask',
  'question',
  'option',
  'answer',
  'about',
] as const;
type StopSetting = (typeof STOP_SETTINGS)[number];

const CHECKPOINT_KINDS = ['next-task', 'next-output', 'wake-time', 'choice'] as const;
type CheckpointKind = (typeof CHECKPOINT_KINDS)[number];

/** The question a checkpoint asks when the lesson does not word it itself. */
export const DEFAULT_QUESTIONS: Record<CheckpointKind, string> = {
  'next-task': 'Which task will the loop run next?',
  'next-output': 'What will the program print next?',
  'wake-time': 'At what time on the clock will this task wake up?',
  choice: 'Which is right?',
};

/** Kinds whose moment can be narrowed to a line of the program: all but the clock and the end. */
const KINDS_WITH_LINE: ReadonlySet<MomentKind> = new Set(MOMENT_KINDS.filter((k) => k !== 'clock' && k !== 'end'));
/** Kinds whose moment belongs to a task: those, but for an uncaught error (it ends the program). */
const KINDS_WITH_TASK: ReadonlySet<MomentKind> = new Set([...KINDS_WITH_LINE].filter((k) => k !== 'error'));
/** Kinds whose moment carries text that `text:` can look for. */
const KINDS_WITH_TEXT: ReadonlySet<MomentKind> = new Set<MomentKind>(['prints', 'finishes', 'error']);

const ORDINAL_WORDS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
};

/**
 * Builds the catalog. `files` maps paths such as `lessons/02-two-printers/lesson.md` to their
 * text; only the last two parts of each path count (the lesson folder and the file name), and
 * files that are not inside a lesson folder (`lessons/README.md`) are ignored.
 */
export function loadCatalog(files: Record<string, string>, options: LoadOptions = {}): LessonCatalog {
  const folders = new Map<string, LessonFolderFiles>();
  for (const [path, text] of Object.entries(files)) {
    const parts = path.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
    if (parts.length < 3) continue;
    const folder = parts[parts.length - 2]!;
    const file = parts[parts.length - 1]!;
    let entry = folders.get(folder);
    if (!entry) {
      entry = { texts: new Map(), images: new Map() };
      folders.set(folder, entry);
    }
    entry.texts.set(file, text);
  }
  return loadFolders(folders, options);
}

/** Builds the catalog from lesson folders (folder name → its files). */
export function loadFolders(folders: ReadonlyMap<string, LessonFolderFiles>, options: LoadOptions = {}): LessonCatalog {
  const loaded: Lesson[] = [];
  const broken: BrokenLesson[] = [];
  const byNumber = new Map<number, string>();
  const bySlug = new Map<string, string>();
  const qualify = (name: string): string => (options.pack ? `${options.pack}~${name}` : name);

  for (const folderName of [...folders.keys()].sort()) {
    const folder = folders.get(folderName)!;
    const result = loadLesson(folderName, folder, options);
    const problems = result.problems;
    if (result.number !== null) {
      const other = byNumber.get(result.number);
      if (other !== undefined) {
        problems.push({ file: folderName, line: null, message: `number ${result.number} is already used by ${other}; give each lesson its own number.` });
      } else byNumber.set(result.number, folderName);
    }
    if (result.slug !== null) {
      const other = bySlug.get(result.slug);
      if (other !== undefined) {
        problems.push({ file: folderName, line: null, message: `the name "${result.slug}" is already used by ${other}; give each lesson its own name.` });
      } else bySlug.set(result.slug, folderName);
    }
    if (problems.length > 0 || result.lesson === null) {
      broken.push({
        slug: qualify(result.slug ?? folderName),
        number: result.number ?? 0,
        title: result.title ?? folderName,
        problems,
      });
    } else {
      loaded.push({ ...result.lesson, slug: qualify(result.lesson.slug) });
    }
  }

  loaded.sort((a, b) => a.number - b.number);
  broken.sort((a, b) => a.number - b.number || a.slug.localeCompare(b.slug));
  loaded.forEach((lesson, i) => {
    lesson.previous = loaded[i - 1]?.slug ?? null;
    lesson.next = loaded[i + 1]?.slug ?? null;
  });
  return { lessons: loaded, broken };
}

/** One line of the course's table of contents: a lesson, loaded or broken. */
export interface NavigatorEntry {
  slug: string;
  number: number;
  title: string;
  summary: string;
  /** The mistakes that keep it from loading, one line each; empty for a lesson that loaded. */
  errors: string[];
}

/** Every lesson, loaded or broken, in number order: what a lesson navigator lists. */
export function navigatorEntries(catalog: LessonCatalog): NavigatorEntry[] {
  const entries: NavigatorEntry[] = [
    ...catalog.lessons.map((l) => ({ slug: l.slug, number: l.number, title: l.title, summary: l.summary, errors: [] })),
    ...catalog.broken.map((b) => ({ slug: b.slug, number: b.number, title: b.title, summary: '', errors: b.problems.map(formatProblem) })),
  ];
  return entries.sort((a, b) => a.number - b.number || a.slug.localeCompare(b.slug));
}

/**
 * The lesson called `name`: its slug (`meet-asyncio`) or its folder's whole name
 * (`01-meet-asyncio`, as a teacher sees it in lessons/).
 */
export function findLesson(catalog: LessonCatalog, name: string): Lesson | null {
  const exact = catalog.lessons.find((l) => l.slug === name);
  if (exact) return exact;
  const folder = /^(\d+)-(.+)$/.exec(name);
  return folder ? (catalog.lessons.find((l) => l.slug === folder[2] && l.number === Number(folder[1])) ?? null) : null;
}

interface LessonResult {
  lesson: Lesson | null;
  slug: string | null;
  number: number | null;
  title: string | null;
  problems: LessonProblem[];
}

/** How the loader tells a teacher to record a program's output. */
const RECORD_HINT = {
  course: 'run "npx tsx scripts/record-lessons.ts" to record it with real Python',
  pack: 'run "npx loop-lab lessons record PACK-FOLDER" to record it',
} as const;

function loadLesson(folderName: string, folder: LessonFolderFiles, options: LoadOptions): LessonResult {
  const problems: LessonProblem[] = [...(folder.problems ?? [])];
  const report = (file: string | null, line: number | null, message: string): void => {
    problems.push({ file: file === null ? folderName : `${folderName}/${file}`, line, message });
  };
  const texts = folder.texts;
  const unreadable = folder.unreadable ?? new Set<string>();

  const nameMatch = FOLDER_NAME.exec(folderName);
  let number: number | null = null;
  let slug: string | null = null;
  if (!nameMatch) {
    report(null, null, 'a lesson folder\'s name is its number, a dash and a short name in lower case, like "07-await".');
  } else {
    number = Number(nameMatch[1]);
    slug = nameMatch[2]!;
    if (number < 1) report(null, null, 'lesson numbers start at 1.');
  }

  // lesson.md: frontmatter and introduction.
  let title: string | null = null;
  let summary = '';
  let body = '';
  let programOrder: string[] | null = null;
  const lessonText = texts.get('lesson.md');
  if (lessonText === undefined) {
    if (!unreadable.has('lesson.md')) report('lesson.md', null, 'the file is missing; every lesson needs one (title, summary, introduction).');
  } else {
    const parsed = parseFrontmatter(lessonText, LESSON_KEYS, (line, message) => report('lesson.md', line, message));
    if (parsed) {
      const text = (key: string): string | null => {
        const value = parsed.values.get(key);
        if (value === undefined) return null;
        if (typeof value === 'string') return value;
        report('lesson.md', parsed.lines.get(key) ?? null, `"${key}" must be text, not a list.`);
        return null;
      };
      title = text('title');
      summary = text('summary') ?? '';
      body = parsed.body.trim();
      if (!title) report('lesson.md', null, 'the frontmatter needs a title, e.g. "title: Two printers take turns".');
      if (!summary) report('lesson.md', null, 'the frontmatter needs a summary: one sentence saying what the lesson teaches.');
      const listed = parsed.values.get('programs');
      if (listed !== undefined) {
        programOrder = (typeof listed === 'string' ? listed.split(',') : listed).map((p) => p.trim()).filter((p) => p !== '');
      }
      checkReferences(parsed.body, parsed.bodyLine, folder, (line, message) => report('lesson.md', line, message));
    }
  }

  // Programs and their recorded output.
  const pyFiles = [...texts.keys()].filter((f) => f.endsWith('.py')).sort((a, b) => programRank(a) - programRank(b) || a.localeCompare(b));
  let order = pyFiles;
  if (programOrder) {
    for (const p of programOrder) {
      if (!pyFiles.includes(p)) report('lesson.md', null, `"programs:" lists ${p}, but the folder has no such file.`);
    }
    order = [...programOrder.filter((p) => pyFiles.includes(p)), ...pyFiles.filter((p) => !programOrder!.includes(p))];
  }
  if (pyFiles.length === 0 && ![...unreadable].some((f) => f.endsWith('.py'))) {
    report(null, null, 'the lesson has no program; add at least one example, such as main.py.');
  }
  const programs: LessonProgram[] = [];
  for (const file of order) {
    const outName = file.replace(/\.py$/, '.out');
    const expected = texts.get(outName);
    if (expected === undefined) {
      if (!unreadable.has(outName)) report(outName, null, `${file} has no recorded output; ${options.pack === undefined ? RECORD_HINT.course : RECORD_HINT.pack}.`);
      continue;
    }
    programs.push({ file, source: texts.get(file)!, expectedOutput: expected });
  }
  for (const file of texts.keys()) {
    if (file.endsWith('.out') && !texts.has(file.replace(/\.out$/, '.py')) && !unreadable.has(file.replace(/\.out$/, '.py'))) {
      report(file, null, `recorded output for ${file.replace(/\.out$/, '.py')}, which is not in the folder.`);
    }
  }

  // tour.md: the stops.
  let stops: ParsedStop[] = [];
  const tourText = texts.get('tour.md');
  if (tourText !== undefined) {
    const sources = new Map<string, string>();
    for (const file of pyFiles) sources.set(file, texts.get(file)!);
    const onTour: Report = (line, message) => report('tour.md', line, message);
    stops = parseTour(tourText, order[0] ?? null, sources, onTour);
    for (const stop of stops) checkReferences(stop.body, stop.bodyLine, folder, onTour);
  }

  const images: Record<string, string> = Object.fromEntries(folder.images);
  const lesson: Lesson | null =
    problems.length === 0 && number !== null && slug !== null && title !== null
      ? {
          slug,
          folder: folderName,
          number,
          title,
          summary,
          body,
          programs,
          stops: stops.map(({ bodyLine: _bodyLine, ...stop }) => stop),
          images,
          previous: null,
          next: null,
        }
      : null;
  return { lesson, slug, number, title, problems };
}

/**
 * The images and links a markdown text asks for that will not be shown as written: an image
 * that is not a file of the lesson folder (or is on the internet), a link that is not http(s).
 */
function checkReferences(markdown: string, firstLine: number, folder: LessonFolderFiles, report: Report): void {
  for (const ref of markdownReferences(markdown)) {
    const line = firstLine + ref.line - 1;
    if (ref.kind === 'link') {
      if (!isWebAddress(ref.target)) {
        report(line, `the link to "${ref.target}" would not work: a lesson can link only to web pages (http:// or https:// addresses).`);
      }
      continue;
    }
    const path = normalizeImagePath(ref.target.trim());
    const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase() ?? '';
    if (isWebAddress(ref.target) || !isInsidePath(ref.target)) {
      report(line, `the image "${ref.target}" is not inside the lesson folder; Loop Lab never fetches images: put the file next to lesson.md and write its name, e.g. ![a diagram](diagram.png).`);
    } else if (!(extension in IMAGE_TYPES)) {
      report(line, `the image "${ref.target}" is not a kind Loop Lab shows; use ${Object.keys(IMAGE_TYPES).join(', ')}.`);
    } else if (!folder.images.has(path)) {
      report(line, `the image "${ref.target}" is not in the lesson folder.`);
    }
  }
}

/** main.py comes first, then the others by name. */
function programRank(file: string): number {
  return file === 'main.py' ? 0 : 1;
}

type Report = (line: number, message: string) => void;

/** What a frontmatter setting holds: text, or a list of texts. */
type FrontmatterValue = string | string[];

export interface Frontmatter {
  values: Map<string, FrontmatterValue>;
  /** The line (1-based, in the file) of each setting. */
  lines: Map<string, number>;
  body: string;
  /** The line of the file the body starts on. */
  bodyLine: number;
}

const LESSON_KEYS = ['title', 'summary', 'programs'] as const;

/**
 * `---`, YAML settings, `---`, then the body. Only the `keys` given are allowed; every value
 * is text (a number is read as its digits) or, for a list, texts. Returns null when it cannot
 * be read, after reporting each mistake with its line.
 */
export function parseFrontmatter(text: string, keys: readonly string[], report: Report): Frontmatter | null {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[0]?.trim() !== '---') {
    report(1, 'the file must begin with frontmatter: a line "---", then "title: …" and "summary: …", then "---".');
    return null;
  }
  const close = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
  if (close < 0) {
    report(1, 'the frontmatter that starts on line 1 is never closed; add a line "---" after its last setting.');
    return null;
  }
  const yamlText = lines.slice(1, close).join('\n');
  const lineOf = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lineOf, uniqueKeys: true, prettyErrors: false });
  // Line numbers in the file: the YAML starts on line 2.
  const fileLine = (offset: number): number => lineOf.linePos(offset).line + 1;
  const result: Frontmatter = { values: new Map(), lines: new Map(), body: lines.slice(close + 1).join('\n'), bodyLine: close + 2 };
  if (doc.errors.length > 0) {
    const seen = new Set<number>();
    for (const error of doc.errors) {
      const line = fileLine(error.pos[0]);
      if (seen.has(line)) continue;
      seen.add(line);
      report(line, yamlMistake(error.code, error.message, lines[line - 1] ?? ''));
    }
    return null;
  }
  if (doc.contents === null) return result; // nothing between the two lines
  if (!isMap(doc.contents)) {
    const first = lines.slice(1, close).findIndex((l) => l.trim() !== '' && !l.trim().startsWith('#'));
    report(first + 2, `expected "name: value" in the frontmatter, found "${(lines[first + 1] ?? '').trim()}".`);
    return null;
  }
  let ok = true;
  for (const pair of (doc.contents as YAMLMap).items) {
    const keyNode = pair.key;
    const line = isScalar(keyNode) && keyNode.range ? fileLine(keyNode.range[0]) : 1;
    const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
    if (!keys.includes(key)) {
      report(line, `unknown frontmatter setting "${key}"; the settings are ${keys.join(', ')}.`);
      ok = false;
      continue;
    }
    const value = frontmatterValue(pair.value);
    if (value === null) {
      report(line, `"${key}" must be text (or, for a list, texts), e.g. ${key}: Two printers take turns.`);
      ok = false;
      continue;
    }
    result.values.set(key, value);
    result.lines.set(key, line);
  }
  return ok ? result : null;
}

function frontmatterValue(node: unknown): FrontmatterValue | null {
  const scalar = (n: unknown): string | null => {
    if (!isScalar(n)) return null;
    const v = (n as Scalar).value;
    return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === null ? '' : null;
  };
  if (node === null || node === undefined) return '';
  if (isSeq(node)) {
    const items = node.items.map(scalar);
    return items.every((i): i is string => i !== null) ? items : null;
  }
  return scalar(node);
}

/** A YAML error in words a teacher can act on. */
function yamlMistake(code: string, message: string, lineText: string): string {
  const setting = settingLine(lineText.trimStart());
  const plain = lineText.trim();
  if (!setting && plain !== '' && !/^[-#"'\[{]/.test(plain)) return `expected "name: value" in the frontmatter, found "${plain}".`;
  switch (code) {
    case 'DUPLICATE_KEY':
      return `"${setting?.key ?? 'this setting'}" is set twice in the frontmatter.`;
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'BAD_SCALAR_START':
      if (setting) {
        return `the value of "${setting.key}" must be put in quotes (it holds ": " or starts with a sign YAML reserves): ${setting.key}: "${setting.value.replace(/"/g, '\\"')}"`;
      }
      break;
    case 'TAB_AS_INDENT':
      return 'a tab indents this line; the frontmatter uses spaces (or none).';
    default:
      break;
  }
  return `the frontmatter is not valid YAML here: ${message.split('\n')[0]}`;
}

interface RawStop {
  title: string;
  line: number;
  settings: { key: StopSetting; value: string; line: number }[];
  body: string[];
  /** The line of tour.md its explanation starts on. */
  bodyLine: number;
}

/** A stop as parsed, with the line its explanation starts on (for the markdown checks). */
type ParsedStop = TourStop & { bodyLine: number };

/** Splits tour.md into stops: each `## Heading`, its settings, then its explanation. */
/**
 * A stop's title if `line` is a level-2 heading (`## Title`, `## Title ##`), else null: what
 * `/^##\s+(.*?)\s*#*\s*$/` gave, read by hand in one pass. A pack's tour.md may hold any line,
 * and that expression took time as the cube of its length (60 s for a heading line of 4,000
 * spaces, as a reviewer measured).
 */
export function stopHeading(line: string): string | null {
  if (!line.startsWith('##') || line.startsWith('###') || !/^\s/.test(line.slice(2, 3))) return null;
  const text = line.slice(2).trim();
  let end = text.length;
  while (end > 0 && text[end - 1] === '#') end--; // a closing run of #s
  const title = text.slice(0, end).trimEnd();
  return /[\n\r\u2028\u2029]/.test(title) ? null : title; // `.` matches no line break
}

/**
 * `name: value` (a name of letters, digits, `_` and `-`, starting with a letter), as
 * `/^([A-Za-z][\w-]*)\s*:\s*(.*)$/` read it, by hand in one pass: that expression took time
 * as the square of a line's length where a lone `\r` followed its spaces (40 s and more at
 * 1,000,000 characters, a reviewer's). Null where it matched nothing: no name, no colon, or a
 * line break (`\n`, `\r`, U+2028, U+2029) in the value.
 */
export function settingLine(text: string): { key: string; value: string } | null {
  const key = /^[A-Za-z][\w-]*/.exec(text)?.[0];
  if (key === undefined) return null;
  let at = key.length;
  while (at < text.length && /\s/.test(text[at]!)) at++;
  if (text[at] !== ':') return null;
  at++;
  while (at < text.length && /\s/.test(text[at]!)) at++;
  const value = text.slice(at);
  return /[\n\r\u2028\u2029]/.test(value) ? null : { key, value };
}

function splitTour(text: string, report: Report): RawStop[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const stops: RawStop[] = [];
  let current: RawStop | null = null;
  let inSettings = false;
  let inFence = false;
  lines.forEach((raw, i) => {
    const lineNo = i + 1;
    if (!inFence) {
      const title = stopHeading(raw);
      if (title !== null) {
        current = { title, line: lineNo, settings: [], body: [], bodyLine: lineNo + 1 };
        stops.push(current);
        inSettings = true;
        return;
      }
    }
    if (!current) return; // anything before the first stop is a note for teachers
    const stop: RawStop = current;
    if (inSettings) {
      if (raw.trim() === '' && stop.settings.length === 0) return; // blank lines right under the heading
      const m = settingLine(raw.trim());
      if (m && raw.trim() === raw.trimEnd()) {
        const key = m.key.toLowerCase();
        if ((STOP_SETTINGS as readonly string[]).includes(key)) {
          stop.settings.push({ key: key as StopSetting, value: m.value.trim(), line: lineNo });
          return;
        }
        report(
          lineNo,
          `unknown setting "${m.key}" in stop "${stop.title}". The settings are: ${STOP_SETTINGS.join(', ')}. ` +
            '(If this line is meant as explanation, leave a blank line above it.)',
        );
        return;
      }
      inSettings = false;
      if (raw.trim() === '') return;
    }
    if (/^\s*(```|~~~)/.test(raw)) inFence = !inFence;
    if (stop.body.length === 0) stop.bodyLine = lineNo;
    stop.body.push(raw);
  });
  return stops;
}

/** Parses tour.md into stops, reporting each mistake with its line. */
export function parseTour(
  text: string,
  defaultProgram: string | null,
  sources: ReadonlyMap<string, string>,
  report: Report,
): ParsedStop[] {
  const stops: ParsedStop[] = [];
  const ids = new Map<string, number>();
  for (const raw of splitTour(text, report)) {
    const stop = buildStop(raw, defaultProgram, sources, report);
    if (!stop) continue;
    const seen = ids.get(stop.id);
    if (seen !== undefined) {
      report(raw.line, `two stops have the id "${stop.id}" (the other is on line ${seen}); give one of them its own "id:" or title.`);
      continue;
    }
    ids.set(stop.id, raw.line);
    stops.push(stop);
  }
  return stops;
}

function buildStop(raw: RawStop, defaultProgram: string | null, sources: ReadonlyMap<string, string>, report: Report): ParsedStop | null {
  let ok = true;
  const fail = (line: number, message: string): void => {
    report(line, message);
    ok = false;
  };
  const single = new Map<StopSetting, { value: string; line: number }>();
  const options: string[] = [];
  for (const s of raw.settings) {
    if (s.key === 'option') {
      options.push(s.value);
      continue;
    }
    if (single.has(s.key)) fail(s.line, `"${s.key}:" is given twice in stop "${raw.title}".`);
    else single.set(s.key, { value: s.value, line: s.line });
  }
  const get = (key: StopSetting): { value: string; line: number } | undefined => single.get(key);
  const title = raw.title.trim();
  if (title === '') fail(raw.line, 'a stop needs a title after "##".');

  // when:
  const when = get('when');
  let kind: MomentKind | null = null;
  if (!when) {
    fail(raw.line, `stop "${title}" needs a "when:" line saying which moment it waits for (${MOMENT_KINDS.join(', ')}).`);
  } else if (!(MOMENT_KINDS as readonly string[]).includes(when.value)) {
    const hint = closest(when.value, MOMENT_KINDS);
    fail(
      when.line,
      `unknown when-word "${when.value}"${hint ? ` — did you mean "${hint}"?` : '.'} The words are: ${MOMENT_KINDS.join(', ')}.`,
    );
  } else {
    kind = when.value as MomentKind;
  }

  // program:
  const programSetting = get('program');
  const program = programSetting?.value ?? defaultProgram;
  if (programSetting && !sources.has(programSetting.value)) {
    const known = [...sources.keys()].join(', ') || 'none';
    fail(programSetting.line, `stop "${title}" is about program ${programSetting.value}, which is not in the lesson (its programs: ${known}).`);
  }
  const source = program !== null ? sources.get(program) : undefined;

  // task:
  const task = get('task');
  if (task && kind && !KINDS_WITH_TASK.has(kind)) fail(task.line, `"task:" does not apply to "when: ${kind}".`);
  if (task && source !== undefined && !/^Task-\d+$/.test(task.value) && !mentions(source, task.value)) {
    fail(task.line, `task "${task.value}": ${program} has no function or task of that name.`);
  }

  // line:
  const lineSetting = get('line');
  let line: number | undefined;
  if (lineSetting) {
    const n = Number(lineSetting.value);
    if (!/^\d+$/.test(lineSetting.value) || n < 1) fail(lineSetting.line, `"line:" must be a line number, found "${lineSetting.value}".`);
    else if (kind && !KINDS_WITH_LINE.has(kind)) fail(lineSetting.line, `"line:" does not apply to "when: ${kind}".`);
    else if (source !== undefined && n > source.split('\n').length) {
      fail(lineSetting.line, `line ${n} is past the end of ${program}.`);
    } else line = n;
  }

  // text:
  const textSetting = get('text');
  if (textSetting && kind && !KINDS_WITH_TEXT.has(kind)) {
    fail(textSetting.line, `"text:" only applies to "when: prints", "finishes" and "error", not to "${kind}".`);
  }

  // occurrence:
  const occSetting = get('occurrence');
  let occurrence = 1;
  if (occSetting) {
    const n = parseOrdinal(occSetting.value);
    if (n === null) fail(occSetting.line, `"occurrence:" must be 1, 2, 3 … (or first, second, 2nd …), found "${occSetting.value}".`);
    else if (kind === 'end' && n !== 1) fail(occSetting.line, 'a run has only one end.');
    else occurrence = n;
  }

  const anchor: MomentAnchor = { when: kind ?? 'end', occurrence };
  if (task) anchor.task = task.value;
  if (line !== undefined) anchor.line = line;
  if (textSetting) anchor.text = textSetting.value;

  const checkpoint = buildCheckpoint(raw, get, options, anchor, source, program, fail);

  const body = raw.body.join('\n').trim();
  if (body === '') fail(raw.line, `stop "${title}" has no explanation; write a few sentences under its settings.`);

  // (With no program at all, the lesson says so once; its stops need not each say it again.)
  if (program === null && sources.size > 0) fail(raw.line, `stop "${title}" has no program to belong to: the lesson has no programs.`);

  const id = get('id')?.value ?? slugify(title);
  if (id === '') fail(raw.line, `stop "${title}" needs an "id:" (its title has no letters or digits to make one from).`);

  if (!ok || program === null) return null;
  // The body's first line, past the blank lines trim() dropped.
  const skipped = raw.body.findIndex((l) => l.trim() !== '');
  return { id, title, body, program, anchor, checkpoint, line: raw.line, bodyLine: raw.bodyLine + Math.max(0, skipped) };
}

function buildCheckpoint(
  raw: RawStop,
  get: (key: StopSetting) => { value: string; line: number } | undefined,
  options: string[],
  anchor: MomentAnchor,
  source: string | undefined,
  program: string | null,
  fail: (line: number, message: string) => void,
): Checkpoint | null {
  const ask = get('ask');
  const question = get('question');
  const answer = get('answer');
  const about = get('about');
  const optionLine = raw.settings.find((s) => s.key === 'option')?.line ?? raw.line;
  if (!ask) {
    if (question) fail(question.line, '"question:" needs an "ask:" line saying what kind of question it is.');
    if (answer) fail(answer.line, '"answer:" belongs to a question: add "ask: choice".');
    if (options.length > 0) fail(optionLine, '"option:" belongs to a question: add "ask: choice".');
    if (about) fail(about.line, '"about:" belongs to a question: add "ask: wake-time".');
    return null;
  }
  if (!(CHECKPOINT_KINDS as readonly string[]).includes(ask.value)) {
    const hint = closest(ask.value, CHECKPOINT_KINDS);
    fail(ask.line, `unknown question kind "ask: ${ask.value}"${hint ? ` — did you mean "${hint}"?` : '.'} The kinds are: ${CHECKPOINT_KINDS.join(', ')}.`);
    return null;
  }
  const kind = ask.value as CheckpointKind;
  const text = question?.value || DEFAULT_QUESTIONS[kind];
  if (kind !== 'choice') {
    if (answer && answer.value === '') fail(answer.line, '"answer:" is empty; write the answer you expect the run to give, or leave the line out.');
    if (options.length > 0) fail(optionLine, `"option:" is only for "ask: choice"; the choices of a ${kind} question come from the run.`);
  }
  if (kind !== 'wake-time' && about) fail(about.line, '"about:" is only for "ask: wake-time".');
  /** For the kinds the run answers, the answer the teacher expects (checked against the run). */
  const expected = kind !== 'choice' && answer?.value ? { expected: answer.value } : {};
  switch (kind) {
    case 'next-task':
      return { kind, question: text, ...expected };
    case 'next-output':
      return { kind, question: text, ...expected };
    case 'wake-time': {
      const task = about?.value ?? anchor.task;
      if (!task) {
        fail(ask.line, '"ask: wake-time" needs to know which task: add "about: NAME" (or a "task:" for the stop).');
        return null;
      }
      if (about && source !== undefined && !/^Task-\d+$/.test(about.value) && !mentions(source, about.value)) {
        fail(about.line, `task "${about.value}": ${program} has no function or task of that name.`);
      }
      return { kind, question: text, task, ...expected };
    }
    case 'choice': {
      if (options.length < 2) fail(ask.line, '"ask: choice" needs at least two "option:" lines.');
      if (new Set(options).size !== options.length) fail(optionLine, 'two options of the question are the same.');
      if (!answer) {
        fail(ask.line, '"ask: choice" needs an "answer:" line, the same words as the right option.');
        return null;
      }
      if (!options.includes(answer.value)) {
        fail(answer.line, `the answer "${answer.value}" is not one of the options; copy the right option's words exactly.`);
      }
      return { kind, question: text, options, answer: answer.value };
    }
  }
}

/** 2, "2nd", "second" → 2; anything else → null. */
function parseOrdinal(value: string): number | null {
  const v = value.trim().toLowerCase();
  const m = /^(\d+)(?:st|nd|rd|th)?$/.exec(v);
  if (m) {
    const n = Number(m[1]);
    return n >= 1 ? n : null;
  }
  return ORDINAL_WORDS[v] ?? null;
}

/** Does the program define or name something called `name` (a function, or a task's name)? */
function mentions(source: string, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w])${escaped}($|[^\\w])`).test(source);
}

export function slugify(title: string): string {
  return title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The word in `words` nearest to `value`, when it is near enough to be a likely typo. */
function closest(value: string, words: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const word of words) {
    const d = editDistance(value.toLowerCase(), word);
    if (d < bestDistance) {
      best = word;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(value.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const saved = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = saved;
    }
  }
  return row[b.length]!;
}
