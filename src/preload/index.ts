/**
 * The main window's preload: exposes `window.loopLab`, the LoopLabBridge of src/shared/ipc.ts,
 * one function per operation. No raw ipcRenderer reaches the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { INVOKE, type LoopLabBridge, NOTIFY, type PackChange, type StatusInfo } from '../shared/ipc';
import { type TraceFile, unpackTrace } from '../shared/trace';

const bridge: LoopLabBridge = {
  shell: 'electron',
  // Main checked the trace in full before sending it: here it is only unpacked.
  run: async (input) => unpackTrace((await ipcRenderer.invoke(INVOKE.run, input)) as TraceFile),
  stop: () => ipcRenderer.invoke(INVOKE.stop),
  status: () => ipcRenderer.invoke(INVOKE.status),
  onStatus: (listener) => {
    const handler = (_event: IpcRendererEvent, info: StatusInfo): void => listener(info);
    ipcRenderer.on(NOTIFY.status, handler);
    void ipcRenderer.invoke(INVOKE.status).then(listener, () => undefined);
    return () => {
      ipcRenderer.removeListener(NOTIFY.status, handler);
    };
  },
  openFile: () => ipcRenderer.invoke(INVOKE.openFile),
  saveFile: (request) => ipcRenderer.invoke(INVOKE.saveFile, request),
  openPack: (kind) => ipcRenderer.invoke(INVOKE.openPack, kind),
  listPacks: () => ipcRenderer.invoke(INVOKE.listPacks),
  savePack: (pack, watch) => ipcRenderer.invoke(INVOKE.savePack, pack, watch),
  removePack: (id) => ipcRenderer.invoke(INVOKE.removePack, id),
  onPackChanged: (listener) => {
    const handler = (_event: IpcRendererEvent, change: PackChange): void => listener(change);
    ipcRenderer.on(NOTIFY.packChanged, handler);
    return () => {
      ipcRenderer.removeListener(NOTIFY.packChanged, handler);
    };
  },
  saveLesson: (request) => ipcRenderer.invoke(INVOKE.saveLesson, request),
};

contextBridge.exposeInMainWorld('loopLab', bridge);
