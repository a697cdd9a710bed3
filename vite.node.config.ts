/**
 * Builds the Node side of the runtime: the `loop-lab` CLI and the worker thread it (and the
 * tests, soak and bench) run Python in. Output: out/node/*.js.
 */
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import { appVersion } from './build/app-version.ts';
import { runtimeIdDefine } from './build/runtime-id.ts';

export default defineConfig({
  // The CLI says which Loop Lab it is (--version): package.json's version, as the app says it.
  define: { ...runtimeIdDefine(), 'import.meta.env.LOOPLAB_VERSION': JSON.stringify(appVersion(import.meta.dirname)) },
  build: {
    ssr: true,
    outDir: 'out/node',
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    sourcemap: true,
    rollupOptions: {
      input: {
        'loop-lab': 'src/cli/loop-lab.ts',
        'node-worker': 'src/runtime/node-worker.ts',
        'node-host': 'src/runtime/node-host.ts',
        engine: 'src/runtime/engine.ts',
      },
      external: ['pyodide', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)],
      output: { format: 'es', entryFileNames: '[name].js' },
    },
  },
});
