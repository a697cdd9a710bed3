/**
 * The lesson contract: what a lesson folder (lessons/NN-slug/) becomes once loaded. The
 * loader (src/lessons/loader.ts) turns files into these; the player and the tests read them.
 * How a teacher writes the files is in lessons/README.md.
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

/** A prediction question, graded against the trace. */
export type Checkpoint =
  | { kind: 'next-task'; question: string } // which task will the loop run next?
  | { kind: 'next-output'; question: string } // what will the program print next?
  | { kind: 'wake-time'; question: string; task: string } // when will this task wake?
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
}

export interface LessonProgram {
  /** The file name, e.g. `main.py`. */
  file: string;
  source: string;
  /** stdout and stderr together, as real CPython printed them (`python3 FILE 2>&1`). */
  expectedOutput: string;
}

export interface Lesson {
  slug: string;
  /** Its place in the course: 1, 2, 3 … */
  number: number;
  title: string;
  summary: string;
  /** The lesson's introduction, in markdown. */
  body: string;
  programs: LessonProgram[];
  stops: TourStop[];
  previous: string | null;
  next: string | null;
}

/** A lesson that could not be loaded, and why, so the navigator can say so. */
export interface BrokenLesson {
  slug: string;
  number: number;
  title: string;
  errors: string[];
}

export interface LessonCatalog {
  lessons: Lesson[];
  broken: BrokenLesson[];
}
