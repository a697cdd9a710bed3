/** The browser edition: the same renderer, with the runtime in a Web Worker of the page. */
import { resolve } from 'node:path';
import { defineConfig, mergeConfig } from 'vite';
import { rendererConfig, rendererRootOf } from './build/renderer-config.ts';

const root = import.meta.dirname;

export default defineConfig(
  mergeConfig(rendererConfig(root), {
    build: {
      outDir: resolve(root, 'out/web'),
      emptyOutDir: true,
      rollupOptions: { input: { index: resolve(rendererRootOf(root), 'index.html') } },
    },
  }),
);
