/**
 * The course as the app ships it: every file of every lesson folder, and the catalog the loader
 * makes of them, both made at build time (build/lesson-catalog.ts: the app no longer parses 23
 * lessons as it starts). Lessons with mistakes are in `catalog.broken` with their errors; the
 * rest load as usual.
 */
import { catalog as builtCatalog, lessonFiles as builtFiles } from 'virtual:looplab/lessons';
import type { LessonCatalog } from '../shared/lesson';

/** The lesson files, keyed `lessons/NN-slug/file`. */
export const lessonFiles: Record<string, string> = builtFiles;

export const catalog: LessonCatalog = builtCatalog;
