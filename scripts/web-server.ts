/**
 * A small static server for the built browser edition (out/web). Sends the app's
 * Content-Security-Policy with every file, workers included (a worker's policy comes from its
 * own response), binds to localhost only, and serves nothing outside out/web. Only the embed
 * page may be framed by other sites (static-files.ts); every other page refuses.
 *
 * Files are revalidated at every load (`no-cache`), but for Pyodide's WebAssembly and the Python
 * worker's script asked for by their versioned addresses (static-files.ts, keptForGood), which
 * the browser may keep for good: what is at those addresses never changes, and Chromium keeps
 * compiled code only for a response its HTTP cache holds.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, normalize, resolve, sep } from 'node:path';
import { contentTypeOf, keptForGood, securityHeadersFor } from '../src/shared/static-files';

export const WEB_ROOT = resolve(import.meta.dirname, '../out/web');

export interface WebServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export function serveWeb(options: { port?: number; root?: string } = {}): Promise<WebServer> {
  const root = options.root ?? WEB_ROOT;
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`${root}/index.html is missing: build the browser edition first (npm run build:web).`);
  }
  const server = createServer((req, res) => {
    const [rawPath = '/', query = ''] = (req.url ?? '/').split('?');
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      // A malformed escape (%E0): answered, not thrown (it ended the server).
      res.writeHead(400, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-cache' }).end('Bad request');
      return;
    }
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    const headers = { ...securityHeadersFor(path), 'Cross-Origin-Opener-Policy': 'same-origin', 'Cache-Control': 'no-cache' };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers).end();
      return;
    }
    if (!(file === root || file.startsWith(root + sep)) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    // Only a file that is there, at its versioned address: never an error page.
    if (keptForGood(path, query)) headers['Cache-Control'] = 'public, max-age=31536000, immutable';
    res.writeHead(200, { ...headers, 'Content-Type': contentTypeOf(file) });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      resolvePromise({
        url: `http://127.0.0.1:${port}/`,
        server,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
