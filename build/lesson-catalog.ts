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
 * server reloads the page when a lesson file is changed, added or removed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { normalizePath, type Plugin } from 'vite';
import { loadCatalog } from '../src/lessons/loader.ts';
import { REPO_ROOT } from './repo-root.ts';

export const LESSONS_MODULE = 'virtual:looplab/lessons';
const RESOLVED = `\0${LESSONS_MODULE}`;
const LESSONS_DIR = resolve(REPO_ROOT, 'lessons');

/**
 * Every file of every folder of lessons/, as text (the files at its top, its README, are not
 * lessons). Hidden files are skipped, as Vite's glob skipped them (an editor's lock file, a
 * macOS `._main.py`), and so is anything that cannot be read as a file (a dangling link).
 */
function readLessonFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const visible = (name: string): boolean => !name.startsWith('.');
  const isA = (path: string, kind: 'file' | 'directory'): boolean => {
    try {
      const stat = statSync(path);
      return kind === 'file' ? stat.isFile() : stat.isDirectory();
    } catch {
      return false;
    }
  };
  for (const folder of readdirSync(LESSONS_DIR).filter(visible).sort()) {
    const dir = join(LESSONS_DIR, folder);
    if (!isA(dir, 'directory')) continue;
    for (const file of readdirSync(dir).filter(visible).sort()) {
      const path = join(dir, file);
      if (isA(path, 'file')) files[`lessons/${folder}/${file}`] = readFileSync(path, 'utf8');
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
      const catalog = loadCatalog(lessonFiles);
      // As object literals (JSON is JavaScript): each file's text is one string literal in the
      // bundle, as Vite's `?raw` import left it (tests/installers.test.ts finds the lessons so).
      return [`export const lessonFiles = ${JSON.stringify(lessonFiles)};`, `export const catalog = ${JSON.stringify(catalog)};`].join('\n');
    },
    configureServer(server) {
      // lessons/ is outside the renderer's root: watched here, so that a lesson file changed,
      // added or removed reloads the page with the course made again.
      server.watcher.add(LESSONS_DIR);
      const reload = (file: string): void => {
        if (!normalizePath(file).startsWith(`${normalizePath(LESSONS_DIR)}/`)) return;
        const module = server.moduleGraph.getModuleById(RESOLVED);
        if (module) server.moduleGraph.invalidateModule(module);
        server.ws.send({ type: 'full-reload' });
      };
      for (const event of ['add', 'change', 'unlink'] as const) server.watcher.on(event, reload);
    },
  };
}
