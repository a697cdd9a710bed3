/**
 * The hidden runtime window's preload: lets its page take runs from the main process and
 * answer them. Nothing else crosses.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { RUNTIME, type RuntimeRunMessage, type RuntimeWindowBridge } from '../shared/ipc';

const bridge: RuntimeWindowBridge = {
  onRun: (handler) => {
    ipcRenderer.on(RUNTIME.run, (_event: IpcRendererEvent, message: RuntimeRunMessage) => handler(message));
  },
  onStop: (handler) => {
    ipcRenderer.on(RUNTIME.stop, () => handler());
  },
  sendResult: (message) => ipcRenderer.send(RUNTIME.result, message),
  sendStatus: (info) => ipcRenderer.send(RUNTIME.status, info),
  loadSnapshot: () => ipcRenderer.invoke(RUNTIME.snapshotLoad),
  saveSnapshot: (bytes) => ipcRenderer.invoke(RUNTIME.snapshotSave, bytes),
  dropSnapshot: () => ipcRenderer.invoke(RUNTIME.snapshotDrop),
};

contextBridge.exposeInMainWorld('looplabRuntime', bridge);
