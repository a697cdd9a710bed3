/**
 * The course as the app ships it: every file of every lesson folder, read at build time by
 * Vite (as raw text) and loaded into a catalog. Lessons with mistakes are in `catalog.broken`
 * with their errors; the rest load as usual.
 */
import type { LessonCatalog } from '../shared/lesson';
import { loadCatalog } from './loader';

const raw = import.meta.glob<string>('../../lessons/*/*', { query: '?raw', import: 'default', eager: true });

/** The lesson files, keyed `lessons/NN-slug/file`. */
export const lessonFiles: Record<string, string> = Object.fromEntries(
  Object.entries(raw).map(([path, text]) => [path.replace(/^(\.\.\/)+/, ''), text]),
);

export const catalog: LessonCatalog = loadCatalog(lessonFiles);
