/**
 * The lesson contract: what a lesson folder (lessons/NN-slug/) becomes once loaded, and what a
 * lesson pack (a teacher's folder or .zip of lesson folders) becomes. The loader
 * (src/lessons/loader.ts, pack.ts) turns files into these; the player, the CLI and the tests
 * read them. How a teacher writes the files is in lessons/README.md.
 */

/** What kind of moment a tour stop waits for, in the words a lesson file uses. */
export type MomentKind =
  | 'line' // a line of the program runs
  | 'runs' // the loop takes a task (or callback) from the ready queue and runs it
  | 'suspends' // a task gives control back to the loop (for any reason)
  | 'sleeps' // a task suspends on asyncio.sleep()
  | 'waits' // a task suspends waiting on something other than a timer
  | 'wakes' // a sleeping or waiting task joins the ready queue again
  | 'joins' // anything joins the ready queue
  | 'finishes' // a task is done (result, exception or cancelled)
  | 'created' // a task is created
  | 'prints' // the program writes output
  | 'clock' // the virtual clock moves
  | 'blocks' // time.sleep() stops the whole thread
  | 'error' // an uncaught exception ends the program
  | 'end'; // the last step of the run

export const MOMENT_KINDS: readonly MomentKind[] = [
  'line',
  'runs',
  'suspends',
  'sleeps',
  'waits',
  'wakes',
  'joins',
  'finishes',
  'created',
  'prints',
  'clock',
  'blocks',
  'error',
  'end',
];

/** Where in a run a stop is: every field given must match; `occurrence` picks the n-th match. */
export interface MomentAnchor {
  when: MomentKind;
  /** A task's name (Task-2) or its coroutine function's name (print_letters). */
  task?: string;
  line?: number;
  /** For `prints`: the printed text contains this. */
  text?: string;
  /** 1 = the first matching moment (the default), 2 = the second, … */
  occurrence: number;
}

/**
 * A prediction question, graded against the trace. The three kinds the run answers may carry
 * `expected`: the answer the teacher wrote down (`answer:`), which a lesson check compares with
 * the run's (the learner is always graded on the run's).
 */
export type Checkpoint =
  | { kind: 'next-task'; question: string; expected?: string } // which task will the loop run next?
  | { kind: 'next-output'; question: string; expected?: string } // what will the program print next?
  | { kind: 'wake-time'; question: string; task: string; expected?: string } // when will this task wake?
  | { kind: 'choice'; question: string; options: string[]; answer: string }; // fixed answer

export interface TourStop {
  /** Unique within its lesson; used to remember passed checkpoints. */
  id: string;
  title: string;
  /** The explanation, in markdown. */
  body: string;
  /** Which of the lesson's programs the stop belongs to. */
  program: string;
  anchor: MomentAnchor;
  checkpoint: Checkpoint | null;
  /** The line of its `## heading` in tour.md (1-based), for messages. */
  line: number;
}

export interface LessonProgram {
  /** The file name, e.g. `main.py`. */
  file: string;
  source: string;
  /** stdout and stderr together, as real CPython printed them (`python3 FILE 2>&1`). */
  expectedOutput: string;
}

export interface Lesson {
  /**
   * Names the lesson in the app (addresses, progress, edits): the short name of its folder
   * (`await`), or for a pack's lesson the pack's id, a `~` and that name (`my-pack~await`),
   * so that a pack's lessons never take the place of the built-in ones.
   */
  slug: string;
  /** The folder its files are in (`07-await`), for messages. */
  folder: string;
  /** Its place in the course: 1, 2, 3 … */
  number: number;
  title: string;
  summary: string;
  /** The lesson's introduction, in markdown. */
  body: string;
  programs: LessonProgram[];
  stops: TourStop[];
  /**
   * The images the lesson's markdown shows, by file name (`diagram.png`) → a `data:` URL the
   * loader made from the image's bytes. Only images inside the lesson's folder are ever shown.
   */
  images: Record<string, string>;
  previous: string | null;
  next: string | null;
}

/**
 * One mistake, where it is: `file` is a path inside the course or pack (`07-await/tour.md`, a
 * lesson's folder `07-await`, or the pack itself), `line` is 1-based or null for the whole file.
 */
export interface LessonProblem {
  file: string;
  line: number | null;
  message: string;
}

/** A lesson that could not be loaded, and why, so the navigator can say so. */
export interface BrokenLesson {
  slug: string;
  number: number;
  title: string;
  problems: LessonProblem[];
}

export interface LessonCatalog {
  lessons: Lesson[];
  broken: BrokenLesson[];
}

/** A problem as one line of text: `07-await/tour.md, line 12: the answer …`. */
export function formatProblem(problem: LessonProblem): string {
  return `${problem.file}${problem.line === null ? '' : `, line ${problem.line}`}: ${problem.message}`;
}

/**
 * A lesson pack once loaded: a teacher's folder or .zip of lesson folders in the format of
 * lessons/ (lessons/README.md), with an optional `pack.md` whose frontmatter gives its title.
 * Its lessons load beside the built-in ones, never in their place (their slugs carry the id).
 */
export interface LessonPack {
  /** Made from the title (`Async extras` → `async-extras`); opening a pack with the same id replaces it. */
  id: string;
  title: string;
  /** One sentence from pack.md, or empty. */
  summary: string;
  catalog: LessonCatalog;
  /**
   * Every problem found in reading it, in one list: files refused (too large, not UTF-8, a path
   * outside the pack …) and every broken lesson's mistakes. Problems only a run can find (a stop
   * the program never reaches …) come from a lesson check (src/lessons/check.ts).
   */
  problems: LessonProblem[];
}

/** One file of a pack: its path inside the pack (`01-first/main.py`, `/`-separated) and its bytes. */
export interface PackFile {
  path: string;
  bytes: Uint8Array;
}

/**
 * A pack as read from a folder or a .zip, before it is loaded (src/lessons/pack-files.ts reads
 * it; pack.ts loads it): its files, and the problems already found in reading them.
 */
export interface PackSource {
  /** The folder's or the .zip file's name, as the teacher sees it (`async-extras`, `week-3.zip`). */
  name: string;
  kind: 'folder' | 'zip';
  files: PackFile[];
  problems: LessonProblem[];
}

/**
 * What a pack may hold, checked before anything is unpacked or read (lessons/README.md states
 * these numbers): a pack beyond them is refused, with a problem saying which limit.
 */
export const PACK_LIMITS = {
  /** Files in the pack, folders not counted. */
  maxFiles: 400,
  /** Every file's size added up, uncompressed (bytes). */
  maxTotalBytes: 8 * 1024 * 1024,
  /** One file (bytes); programs are held to the same 2 MB the app opens. */
  maxFileBytes: 2 * 1024 * 1024,
  /** A .zip file itself (bytes). */
  maxZipBytes: 8 * 1024 * 1024,
  /** Folders deep, counting the lesson folder: pack/NN-name/images/x.png is 2. */
  maxDepth: 4,
} as const;

/** The image types a lesson may show, by file extension → media type. */
export const IMAGE_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
};
