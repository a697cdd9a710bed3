/** The renderer's Vite settings, shared by the browser edition and the Electron build. */
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { UserConfig } from 'vite';
import { pyodideAssets } from './pyodide-assets';

export const rendererRoot = resolve(import.meta.dirname, '../src/renderer');

export function rendererConfig(): UserConfig {
  return {
    root: rendererRoot,
    base: './',
    plugins: [svelte(), pyodideAssets()],
    worker: { format: 'es' },
    server: { fs: { allow: [resolve(import.meta.dirname, '..')] } },
    build: { target: 'chrome120', sourcemap: true, assetsInlineLimit: 0, chunkSizeWarningLimit: 2000 },
  };
}
