/**
 * How Loop Lab serves its own files, the same way in both shells: the browser edition's local
 * server (scripts/web-server.ts) and Electron's app:// protocol (src/main/protocol.ts).
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
