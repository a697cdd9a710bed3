/**
 * `npm run dist`: builds the desktop installers for the platform it runs on, into dist/
 * (electron-builder.ts): Linux → AppImage and .deb; Windows → the NSIS installer and the
 * portable .exe; macOS → the .dmg.
 *
 * Where Electron's binary or electron-builder's tools cannot be downloaded (no network), it
 * builds nothing, says why in one line and exits with status 1: for a release script, an
 * installer that was not made is a failure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { build, Platform } from 'electron-builder';
import config from '../electron-builder';
import { probeNetwork, whyNoInstallers } from './dist-check';

const ROOT = join(import.meta.dirname, '..');
const electronPackage = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
const electronVersion = (JSON.parse(readFileSync(join(electronPackage, 'package.json'), 'utf8')) as { version: string }).version;
/** Electron's binary as `npm install` downloaded it for this machine, when it could. */
const localElectron = join(electronPackage, 'dist');
const hasLocalElectron = existsSync(join(electronPackage, 'path.txt')) && existsSync(localElectron);

const why = await whyNoInstallers({
  platform: process.platform,
  arch: process.arch,
  electronVersion,
  localElectron: hasLocalElectron,
  env: process.env,
  probe: probeNetwork,
});
if (why !== null) {
  console.error(`npm run dist: no installers built here. ${why}`);
  process.exit(1);
}

const compiled = spawnSync('npm', ['run', '--silent', 'build:electron'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);

const platform = { linux: Platform.LINUX, win32: Platform.WINDOWS, darwin: Platform.MAC }[process.platform as 'linux' | 'win32' | 'darwin'];
const artifacts = await build({
  projectDir: ROOT,
  targets: platform.createTarget(),
  config: hasLocalElectron ? { ...config, electronDist: localElectron } : config,
  publish: 'never',
});
console.log(`Installers in dist/:\n${artifacts.map((file) => `  ${relative(ROOT, file)}`).join('\n')}`);
