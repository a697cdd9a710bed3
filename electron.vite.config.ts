/** The desktop app: main process, the two sandboxed preloads, and the renderer pages. */
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { mergeConfig } from 'vite';
import { rendererConfig, rendererRootOf } from './build/renderer-config.ts';
import { runtimeIdDefine } from './build/runtime-id.ts';

const root = import.meta.dirname;
const rendererRoot = rendererRootOf(root);

export default defineConfig({
  main: {
    define: runtimeIdDefine(),
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(root, 'src/main/index.ts') } },
    },
  },
  preload: {
    define: runtimeIdDefine(),
    build: {
      outDir: 'out/preload',
      // Sandboxed preloads can require nothing but electron: each is one self-contained CJS file.
      isolatedEntries: true,
      externalizeDeps: false,
      rollupOptions: {
        input: {
          index: resolve(root, 'src/preload/index.ts'),
          runtime: resolve(root, 'src/preload/runtime.ts'),
        },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: mergeConfig(rendererConfig(root), {
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: {
        input: {
          index: resolve(rendererRoot, 'index.html'),
          embed: resolve(rendererRoot, 'embed.html'),
          runtime: resolve(rendererRoot, 'runtime.html'),
        },
      },
    },
  }),
});
