/**
 * The course, loaded at build time: `virtual:looplab/lessons` exports `lessonFiles` (every file
 * of every lesson folder, as text, keyed `lessons/NN-slug/file`) and `catalog` (what
 * src/lessons/loader.ts makes of them, as JSON). The app used to load the catalog as it
 * started: YAML frontmatter, markdown references and tours of 23 lessons, ~0.17 s of the main
 * thread before the first lesson could show (a CPU profile of a fresh page load in Chromium,
 * measured here). A lesson with mistakes is still in `catalog.broken`, as before: the app
 * shows it that way, and the lesson tests fail on it.
 *
 * Used by every renderer build and by vitest (tests import src/lessons/bundled.ts). The dev
 * server reloads the page when a lesson file changes.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { loadCatalog } from '../src/lessons/loader.ts';
import { REPO_ROOT } from './repo-root.ts';

export const LESSONS_MODULE = 'virtual:looplab/lessons';
const RESOLVED = `\0${LESSONS_MODULE}`;
const LESSONS_DIR = resolve(REPO_ROOT, 'lessons');

/** Every file of every folder of lessons/, as text (the files at its top, its README, are not lessons). */
function readLessonFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const folder of readdirSync(LESSONS_DIR).sort()) {
    const dir = join(LESSONS_DIR, folder);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir).sort()) {
      const path = join(dir, file);
      if (statSync(path).isFile()) files[`lessons/${folder}/${file}`] = readFileSync(path, 'utf8');
    }
  }
  return files;
}

export function lessonCatalog(): Plugin {
  return {
    name: 'looplab:lesson-catalog',
    resolveId(id) {
      return id === LESSONS_MODULE ? RESOLVED : null;
    },
    load(id) {
      if (id !== RESOLVED) return null;
      const lessonFiles = readLessonFiles();
      for (const path of Object.keys(lessonFiles)) this.addWatchFile(resolve(REPO_ROOT, path));
      const catalog = loadCatalog(lessonFiles);
      // JSON.parse of a string literal: parsed faster than the same data as an object literal.
      return [
        `export const lessonFiles = JSON.parse(${JSON.stringify(JSON.stringify(lessonFiles))});`,
        `export const catalog = JSON.parse(${JSON.stringify(JSON.stringify(catalog))});`,
      ].join('\n');
    },
    handleHotUpdate({ file, server }) {
      if (!file.startsWith(LESSONS_DIR)) return;
      const module = server.moduleGraph.getModuleById(RESOLVED);
      if (module) server.moduleGraph.invalidateModule(module);
      server.ws.send({ type: 'full-reload' });
      return [];
    },
  };
}
