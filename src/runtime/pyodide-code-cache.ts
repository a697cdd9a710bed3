/**
 * Pyodide's module maker (the default export of pyodide.asm.mjs, 1.25 MB of Emscripten
 * JavaScript) compiled with a V8 code cache kept in a folder, for the Node worker thread. Node
 * 20 keeps no code cache for ES modules, so every `loop-lab run` compiled that JavaScript
 * again, function by function as each was first called. Measured here, a restored start took
 * 585–716 ms without the cache and 517–595 ms with it (five runs each, alternating).
 *
 * How: the module's text is run as a classic script (`vm.Script`, which takes and makes cached
 * data), wrapped in a strict-mode function (a module's code is strict) given what a module has
 * and a script has not: its own URL (for `import.meta.url`) and `import()`. The text is checked
 * to be the one shape this works for (one `export default` at its end): any other falls back to
 * Pyodide's own import, as does any error. The cache is named by a SHA-256 of that text, by
 * V8's version and by its cached-data tag (`v8.cachedDataVersionTag()`: V8's version, flags and
 * CPU features; V8 refuses a cache made under another tag, but checks a source only by its
 * length). The file begins with a SHA-256 of the cache itself, checked before V8 is
 * given it: V8 checks no sum of its own, and a reviewer's cache with one byte changed aborted
 * the process at 7 of 40 places, hung at one and computed a wrong result at another. It is
 * written once, whole or not at all, after an interpreter has started (so that it holds the
 * functions a start runs), and again if it was damaged or V8 refused it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import { markUsed, removeUnused, writeWhole } from './cache-folder';
import { pyodideModulePath } from './node-wasm';

/** What `loadPyodide` takes as `createPyodideModule`. */
export type ModuleMaker = (settings: object) => Promise<unknown>;

export interface CachedModuleMaker {
  make: ModuleMaker;
  /** Writes the cache if there was none or V8 refused it (call once an interpreter has started). */
  save(): void;
}

const EXPORT = /export default _createPyodideModule;\s*$/;

/** Pyodide's own module maker, imported as its `loadPyodide` would import it (no code cache). */
export const importedModuleMaker: ModuleMaker = async (settings) => {
  const asm = (await import(/* @vite-ignore */ pathToFileURL(pyodideModulePath()).href)) as { default: ModuleMaker };
  return asm.default(settings);
};

/**
 * The module maker compiled with the cache in `dir`, or null when pyodide.asm.mjs is not of the
 * shape this knows (Pyodide's own import then loads it, uncached).
 */
export function cachedModuleMaker(dir: string): CachedModuleMaker | null {
  try {
    const path = pyodideModulePath();
    const text = readFileSync(path, 'utf8');
    if (!EXPORT.test(text) || text.includes('__looplabModuleUrl') || text.includes('__looplabImport')) return null;
    const body = text
      .replace(EXPORT, '')
      .replaceAll('import.meta.url', '__looplabModuleUrl')
      .replace(/\bimport\(/g, '__looplabImport(');
    if (/\bimport\.meta\b|^\s*(import|export)\s/m.test(body)) return null;
    const source = `(function (__looplabModuleUrl, __looplabImport) {"use strict";${body}\nreturn _createPyodideModule;\n})`;
    const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
    // V8 refuses cached data made under other flags, and a process's flags differ by command
    // (`loop-lab run` compiles with Liftoff alone, `lessons` tiers up; a heap limit counts too):
    // one file per tag, or the commands would throw each other's cache away at every start.
    const cachePath = join(dir, `pyodide-code-${process.versions.v8}-${v8.cachedDataVersionTag()}-${hash}.cache`);
    const cachedData = readChecked(cachePath);
    const script = new vm.Script(source, { filename: path, ...(cachedData ? { cachedData } : {}) });
    const wrapper = script.runInThisContext() as (url: string, load: (specifier: string) => Promise<unknown>) => ModuleMaker;
    const make = wrapper(pathToFileURL(path).href, (specifier) => import(/* @vite-ignore */ specifier));
    let owed = cachedData === undefined || script.cachedDataRejected === true;
    return {
      make,
      save() {
        if (!owed) return;
        owed = false;
        try {
          const data = script.createCachedData();
          writeWhole(cachePath, Buffer.concat([sha256(data), data]));
          removeUnused(dir, /^pyodide-code-.+\.(cache|tmp)$/, cachePath);
        } catch {
          // A folder that cannot be written: the next start compiles again, as without a cache.
        }
      },
    };
  } catch {
    return null;
  }
}

const SUM_BYTES = 32;

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

/**
 * The cache kept at `path`, if its sum holds (undefined if not, or if there is none). Marks it
 * used, so that another version's clean-up leaves it be.
 */
function readChecked(path: string): Buffer | undefined {
  try {
    const file = readFileSync(path);
    const data = file.subarray(SUM_BYTES);
    if (file.length <= SUM_BYTES || !sha256(data).equals(file.subarray(0, SUM_BYTES))) return undefined;
    markUsed(path);
    return data;
  } catch {
    return undefined;
  }
}
