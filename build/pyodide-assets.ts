/**
 * Serves Pyodide's runtime files at /pyodide/ in development and copies them into the build:
 * the app loads Python from its own origin, never from the network. python_stdlib.zip is the
 * one with compiled bytecode (build/stdlib.ts), not Pyodide's sources-only zip.
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
        createReadStream(sourceOf(file, dir)).pipe(res);
      });
    },
    generateBundle() {
      for (const file of PYODIDE_FILES) {
        this.emitFile({ type: 'asset', fileName: `pyodide/${file}`, source: readFileSync(sourceOf(file, dir)) });
      }
    },
  };
}
