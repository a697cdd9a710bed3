/**
 * The browser edition: the same renderer, with the runtime in a Web Worker of the page, built
 * as an installable web app that works offline (build/offline-app.ts). out/web is plain files
 * with relative URLs: any static server can serve it, at its root or under a sub-path.
 */
import { resolve } from 'node:path';
import { defineConfig, mergeConfig } from 'vite';
import { offlineApp } from './build/offline-app.ts';
import { rendererConfig, rendererRootOf } from './build/renderer-config.ts';
import { snapshotAsset } from './build/snapshot-asset.ts';

const root = import.meta.dirname;

export default defineConfig(
  mergeConfig(rendererConfig(root), {
    plugins: [offlineApp(), snapshotAsset()],
    define: { 'import.meta.env.LOOPLAB_OFFLINE': 'true' },
    build: {
      outDir: resolve(root, 'out/web'),
      emptyOutDir: true,
      rollupOptions: {
        input: {
          index: resolve(rendererRootOf(root), 'index.html'),
          // The player alone, for other sites' <iframe>s (the one page that may be framed).
          embed: resolve(rendererRootOf(root), 'embed.html'),
        },
      },
    },
  }),
);
