/**
 * How Loop Lab serves its own files, the same way in both shells: the browser edition's local
 * server (scripts/web-server.ts) and Electron's app:// protocol (src/main/protocol.ts). What the
 * browser may keep for good (keptForGood) is the local server's alone: app:// reads no query.
 */
import { CONTENT_SECURITY_POLICY, EMBED_CONTENT_SECURITY_POLICY } from './csp';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

export function contentTypeOf(path: string): string {
  const dot = path.lastIndexOf('.');
  return (dot >= 0 && CONTENT_TYPES[path.slice(dot).toLowerCase()]) || 'application/octet-stream';
}

/** Sent with every file: a worker's policy comes from its own response, so every file has it. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * The pages other sites may show in an `<iframe>`: the embed page alone (the player, for course
 * pages and slides). Every other file keeps `frame-ancestors 'none'`.
 */
export const FRAMEABLE_PAGES: readonly string[] = ['embed.html'];

/** The security headers for one file, by its path (`/embed.html`, `/sub/path/index.html` …). */
export function securityHeadersFor(path: string): Readonly<Record<string, string>> {
  const name = path.split('?')[0]!.split('/').pop() ?? '';
  return FRAMEABLE_PAGES.includes(name) ? { ...SECURITY_HEADERS, 'Content-Security-Policy': EMBED_CONTENT_SECURITY_POLICY } : SECURITY_HEADERS;
}

/** The query that names Pyodide's version in its WebAssembly's address (page-pyodide.ts, compiledWasmURL). */
export const PYODIDE_VERSION_PARAM = 'pyodide';

/**
 * The query by which the page asks for the Python worker's script (browser-host.ts): no file of
 * the service worker's precache has that address, so the request goes to the browser's HTTP
 * cache, where Chromium keeps the script's compiled code (its code cache). Served from the
 * service worker's cache, a worker's script was compiled again at every load and its code
 * cache made again (~80 and ~60 ms of the worker's thread, in a trace of a warm start).
 * `npm run web` lets the browser keep what is at that address for good: a built script's name
 * carries a hash of its content.
 */
export const WORKER_CODE_CACHE_PARAM = 'code-cache';

/**
 * Whether what is at `path` (decoded, from the site's root) asked with `query` may be kept by
 * the browser for good (`immutable`): Pyodide's WebAssembly at its versioned address (a version
 * named: page-pyodide.ts), and a built script under assets/ at its code-cache address. The
 * server says so only of a file that is there.
 */
export function keptForGood(path: string, query: string): boolean {
  const params = new URLSearchParams(query);
  if (path === '/pyodide/pyodide.asm.wasm') return (params.get(PYODIDE_VERSION_PARAM) ?? '') !== '';
  return /^\/assets\/[^/]+-[\w-]{8}\.js$/.test(path) && (params.get(WORKER_CODE_CACHE_PARAM) ?? '') !== '';
}
