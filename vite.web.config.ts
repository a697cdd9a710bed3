/** The browser edition: the same renderer, with the runtime in a Web Worker of the page. */
import { resolve } from 'node:path';
import { defineConfig, mergeConfig } from 'vite';
import { rendererConfig, rendererRoot } from './build/renderer-config';

export default defineConfig(
  mergeConfig(rendererConfig(), {
    build: {
      outDir: resolve(import.meta.dirname, 'out/web'),
      emptyOutDir: true,
      rollupOptions: { input: { index: resolve(rendererRoot, 'index.html') } },
    },
  }),
);
