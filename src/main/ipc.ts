/**
 * The main process's side of the IPC channel map (src/shared/ipc.ts): one handler per
 * operation; every message's sender and payload are checked before anything is done.
 */
import { type BrowserWindow, type IpcMainEvent, type IpcMainInvokeEvent, ipcMain } from 'electron';
import {
  INVOKE,
  MAX_SNAPSHOT_BYTES,
  NOTIFY,
  type PackChange,
  parseLessonSave,
  parsePackId,
  parsePackKind,
  parseRunInput,
  parseSaveRequest,
  parseStatusInfo,
  parseStoredPack,
  parseWatchToken,
  RUNTIME,
  type StatusInfo,
} from '../shared/ipc';
import { checkTraceFile, TraceError } from '../shared/trace';
import { inOwnMemory } from '../runtime/shared-bytes';
import type { SnapshotStore } from '../runtime/supervisor';
import { openProgramFile, saveProgramFile } from './files';
import { isTrustedSender, MAIN_PAGE, RUNTIME_PAGE } from './hardening';
import type { PackKeeper } from './packs';
import type { RuntimeWindowHost } from './runtime-window';

type AnyEvent = IpcMainEvent | IpcMainInvokeEvent;

export function registerIpc(
  host: RuntimeWindowHost,
  packs: PackKeeper,
  mainWindow: () => BrowserWindow | null,
  devServer: string | null,
  snapshots: SnapshotStore,
): void {
  const fromMainWindow = (event: AnyEvent): boolean => {
    const window = mainWindow();
    return (
      window !== null &&
      !window.isDestroyed() &&
      event.sender.id === window.webContents.id &&
      isTrustedSender(event.senderFrame?.url, MAIN_PAGE, devServer)
    );
  };
  const fromRuntimeWindow = (event: AnyEvent): boolean =>
    event.sender.id === host.contentsId && isTrustedSender(event.senderFrame?.url, RUNTIME_PAGE, devServer);

  const refuse = (channel: string): never => {
    throw new Error(`${channel}: request refused (unknown sender or malformed payload)`);
  };

  ipcMain.handle(INVOKE.run, (event, raw: unknown) => {
    const input = parseRunInput(raw);
    if (!fromMainWindow(event) || input === null) return refuse(INVOKE.run);
    return host.run(input);
  });
  ipcMain.handle(INVOKE.stop, (event) => {
    if (!fromMainWindow(event)) return refuse(INVOKE.stop);
    host.stop();
  });
  ipcMain.handle(INVOKE.status, (event) => {
    if (!fromMainWindow(event)) return refuse(INVOKE.status);
    return host.status;
  });
  ipcMain.handle(INVOKE.openFile, (event) => {
    const window = mainWindow();
    if (!fromMainWindow(event) || !window) return refuse(INVOKE.openFile);
    return openProgramFile(window);
  });
  ipcMain.handle(INVOKE.saveFile, (event, raw: unknown) => {
    const window = mainWindow();
    const request = parseSaveRequest(raw);
    if (!fromMainWindow(event) || !window || request === null) return refuse(INVOKE.saveFile);
    return saveProgramFile(window, request);
  });

  ipcMain.handle(INVOKE.openPack, (event, raw: unknown) => {
    const window = mainWindow();
    const kind = parsePackKind(raw);
    if (!fromMainWindow(event) || !window || kind === null) return refuse(INVOKE.openPack);
    return packs.open(window, kind);
  });
  ipcMain.handle(INVOKE.listPacks, (event) => {
    if (!fromMainWindow(event)) return refuse(INVOKE.listPacks);
    return packs.list();
  });
  ipcMain.handle(INVOKE.savePack, (event, rawPack: unknown, rawWatch: unknown) => {
    const pack = parseStoredPack(rawPack);
    const watch = parseWatchToken(rawWatch);
    if (!fromMainWindow(event) || pack === null || watch === undefined) return refuse(INVOKE.savePack);
    return packs.save(pack, watch);
  });
  ipcMain.handle(INVOKE.removePack, (event, raw: unknown) => {
    const id = parsePackId(raw);
    if (!fromMainWindow(event) || id === null) return refuse(INVOKE.removePack);
    return packs.remove(id);
  });
  ipcMain.handle(INVOKE.saveLesson, (event, raw: unknown) => {
    const window = mainWindow();
    const request = parseLessonSave(raw);
    if (!fromMainWindow(event) || !window || request === null) return refuse(INVOKE.saveLesson);
    return packs.saveLesson(window, request);
  });

  // The runtime window runs strangers' programs: its trace is checked in full (shape and every
  // reference, src/shared/trace.ts) before it reaches the learner's window. A damaged one ends
  // the run as damaged, and the runtime window is made afresh.
  // The checked file is passed on as it came (checkTraceFile), not unpacked and packed again; the
  // learner's window unpacks it (preload). In one task of main's: for a run of 1,000,000 steps and
  // 199,000 other events, 650-920 ms before (tsx, this 2-core machine: the schema 360-600, of
  // which the packed line numbers ~200, now one plain loop; unpacking 110-140; references 20-40;
  // packing again 155-200, now gone). Not yet taken: checking the events in slices (inSlices) so
  // that main's event loop runs between them.
  ipcMain.on(RUNTIME.result, (event, raw: unknown) => {
    if (!fromRuntimeWindow(event) || typeof raw !== 'object' || raw === null) return;
    const { requestId, trace } = raw as { requestId?: unknown; trace?: unknown };
    if (typeof requestId !== 'number' || !Number.isSafeInteger(requestId)) return;
    try {
      host.deliver(requestId, checkTraceFile(trace));
    } catch (error) {
      host.damaged(requestId, error instanceof TraceError ? error.message : 'not a trace');
    }
  });
  ipcMain.handle(RUNTIME.snapshotLoad, (event) => {
    if (!fromRuntimeWindow(event)) return refuse(RUNTIME.snapshotLoad);
    return snapshots.load().then((kept) => (kept instanceof Uint8Array ? inOwnMemory(kept) : kept));
  });
  ipcMain.handle(RUNTIME.snapshotSave, (event, raw: unknown) => {
    if (!fromRuntimeWindow(event) || !(raw instanceof Uint8Array) || raw.length > MAX_SNAPSHOT_BYTES) {
      return refuse(RUNTIME.snapshotSave);
    }
    return snapshots.save(raw);
  });
  ipcMain.handle(RUNTIME.snapshotDrop, (event) => {
    if (!fromRuntimeWindow(event)) return refuse(RUNTIME.snapshotDrop);
    return snapshots.drop();
  });
  ipcMain.on(RUNTIME.status, (event, raw: unknown) => {
    if (!fromRuntimeWindow(event)) return;
    // A new object of the contract's fields only, each checked: not the sender's own object.
    const info = parseStatusInfo(raw);
    if (info) host.setStatus(info);
  });
}

export function notifyStatus(window: BrowserWindow | null, info: StatusInfo): void {
  if (window && !window.isDestroyed()) window.webContents.send(NOTIFY.status, info);
}

/** A kept pack's folder was edited: its files go to the main window, which loads them again. */
export function notifyPackChanged(window: BrowserWindow | null, change: PackChange): void {
  if (window && !window.isDestroyed()) window.webContents.send(NOTIFY.packChanged, change);
}
