/**
 * Ships the recorded lesson traces (out/traces, made by scripts/record-traces.ts) with the app:
 * served at `traces/` by the dev server, copied into the build beside the pages. The app
 * fetches `traces/index.json` once, then a lesson's trace when it opens (src/renderer/lib/trace-store.ts).
 */
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import { REPO_ROOT } from './repo-root.ts';

export const TRACES_DIR = resolve(REPO_ROOT, 'out/traces');

export function traceAssets(): Plugin {
  return {
    name: 'looplab:trace-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const match = /\/traces\/([0-9a-f]{64}\.json|index\.json)$/.exec(req.url?.split('?')[0] ?? '');
        const file = match?.[1] ? join(TRACES_DIR, match[1]) : null;
        if (!file || !existsSync(file)) return next();
        res.setHeader('Content-Type', 'application/json');
        createReadStream(file).pipe(res);
      });
    },
    generateBundle() {
      if (!existsSync(join(TRACES_DIR, 'index.json'))) {
        this.error('out/traces is missing: record the lessons\' traces first (npm run build:traces).');
      }
      for (const file of readdirSync(TRACES_DIR).filter((f) => f.endsWith('.json'))) {
        this.emitFile({ type: 'asset', fileName: `traces/${file}`, source: readFileSync(join(TRACES_DIR, file)) });
      }
    },
  };
}
