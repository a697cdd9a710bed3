/** The renderer's Vite settings, shared by the browser edition and the Electron build. */
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { UserConfig } from 'vite';
import { appVersion } from './app-version.ts';
import { cspMeta } from './csp-meta.ts';
import { earlyScript } from './early-script.ts';
import { lessonCatalog } from './lesson-catalog.ts';
import { pyodideAssets } from './pyodide-assets.ts';
import { runtimeIdDefine } from './runtime-id.ts';
import { standaloneAssets } from './standalone-assets.ts';
import { traceAssets } from './trace-assets.ts';

/** The renderer's root folder, given the project's root (config files know where they are). */
export function rendererRootOf(projectRoot: string): string {
  return resolve(projectRoot, 'src/renderer');
}

export function rendererConfig(projectRoot: string): UserConfig {
  return {
    root: rendererRootOf(projectRoot),
    base: './',
    plugins: [svelte({ configFile: resolve(projectRoot, 'svelte.config.js') }), lessonCatalog(), pyodideAssets(), traceAssets(), standaloneAssets(), cspMeta(), earlyScript(rendererRootOf(projectRoot))],
    worker: { format: 'es' },
    define: {
      ...runtimeIdDefine(),
      'import.meta.env.LOOPLAB_VERSION': JSON.stringify(appVersion(projectRoot)),
      // Only the browser edition keeps itself for offline use (vite.web.config.ts turns it on).
      'import.meta.env.LOOPLAB_OFFLINE': 'false',
    },
    server: { fs: { allow: [projectRoot] } },
    build: { target: 'chrome120', sourcemap: true, assetsInlineLimit: 0, chunkSizeWarningLimit: 2000 },
  };
}
