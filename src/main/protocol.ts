/** The app:// protocol: serves the built renderer with the app's security headers. */
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';
import { APP_HOST, APP_SCHEME, APP_SCHEME_PRIVILEGES, resolveAppPath } from './hardening';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
};

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

export function serveAppProtocol(rendererRoot: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const headers = {
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    };
    const file = url.host === APP_HOST ? resolveAppPath(rendererRoot, url.pathname, join) : null;
    if (file === null) return new Response('Not found', { status: 404, headers });
    try {
      const body = await readFile(file);
      return new Response(body, {
        status: 200,
        headers: { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' },
      });
    } catch {
      return new Response(`Missing file: ${url.pathname}`, { status: 404, headers });
    }
  });
}
