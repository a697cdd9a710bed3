/**
 * The course as the navigator shows it, and the app's addresses: pure functions, tested on
 * their own (tests/renderer-course.test.ts).
 *
 * Addresses live in the URL's hash, so that a reload (or Electron's window) comes back to the
 * same place and the browser's Back button goes back to the list:
 *   #/                          the course (the lesson navigator)
 *   #/lesson/09-…               a lesson, its first program
 *   #/lesson/09-…/fixed.py      a lesson, one of its programs
 *   #/scratchpad                the free scratchpad
 *   #/shared/1/<data>           a shared program (src/shared/share-link.ts)
 */
import { navigatorEntries } from '../../lessons';
import type { LessonCatalog } from '../../shared/lesson';
import type { ProgressData } from '../../lessons';

export interface NavigatorItem {
  slug: string;
  number: number;
  title: string;
  summary: string;
  /** Why the lesson cannot be opened; empty for a lesson that loaded. */
  errors: string[];
  openable: boolean;
  finished: boolean;
  /** Checkpoints passed, counting only questions the lesson still asks. */
  passed: number;
  /** Checkpoints (stops with a question) in the lesson. */
  checkpoints: number;
  /** Problems a check against runs found in a lesson that loads (a pack's lessons are checked so). */
  runProblems: number;
}

/**
 * The navigator's items for a catalog; `runProblems` says how many problems a run-time check
 * found in each lesson (by slug), when the lessons were checked.
 */
export function navigatorItems(catalog: LessonCatalog, progress: ProgressData, runProblems: (slug: string) => number = () => 0): NavigatorItem[] {
  return navigatorEntries(catalog).map((entry) => {
    const lesson = entry.errors.length === 0 ? (catalog.lessons.find((l) => l.slug === entry.slug) ?? null) : null;
    const asked = new Set(lesson?.stops.filter((s) => s.checkpoint !== null).map((s) => s.id) ?? []);
    const passed = (progress.checkpoints[entry.slug] ?? []).filter((id) => asked.has(id)).length;
    return {
      slug: entry.slug,
      number: entry.number,
      title: entry.title,
      summary: entry.summary,
      errors: entry.errors,
      openable: lesson !== null,
      finished: lesson !== null && progress.finished.includes(entry.slug),
      passed,
      checkpoints: asked.size,
      runProblems: lesson ? runProblems(entry.slug) : 0,
    };
  });
}

/** The progress marks of one lesson, in words (for screen readers and tooltips). */
export function progressWords(item: NavigatorItem): string {
  if (!item.openable) return `cannot be opened: ${item.errors.length === 1 ? 'one problem' : `${item.errors.length} problems`}`;
  const parts = [item.finished ? 'finished' : 'not finished yet'];
  if (item.checkpoints > 0) parts.push(`${item.passed} of ${item.checkpoints} checkpoints passed`);
  if (item.runProblems > 0) parts.push(`its check found ${item.runProblems === 1 ? 'one problem' : `${item.runProblems} problems`}`);
  return parts.join(', ');
}

export interface CourseTotals {
  lessons: number;
  finished: number;
  checkpoints: number;
  passed: number;
}

export function courseTotals(items: readonly NavigatorItem[]): CourseTotals {
  const open = items.filter((i) => i.openable);
  return {
    lessons: open.length,
    finished: open.filter((i) => i.finished).length,
    checkpoints: open.reduce((n, i) => n + i.checkpoints, 0),
    passed: open.reduce((n, i) => n + i.passed, 0),
  };
}

/** The lesson to suggest next: the first one not finished yet (null when all are). */
export function nextUp(items: readonly NavigatorItem[]): NavigatorItem | null {
  return items.find((i) => i.openable && !i.finished) ?? null;
}
