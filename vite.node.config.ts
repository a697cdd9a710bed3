/**
 * Builds the Node side of the runtime: the `loop-lab` CLI and the worker thread it (and the
 * tests, soak and bench) run Python in. Output: out/node/*.js.
 */
import { builtinModules } from 'node:module';
import { defineConfig } from 'vite';
import { runtimeIdDefine } from './build/runtime-id.ts';

export default defineConfig({
  define: runtimeIdDefine(),
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
