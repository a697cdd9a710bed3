/**
 * Ships the exported pages' player (out/standalone, built by vite.standalone.config.ts) with the
 * app at `standalone/player.js` and `standalone/player.css`: the app reads both when it writes a
 * page (src/renderer/export/standalone-html.ts), offline too (the service worker keeps them).
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { REPO_ROOT } from './repo-root.ts';

export const STANDALONE_DIR = resolve(REPO_ROOT, 'out/standalone');
export const STANDALONE_FILES = ['player.js', 'player.css'] as const;

export function standaloneAssets(): Plugin {
  return {
    name: 'looplab:standalone-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const match = /\/standalone\/(player\.js|player\.css)$/.exec(req.url?.split('?')[0] ?? '');
        const file = match?.[1] ? join(STANDALONE_DIR, match[1]) : null;
        if (!file || !existsSync(file)) return next();
        res.setHeader('Content-Type', file.endsWith('.js') ? 'text/javascript' : 'text/css');
        createReadStream(file).pipe(res);
      });
    },
    generateBundle() {
      for (const file of STANDALONE_FILES) {
        if (!existsSync(join(STANDALONE_DIR, file))) {
          this.error("out/standalone is missing: build the exported pages' player first (npm run build:standalone).");
        }
        this.emitFile({ type: 'asset', fileName: `standalone/${file}`, source: readFileSync(join(STANDALONE_DIR, file)) });
      }
    },
  };
}
