/**
 * The desktop installers (electron-builder), for an IT department to deploy:
 * - Linux: AppImage and .deb;
 * - Windows: an NSIS installer that installs per machine into Program Files and takes `/S` for
 *   a silent install, and a portable .exe that installs nothing;
 * - macOS: a .dmg.
 * `npm run dist` (scripts/dist.ts) builds the ones for the platform it runs on.
 *
 * Everything the app needs is inside the package: the built main process, preloads and renderer
 * (the lessons are in the renderer's script), Pyodide's files and the lessons' recorded traces
 * under out/renderer. Nothing is fetched at run time. There is no auto-updater and no
 * telemetry: publishing is off, no update files are written, and electron-updater is not a
 * dependency (tests/installers.test.ts checks all of this).
 */
import type { Configuration } from 'electron-builder';
import { PACKAGED_FUSES } from './src/main/hardening.ts';

/**
 * Who publishes the installers, as a .deb must say. Placeholders (example.org): the project
 * has no public address yet; set these before installers are handed out.
 */
export const PUBLISHER = {
  maintainer: 'Loop Lab maintainers <looplab@example.org>',
  homepage: 'https://example.org/looplab',
} as const;

/**
 * What goes into the package (app.asar), relative to the project: the built app and
 * package.json, no source maps, and no node_modules — the main process and preloads are bundled
 * and need none, and the renderer carries its own copy of Pyodide in out/renderer/pyodide —
 * and the interpreter snapshot the build made (out/snapshot: scripts/ship-snapshot.ts), which a
 * new user's first start restores (src/main/index.ts).
 */
export const PACKAGED_FILES = ['package.json', 'out/main/**/*', 'out/preload/**/*', 'out/renderer/**/*', 'out/snapshot/**/*', '!**/*.map', '!node_modules{,/**/*}'];

/**
 * Kept outside app.asar (in app.asar.unpacked, read through the same paths): Python's
 * WebAssembly, which Chromium compiles from a real file best, and which must not sit in an
 * archive that antivirus software scans on every read.
 */
export const UNPACKED_FILES = ['out/renderer/pyodide/*.wasm'];

const config: Configuration = {
  appId: 'org.looplab.LoopLab',
  productName: 'Loop Lab',
  executableName: 'loop-lab',
  copyright: 'Loop Lab contributors',
  directories: { output: 'dist', buildResources: 'build/installer' },
  extraMetadata: { main: 'out/main/index.js', homepage: PUBLISHER.homepage },
  files: PACKAGED_FILES,
  asar: true,
  asarUnpack: UNPACKED_FILES,
  icon: 'src/renderer/public/pwa-512x512.png',
  // No native modules: nothing to rebuild, so no compiler or headers are downloaded.
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  // The same fuses as src/main/hardening.ts states (no running as Node, no NODE_OPTIONS, …).
  electronFuses: { ...PACKAGED_FUSES },

  // No auto-update and no publishing: an installed Loop Lab never asks the network for anything.
  publish: null,
  detectUpdateChannel: false,
  generateUpdatesFilesForAllChannels: false,

  linux: {
    target: ['AppImage', 'deb'],
    category: 'Education',
    maintainer: PUBLISHER.maintainer,
    synopsis: "Watch Python's asyncio event loop run, one step at a time",
  },
  deb: { packageCategory: 'education' },
  win: {
    target: [
      { target: 'nsis', arch: ['x64'] },
      { target: 'portable', arch: ['x64'] },
    ],
  },
  nsis: {
    // An assisted installer, always per machine (Program Files, needs administrator rights),
    // that IT can run silently: "Loop Lab Setup 0.1.0.exe" /S
    oneClick: false,
    perMachine: true,
    allowElevation: true,
    allowToChangeInstallationDirectory: true,
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    shortcutName: 'Loop Lab',
    artifactName: '${productName} Setup ${version}.${ext}',
  },
  portable: { artifactName: '${productName} ${version} portable.${ext}' },
  mac: { target: ['dmg'], category: 'public.app-category.education' },
  dmg: { artifactName: '${productName} ${version}.${ext}' },
};

export default config;
