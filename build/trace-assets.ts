/**
 * Ships the recorded lesson traces (out/traces, made by scripts/record-traces.ts) with the app:
 * served at `traces/` by the dev server, copied into the build beside the pages. Their index
 * is also built into the page's scripts (`virtual:looplab/shipped-index`): the page knows which
 * trace file a lesson's program has without asking first, and its first script can fetch the
 * lesson's trace while the app's own scripts still load (src/renderer/early.ts). The page then
 * fetches each trace when its lesson opens (src/renderer/lib/trace-store.ts).
 */
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as v from 'valibot';
import type { Plugin } from 'vite';
import { ShippedIndexSchema } from '../src/shared/shipped-traces.ts';
import { REPO_ROOT } from './repo-root.ts';

export const TRACES_DIR = resolve(REPO_ROOT, 'out/traces');
export const SHIPPED_INDEX_MODULE = 'virtual:looplab/shipped-index';
const RESOLVED = `\0${SHIPPED_INDEX_MODULE}`;
const MISSING = 'out/traces is missing: record the lessons\' traces first (npm run build:traces).';

export function traceAssets(): Plugin {
  let serving = false;
  return {
    name: 'looplab:trace-assets',
    configResolved(config) {
      serving = config.command === 'serve';
    },
    resolveId(id) {
      return id === SHIPPED_INDEX_MODULE ? RESOLVED : null;
    },
    load(id) {
      if (id !== RESOLVED) return null;
      const file = join(TRACES_DIR, 'index.json');
      this.addWatchFile(file); // traces recorded again: the dev page gets the new index
      if (!existsSync(file)) {
        // The dev server runs without them (every program runs in Python); a build does not.
        if (!serving) this.error(MISSING);
        this.warn(`${MISSING} Until then every lesson runs in Python.`);
        return `export const shippedIndex = null;`;
      }
      const parsed = v.safeParse(ShippedIndexSchema, JSON.parse(readFileSync(file, 'utf8')));
      if (!parsed.success) this.error(`${file} is not an index of traces: ${v.summarize(parsed.issues)}`);
      return `export const shippedIndex = ${JSON.stringify(parsed.output)};`;
    },
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
      if (!existsSync(join(TRACES_DIR, 'index.json'))) this.error(MISSING);
      for (const file of readdirSync(TRACES_DIR).filter((f) => f.endsWith('.json'))) {
        this.emitFile({ type: 'asset', fileName: `traces/${file}`, source: readFileSync(join(TRACES_DIR, file)) });
      }
    },
  };
}
