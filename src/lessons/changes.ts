/**
 * What changed in a lesson between two loads of its pack (the teacher edited it and the pack
 * was read again): the lines the app shows above the reloaded lesson, in words.
 */
import type { Lesson, TourStop } from '../shared/lesson';

export function lessonChanges(before: Lesson, after: Lesson): string[] {
  const changes: string[] = [];
  if (before.title !== after.title) changes.push(`the title is now “${after.title}”`);
  if (before.summary !== after.summary) changes.push('the summary changed');
  if (before.body !== after.body) changes.push('the introduction changed');
  if (JSON.stringify(before.images) !== JSON.stringify(after.images)) changes.push('its images changed');

  const programsBefore = new Map(before.programs.map((p) => [p.file, p]));
  for (const program of after.programs) {
    const old = programsBefore.get(program.file);
    if (!old) changes.push(`${program.file} was added`);
    else {
      if (old.source !== program.source) changes.push(`${program.file} changed (traced again)`);
      if (old.expectedOutput !== program.expectedOutput) changes.push(`${program.file.replace(/\.py$/, '.out')} changed`);
    }
  }
  for (const program of before.programs) {
    if (!after.programs.some((p) => p.file === program.file)) changes.push(`${program.file} was removed`);
  }

  const stopsBefore = new Map(before.stops.map((s) => [s.id, s]));
  const stopsAfter = new Set(after.stops.map((s) => s.id));
  for (const stop of after.stops) {
    const old = stopsBefore.get(stop.id);
    if (!old) changes.push(`stop “${stop.title}” was added`);
    else if (!sameStop(old, stop)) changes.push(`stop “${stop.title}” changed`);
  }
  for (const stop of before.stops) if (!stopsAfter.has(stop.id)) changes.push(`stop “${stop.title}” was removed`);
  const kept = after.stops.filter((s) => stopsBefore.has(s.id)).map((s) => s.id);
  const keptBefore = before.stops.filter((s) => stopsAfter.has(s.id)).map((s) => s.id);
  if (kept.join('\n') !== keptBefore.join('\n')) changes.push('the stops are in a new order');
  return changes;
}

/** The same stop as far as the learner can tell (its line in tour.md may move). */
function sameStop(a: TourStop, b: TourStop): boolean {
  const { line: _a, ...restA } = a;
  const { line: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}
