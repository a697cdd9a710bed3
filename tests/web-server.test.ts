/**
 * The browser edition's server (scripts/web-server.ts) lets the browser keep Pyodide's
 * WebAssembly for good only at its versioned address (src/runtime/page-pyodide.ts), and a built
 * script under assets/ only at its code-cache address (src/runtime/browser-host.ts), and has
 * every other file revalidated.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveWeb, type WebServer } from '../scripts/web-server';
import { compiledWasmURL } from '../src/runtime/page-pyodide';
import { WORKER_CODE_CACHE_PARAM } from '../src/shared/static-files';

let root: string;
let server: WebServer;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'loop-lab-web-'));
  mkdirSync(join(root, 'pyodide'));
  writeFileSync(join(root, 'index.html'), '<!doctype html>');
  writeFileSync(join(root, 'pyodide', 'pyodide.asm.wasm'), new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  writeFileSync(join(root, 'pyodide', 'python_stdlib.zip'), 'zip');
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'assets', 'browser-worker-CoOHXqh0.js'), 'export {};');
  writeFileSync(join(root, 'assets', 'plain.js'), 'export {};');
  server = await serveWeb({ root });
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

async function cacheControl(path: string, status = 200, method = 'GET'): Promise<string | null> {
  const response = await fetch(new URL(path, server.url), { method });
  expect(response.status).toBe(status);
  await response.arrayBuffer();
  return response.headers.get('cache-control');
}

describe('what the browser may keep', () => {
  it('keeps the WebAssembly at its versioned address for good', async () => {
    expect(await cacheControl(compiledWasmURL(`${server.url}pyodide/`, '314.0.7'))).toBe('public, max-age=31536000, immutable');
  });

  it('revalidates the same file at its plain address, or with no version named, and every other file, query or not', async () => {
    expect(await cacheControl('/pyodide/pyodide.asm.wasm')).toBe('no-cache');
    expect(await cacheControl('/pyodide/pyodide.asm.wasm?pyodide=')).toBe('no-cache');
    expect(await cacheControl('/pyodide/pyodide.asm.wasm?other=1&pyodide')).toBe('no-cache');
    expect(await cacheControl('/pyodide/python_stdlib.zip?pyodide=314.0.7')).toBe('no-cache');
    expect(await cacheControl('/index.html')).toBe('no-cache');
  });

  it('keeps a built script under assets/ for good at its code-cache address, and at no other', async () => {
    const script = '/assets/browser-worker-CoOHXqh0.js';
    expect(await cacheControl(`${script}?${WORKER_CODE_CACHE_PARAM}=1`)).toBe('public, max-age=31536000, immutable');
    expect(await cacheControl(script)).toBe('no-cache');
    expect(await cacheControl(`${script}?${WORKER_CODE_CACHE_PARAM}=`)).toBe('no-cache');
    // Only a name that carries a hash of its content: another could change at the same address.
    expect(await cacheControl(`/assets/plain.js?${WORKER_CODE_CACHE_PARAM}=1`)).toBe('no-cache');
    expect(await cacheControl(`/index.html?${WORKER_CODE_CACHE_PARAM}=1`)).toBe('no-cache');
    expect(await cacheControl(`/assets/missing-AAAAAAAA.js?${WORKER_CODE_CACHE_PARAM}=1`, 404)).toBe('no-cache');
  });

  it('never lets an error be kept: a missing file or a refused method at that address is revalidated', async () => {
    expect(await cacheControl('/elsewhere/pyodide/pyodide.asm.wasm?pyodide=314.0.7', 404)).toBe('no-cache');
    expect(await cacheControl('/pyodide/pyodide.asm.wasm?pyodide=314.0.7', 405, 'POST')).toBe('no-cache');
  });

  it('answers a malformed escape with 400 and goes on serving', async () => {
    const response = await fetch(new URL('/%E0', server.url));
    expect(response.status).toBe(400);
    expect(await cacheControl('/index.html')).toBe('no-cache');
  });
});
