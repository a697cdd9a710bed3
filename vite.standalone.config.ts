/**
 * The player of an exported page (src/renderer/standalone/): built on its own into one script
 * (an IIFE: no imports, no chunks) and one style sheet in out/standalone, which the app ships
 * (build/standalone-assets.ts) and inlines into each page it exports.
 */
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { runtimeIdDefine } from './build/runtime-id.ts';

const root = import.meta.dirname;

export default defineConfig({
  plugins: [svelte({ configFile: resolve(root, 'svelte.config.js') })],
  define: { ...runtimeIdDefine(), 'process.env.NODE_ENV': '"production"' },
  build: {
    outDir: resolve(root, 'out/standalone'),
    emptyOutDir: true,
    target: 'chrome110',
    sourcemap: false,
    cssCodeSplit: false,
    lib: {
      entry: resolve(root, 'src/renderer/standalone/main.ts'),
      formats: ['iife'],
      name: 'LoopLabPlayer',
      fileName: () => 'player.js',
      cssFileName: 'player',
    },
  },
});
