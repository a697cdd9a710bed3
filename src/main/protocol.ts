/** The app:// protocol: serves the built renderer with the app's security headers. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { protocol, type Session } from 'electron';
import { contentTypeOf, SECURITY_HEADERS } from '../shared/static-files';
import { APP_HOST, APP_SCHEME, APP_SCHEME_PRIVILEGES, resolveAppPath } from './hardening';

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);
}

/** Serves app:// in a session (the default one, and the runtime window's: each has its own handlers). */
export function serveAppProtocol(rendererRoot: string, ses?: Session): void {
  (ses?.protocol ?? protocol).handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const headers = { ...SECURITY_HEADERS };
    const file = url.host === APP_HOST ? resolveAppPath(rendererRoot, url.pathname, join) : null;
    if (file === null) return new Response('Not found', { status: 404, headers });
    try {
      const body = await readFile(file);
      return new Response(body, {
        status: 200,
        headers: { ...headers, 'Content-Type': contentTypeOf(file) },
      });
    } catch {
      return new Response(`Missing file: ${url.pathname}`, { status: 404, headers });
    }
  });
}
