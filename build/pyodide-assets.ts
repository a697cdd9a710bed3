/**
 * Serves Pyodide's runtime files at /pyodide/ in development and copies them into the build:
 * the app loads Python from its own origin, never from the network. python_stdlib.zip is the
 * one with compiled bytecode (build/stdlib.ts), not Pyodide's sources-only zip, and
 * Emscripten's module carries V8's compile hint (HINTED_SCRIPTS).
 */
import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';
import { compiledStdlibPath } from './stdlib.ts';

export const PYODIDE_FILES = [
  'pyodide.mjs',
  'pyodide.asm.mjs',
  'pyodide.asm.wasm',
  'python_stdlib.zip',
  'pyodide-lock.json',
] as const;

const CONTENT_TYPES: Record<string, string> = {
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.json': 'application/json',
};

/** Where each of PYODIDE_FILES is read from. */
function sourceOf(file: string, dir: string): string {
  return file === 'python_stdlib.zip' ? compiledStdlibPath() : join(dir, file);
}

/**
 * V8's explicit compile hint (Chrome 136+): a script that begins with this comment has all its
 * functions compiled as it is compiled, not each at its first call, and they go into the code
 * cache V8 keeps for the script. Engines that do not know it read a comment.
 */
export const COMPILE_ALL_FUNCTIONS_HINT = '//# allFunctionsCalledOnLoad\n';

/**
 * The scripts of PYODIDE_FILES served with COMPILE_ALL_FUNCTIONS_HINT: Emscripten's module
 * (1.25 MB), whose one factory function holds the whole of Pyodide's JavaScript. Without the
 * hint, V8's code cache of it held only its top level (20,632 bytes), so every interpreter's
 * worker parsed and compiled the factory and the functions it calls again as Python started:
 * 240–490 ms from Pyodide's module maker being called to its asking for the WebAssembly, in
 * Chromium on a warm page load here, against 70–220 ms with the hint (worker marks, the two
 * builds alternating, 6 loads each, machine loaded by other work); Python ready came
 * 0.5–0.9 s sooner.
 */
export const HINTED_SCRIPTS: readonly string[] = ['pyodide.asm.mjs'];

/** The bytes the app serves for `file`, one of PYODIDE_FILES found in `dir`: the file's own, with the compile hint before a HINTED_SCRIPTS one. */
export function pyodideFileBytes(file: string, dir: string): Buffer {
  const bytes = readFileSync(sourceOf(file, dir));
  return HINTED_SCRIPTS.includes(file) ? Buffer.concat([Buffer.from(COMPILE_ALL_FUNCTIONS_HINT), bytes]) : bytes;
}

export function pyodideDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('pyodide/package.json'));
}

export function pyodideAssets(): Plugin {
  const dir = pyodideDir();
  return {
    name: 'looplab:pyodide-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const match = /^\/pyodide\/([\w.-]+)$/.exec(req.url?.split('?')[0] ?? '');
        const file = match?.[1];
        if (!file || !(PYODIDE_FILES as readonly string[]).includes(file)) return next();
        const ext = file.slice(file.lastIndexOf('.'));
        res.setHeader('Content-Type', CONTENT_TYPES[ext] ?? 'application/octet-stream');
        if (HINTED_SCRIPTS.includes(file)) res.end(pyodideFileBytes(file, dir));
        else createReadStream(sourceOf(file, dir)).pipe(res);
      });
    },
    generateBundle() {
      for (const file of PYODIDE_FILES) {
        this.emitFile({ type: 'asset', fileName: `pyodide/${file}`, source: pyodideFileBytes(file, dir) });
      }
    },
  };
}
