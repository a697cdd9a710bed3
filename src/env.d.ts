/// <reference types="vite/client" />

declare module '*.py?raw' {
  const source: string;
  export default source;
}

interface ImportMetaEnv {
  /** The app's version, as package.json says (build/app-version.ts). */
  readonly LOOPLAB_VERSION: string;
  /** True in the browser edition's build, whose service worker keeps the app for offline use. */
  readonly LOOPLAB_OFFLINE: boolean;
}

/** The course, loaded at build time (build/lesson-catalog.ts). */
declare module 'virtual:looplab/lessons' {
  /** Every file of every lesson folder, as text, keyed `lessons/NN-slug/file`. */
  export const lessonFiles: Record<string, string>;
  /** What src/lessons/loader.ts makes of them. */
  export const catalog: import('./shared/lesson').LessonCatalog;
}

/** The index of the traces the app ships, built in (build/trace-assets.ts); null on a dev server without them. */
declare module 'virtual:looplab/shipped-index' {
  export const shippedIndex: import('./shared/shipped-traces').ShippedIndex | null;
}
