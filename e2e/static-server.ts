/**
 * A plain static file server for the end-to-end tests of hosting (not the project's own
 * scripts/web-server.ts): files with a Content-Type by extension, and nothing else — no
 * Content-Security-Policy or other headers, as a school's intranet, GitHub Pages or
 * `python3 -m http.server` would serve them. Its root can be switched while it runs (a new
 * version deployed to the same address).
 */
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, normalize, sep } from 'node:path';
import { contentTypeOf } from '../src/shared/static-files';

export interface StaticServer {
  /** http://127.0.0.1:PORT/ */
  readonly origin: string;
  /** The folder served at `/` (read on every request). */
  root: string;
  close(): Promise<void>;
}

export function serveStatic(root: string, port: number): Promise<StaticServer> {
  const state = { root };
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    const base = realpathSync(state.root);
    let file = normalize(join(base, path));
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    const inside = file === base || file.startsWith(base + sep);
    if (!inside || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': contentTypeOf(file).replace(/; charset=utf-8$/, '') });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () =>
      resolve({
        origin: `http://127.0.0.1:${port}/`,
        get root() {
          return state.root;
        },
        set root(folder: string) {
          state.root = folder;
        },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections(); // the browser keeps connections open
          }),
      }),
    );
  });
}
