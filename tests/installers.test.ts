/**
 * The desktop installers' configuration (electron-builder.ts): its targets, that publishing and
 * auto-update are off, and what goes into the package — checked on a real package made by
 * electron-builder from the built app (out/, `npm test` builds it first), with a stand-in for
 * Electron's binary (which cannot be downloaded everywhere) and its `dir` target (an unpacked
 * app, no installer tools needed).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { build, Platform } from 'electron-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PYODIDE_FILES } from '../build/pyodide-assets';
import config, { PACKAGED_FILES, UNPACKED_FILES } from '../electron-builder';
import { PACKAGED_FUSES } from '../src/main/hardening';
import { loadCatalog } from '../src/lessons';
import { readLessonFiles } from './lesson-files';

const ROOT = join(import.meta.dirname, '..');

/** A target list as names: ['AppImage', 'deb'] from strings or { target } objects. */
function targetNames(targets: unknown): string[] {
  const list = Array.isArray(targets) ? targets : [targets];
  return list.map((t: unknown) => (typeof t === 'string' ? t : (t as { target: string }).target));
}

describe('the installers', () => {
  it('Linux: AppImage and .deb; Windows: a per-machine NSIS installer and a portable .exe; macOS: a .dmg', () => {
    expect(targetNames(config.linux?.target)).toEqual(['AppImage', 'deb']);
    expect(targetNames(config.win?.target)).toEqual(['nsis', 'portable']);
    expect(targetNames(config.mac?.target)).toEqual(['dmg']);
    // Per machine, into Program Files, without the "for me or for everyone" page: `/S` installs silently.
    expect(config.nsis).toMatchObject({ oneClick: false, perMachine: true });
    expect(config.productName).toBe('Loop Lab');
  });

  it('publish nothing and update nothing: no publish target, no update files, no electron-updater', () => {
    expect(config.publish).toBeNull();
    expect(config.detectUpdateChannel).toBe(false);
    expect(config.generateUpdatesFilesForAllChannels).toBe(false);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const dependencies = { ...manifest.dependencies, ...manifest.devDependencies };
    expect(Object.keys(dependencies)).not.toContain('electron-updater');
    for (const file of readdirSync(join(ROOT, 'src/main'))) {
      expect(readFileSync(join(ROOT, 'src/main', file), 'utf8'), file).not.toMatch(/autoUpdater|electron-updater|crashReporter/);
    }
  });

  it('flips the same fuses as the hardening settings, and rebuilds no native module', () => {
    expect(config.electronFuses).toEqual(PACKAGED_FUSES);
    expect(config).toMatchObject({ npmRebuild: false, nodeGypRebuild: false, asar: true });
  });

  it('has a square icon of at least 512 px (the size macOS needs)', () => {
    const png = readFileSync(join(ROOT, String(config.icon)));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
    expect(width).toBe(height);
    expect(width).toBeGreaterThanOrEqual(512);
  });
});

describe('the package', () => {
  let work: string;
  let resources: string;
  let packaged: string[];

  beforeAll(async () => {
    expect(existsSync(join(ROOT, 'out/main/index.js')) && existsSync(join(ROOT, 'out/renderer/index.html')), 'build the app first (npm run build)').toBe(true);
    work = mkdtempSync(join(tmpdir(), 'looplab-package-'));
    // A stand-in for Electron's binary: electron-builder copies it and puts the app beside it.
    const electronDist = join(work, 'electron');
    mkdirSync(electronDist);
    writeFileSync(join(electronDist, 'electron'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(electronDist, 'LICENSE'), '');
    await build({
      projectDir: ROOT,
      targets: Platform.LINUX.createTarget('dir'),
      // Fuses are flipped in the real binary only; the stand-in has none.
      config: { ...config, electronDist, electronFuses: null, directories: { ...config.directories, output: join(work, 'dist') } },
      publish: 'never',
    });
    resources = join(work, 'dist/linux-unpacked/resources');
    packaged = listPackage(join(resources, 'app.asar'), { isPack: false }).map((p) => p.split('\\').join('/').replace(/^\//, ''));
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Every file under an out/ folder, relative to the project. */
  function built(folder: string): string[] {
    return readdirSync(join(ROOT, folder), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => relative(ROOT, join(entry.parentPath, entry.name)).split('\\').join('/'));
  }

  it('holds every built file of the main process, the preloads and the renderer, source maps aside', () => {
    const expected = ['out/main', 'out/preload', 'out/renderer'].flatMap(built).filter((file) => !file.endsWith('.map'));
    expect(expected).toEqual(expect.arrayContaining(['out/main/index.js', 'out/preload/index.cjs', 'out/preload/runtime.cjs', 'out/renderer/index.html', 'out/renderer/runtime.html']));
    expect(packaged).toEqual(expect.arrayContaining([...expected, 'package.json']));
    // So the lessons' recorded traces are in, whenever the build has them (out/renderer/traces).
    expect(packaged.filter((file) => file.startsWith('out/renderer/traces/'))).toEqual(expected.filter((file) => file.startsWith('out/renderer/traces/')));
  });

  it('holds the interpreter snapshot the build made, which a new user’s first start restores', () => {
    const shipped = built('out/snapshot');
    expect(shipped.length, 'out/snapshot holds the shipped snapshot (npm run build:traces)').toBe(1);
    expect(shipped[0]).toMatch(/^out\/snapshot\/python-.+\.gz$/);
    expect(packaged).toEqual(expect.arrayContaining(shipped));
  });

  it('holds Pyodide and its standard library, with the WebAssembly outside the archive', () => {
    for (const file of PYODIDE_FILES) expect(packaged).toContain(`out/renderer/pyodide/${file}`);
    const wasm = 'out/renderer/pyodide/pyodide.asm.wasm';
    expect(statFile(join(resources, 'app.asar'), wasm)).toMatchObject({ unpacked: true });
    const unpacked = readFileSync(join(resources, 'app.asar.unpacked', wasm));
    expect(unpacked.length).toBeGreaterThan(1_000_000);
    expect(unpacked.equals(readFileSync(join(ROOT, wasm))), 'the unpacked wasm is the built one').toBe(true);
    expect(UNPACKED_FILES).toEqual(['out/renderer/pyodide/*.wasm']);
  });

  it('holds every lesson (inside the renderer’s scripts, by its title)', () => {
    // Which chunk the lessons land in is the bundler's choice: read every renderer script.
    const scripts = packaged.filter((file) => /^out\/renderer\/assets\/[\w-]+\.js$/.test(file));
    expect(scripts.length).toBeGreaterThan(0);
    const bundle = scripts.map((script) => extractFile(join(resources, 'app.asar'), script).toString('utf8')).join('\n');
    const { lessons } = loadCatalog(readLessonFiles(join(ROOT, 'lessons')));
    expect(lessons.length).toBeGreaterThan(0);
    for (const lesson of lessons) {
      // Front matter is bundled as written (a title with a colon in it is quoted there).
      // In the bundle the front matter sits inside a JS string, so a quote around a title may be escaped.
      const title = lesson.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      expect(bundle, lesson.slug).toMatch(new RegExp(`title: (?:\\\\?["'])?${title}`));
    }
  });

  it('holds nothing else: no node_modules, no sources, no source maps', () => {
    expect(packaged.filter((file) => !/^(package\.json|out\/(main|preload|renderer|snapshot)(\/.*)?|out)$/.test(file))).toEqual([]);
    expect(packaged.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(PACKAGED_FILES).toContain('!node_modules{,/**/*}');
  });
});
