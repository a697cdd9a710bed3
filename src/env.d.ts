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
