/**
 * Guided lessons: pure logic the player uses to walk a learner through a lesson.
 *
 *   import { catalog } from '../lessons/bundled';          // the course, built in by Vite
 *   import { navigatorEntries, resolveStops, prepareCheckpoint, gradeAnswer, ProgressStore } from '../lessons';
 *
 *   navigatorEntries(catalog)                  every lesson (broken ones with their errors), in order
 *   findLesson(catalog, slug)                  one loaded lesson
 *   resolveStops(lesson.stops, file, trace)    the step of each stop of one program, or why it can't be shown
 *   prepareCheckpoint(trace, step, checkpoint, boards?)   choices, answer, explanation, reveal step
 *   gradeAnswer(prepared, given)               is the learner's pick right?
 *   new ProgressStore(localStorage)            lessons finished, checkpoints passed
 *   compareOutput(actual, expected, file)      does a run print what CPython printed?
 *
 * Lesson packs, a teacher's folder or .zip of lessons (each module imported on its own):
 *
 *   pack.ts loadPack(source)                   files → a LessonPack, every problem by file and line
 *   pack-zip.ts, pack-files.ts                 a .zip read within PACK_LIMITS; paths and UTF-8 checked
 *   check.ts checkLesson(lesson, traces)       a lesson against runs: unfinished programs, outputs,
 *                                              stops never reached, answers the run contradicts
 *   markdown.ts markdownToHtml(text, images)   lesson markdown (markdown-it, raw HTML off)
 *   changes.ts, new-lesson.ts                  what changed on a reload; "Save as lesson…"
 *
 * bundled.ts is kept out of this index: it needs Vite (the course made at build time,
 * build/lesson-catalog.ts); so is pack-folder.ts,
 * which needs Node (the CLI and Electron's main read folders with it).
 */
export { coroutineName, describeAnchor, findMoment, momentSteps, type ResolvedStop, resolveStops, taskMatches } from './anchors';
export {
  type CheckpointResult,
  gradeAnswer,
  NOTHING_MORE,
  type PreparedCheckpoint,
  prepareCheckpoint,
  taskLabel,
  wrongPick,
} from './checkpoints';
export { compareOutput, normalizeOutput, type OutputComparison, type OutputDifference } from './compare-output';
export { DEFAULT_QUESTIONS, findLesson, loadCatalog, type NavigatorEntry, navigatorEntries } from './loader';
export { parseProgress, PROGRESS_KEY, type ProgressData, ProgressStore, type StorageLike } from './progress';
