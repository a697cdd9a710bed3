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
 * bundled.ts is kept out of this index: it needs Vite (import.meta.glob).
 */
export { coroutineName, describeAnchor, findMoment, momentSteps, type ResolvedStop, resolveStops, taskMatches } from './anchors';
export {
  type CheckpointResult,
  gradeAnswer,
  NOTHING_MORE,
  type PreparedCheckpoint,
  prepareCheckpoint,
  taskLabel,
} from './checkpoints';
export { compareOutput, normalizeOutput, type OutputComparison, type OutputDifference } from './compare-output';
export { DEFAULT_QUESTIONS, findLesson, loadCatalog, type NavigatorEntry, navigatorEntries } from './loader';
export { parseProgress, PROGRESS_KEY, type ProgressData, ProgressStore, type StorageLike } from './progress';
