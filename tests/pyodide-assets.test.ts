/**
 * The Pyodide files the app serves (build/pyodide-assets.ts): Emscripten's module carries V8's
 * compile hint before its own bytes, unchanged, and still loads as a module; the rest are
 * Pyodide's own.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMPILE_ALL_FUNCTIONS_HINT, HINTED_SCRIPTS, PYODIDE_FILES, pyodideDir, pyodideFileBytes } from '../build/pyodide-assets';

describe('pyodideFileBytes', () => {
  const dir = pyodideDir();

  it("puts the compile hint before Emscripten's module, whose own bytes follow unchanged", () => {
    const served = pyodideFileBytes('pyodide.asm.mjs', dir);
    const own = readFileSync(join(dir, 'pyodide.asm.mjs'));
    expect(served.subarray(0, COMPILE_ALL_FUNCTIONS_HINT.length).toString()).toBe('//# allFunctionsCalledOnLoad\n');
    expect(Buffer.compare(served.subarray(COMPILE_ALL_FUNCTIONS_HINT.length), own)).toBe(0);
  });

  it('serves every other script as Pyodide ships it', () => {
    for (const file of PYODIDE_FILES.filter((name) => name.endsWith('.mjs') && !HINTED_SCRIPTS.includes(name))) {
      expect(Buffer.compare(pyodideFileBytes(file, dir), readFileSync(join(dir, file)))).toBe(0);
    }
  });

  it('the hinted module still loads, with its module maker as its default export', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'loop-lab-hinted-'));
    try {
      const path = join(folder, 'pyodide.asm.mjs');
      writeFileSync(path, pyodideFileBytes('pyodide.asm.mjs', dir));
      const module = (await import(pathToFileURL(path).href)) as { default: unknown };
      expect(typeof module.default).toBe('function');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
