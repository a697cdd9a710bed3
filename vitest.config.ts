import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { lessonCatalog } from './build/lesson-catalog.ts';
import { runtimeIdDefine } from './build/runtime-id.ts';

export default defineConfig({
  define: runtimeIdDefine(),
  // src/lessons/bundled.ts imports the course as the build makes it; svelte compiles the rune
  // classes (src/renderer/state/*.svelte.ts) that tests drive.
  plugins: [lessonCatalog(), svelte()],
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each test file that starts Python pays ~3 s; two at a time suits these 2-core machines.
    maxWorkers: 2,
  },
});
