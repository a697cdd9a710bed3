/**
 * Loop Lab's Electron main process: windows, the app:// protocol, security, and the runtime
 * host (a hidden sandboxed window whose Web Worker runs Python).
 */
import { join } from 'node:path';
import { app, BrowserWindow, Menu, session } from 'electron';
import { FileSnapshotStore, shippedSnapshotFile } from '../runtime/snapshot-file';
import { RUNTIME_TAG } from '../runtime/runtime-id';
import { BASE_WEB_PREFERENCES, MAIN_PAGE, RUNTIME_PAGE, RUNTIME_PARTITION } from './hardening';
import { notifyPackChanged, notifyStatus, registerIpc } from './ipc';
import { PackKeeper } from './packs';
import { buildMenu } from './menu';
import { registerAppScheme, serveAppProtocol } from './protocol';
import { RuntimeWindowHost } from './runtime-window';
import { hardenSession, hardenWebContents } from './security';

const here = import.meta.dirname;
const rendererRoot = join(here, '../renderer');
const preloadDir = join(here, '../preload');
/** electron-vite dev serves the renderer from a local dev server and says where in this variable. */
const devServer = app.isPackaged ? null : (process.env.ELECTRON_RENDERER_URL ?? null);
const pageUrl = (page: string): string => (devServer ? new URL(new URL(page).pathname, devServer).href : page);

let mainWindow: BrowserWindow | null = null;

registerAppScheme();
app.enableSandbox();

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 640,
    title: 'Loop Lab',
    show: false,
    backgroundColor: '#111418',
    webPreferences: { ...BASE_WEB_PREFERENCES, preload: join(preloadDir, 'index.cjs') },
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    mainWindow = null;
    // The hidden runtime window would keep the app alive: closing the learner's window quits
    // (on macOS the app stays, as apps do there, and the dock icon opens a new window).
    if (process.platform !== 'darwin') app.quit();
  });
  void window.loadURL(pageUrl(MAIN_PAGE));
  return window;
}

void app.whenReady().then(() => {
  const runtimeSession = session.fromPartition(RUNTIME_PARTITION);
  hardenSession(devServer);
  hardenSession(devServer, runtimeSession);
  hardenWebContents(() => mainWindow);
  serveAppProtocol(rendererRoot);
  serveAppProtocol(rendererRoot, runtimeSession);
  const host = new RuntimeWindowHost(pageUrl(RUNTIME_PAGE), join(preloadDir, 'runtime.cjs'), (info) =>
    notifyStatus(mainWindow, info),
  );
  const packs = new PackKeeper(app.getPath('userData'), (change) => notifyPackChanged(mainWindow, change));
  // The interpreter snapshot lives in the user-data folder (the runtime window keeps nothing).
  registerIpc(host, packs, () => mainWindow, devServer, new FileSnapshotStore(app.getPath('userData'), RUNTIME_TAG, 'own', shippedSnapshotFile()));
  // Python starts now, while the learner's window is still being made.
  host.start();
  Menu.setApplicationMenu(buildMenu(!app.isPackaged));
  mainWindow = createMainWindow();

  app.on('activate', () => {
    if (mainWindow === null) mainWindow = createMainWindow();
  });
  app.on('before-quit', () => {
    host.dispose();
    packs.dispose();
  });
});
