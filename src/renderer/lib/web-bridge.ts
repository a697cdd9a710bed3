/**
 * The browser edition's bridge: the same operations the Electron preload exposes, served in
 * the page itself. The runtime runs in a Web Worker the page owns; lesson packs are chosen with
 * the browser's pickers and kept in IndexedDB; a saved lesson is downloaded as a .zip.
 */
import type { LessonSaveRequest, LoopLabBridge, OpenedFile, SaveRequest } from '../../shared/ipc';
import { zipPack } from '../../lessons/pack-zip';
import { takeBrowserRuntime } from '../../runtime/browser-host';
import { decodeSource } from '../../runtime/source';
import { pickPack } from './pack-pick';
import { indexedDbShelf } from './pack-shelf';

export function createWebBridge(): LoopLabBridge {
  const runtime = takeBrowserRuntime();
  const shelf = indexedDbShelf();
  return {
    shell: 'web',
    run: (input) => runtime.run(input),
    stop: async () => runtime.stop(),
    status: async () => runtime.status,
    onStatus: (listener) => runtime.onStatus(listener),
    openFile: () => pickFile(),
    saveFile: async (request) => download(request),
    openPack: async (kind) => {
      const source = await pickPack(kind);
      return source ? { source, watch: null } : null;
    },
    listPacks: () => shelf.list(),
    savePack: (pack) => shelf.put(pack),
    removePack: (id) => shelf.remove(id),
    onPackChanged: () => () => undefined, // the browser cannot watch a folder: the teacher opens it again
    saveLesson: async (request) => downloadLesson(request),
  };
}

/** The new lesson folder as a .zip download (`01-my-lesson.zip`, the folder inside). */
function downloadLesson(request: LessonSaveRequest): string {
  const zip = zipPack(request.files.map((f) => ({ path: `${request.folder}/${f.name}`, bytes: f.text })));
  const name = `${request.folder}.zip`;
  saveBlob(new Blob([new Uint8Array(zip)], { type: 'application/zip' }), name);
  return name;
}

function pickFile(): Promise<OpenedFile | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.py,text/x-python,text/plain';
    input.addEventListener('change', async () => {
      const file = input.files?.[0];
      if (!file) return resolve(null);
      if (file.size > 2_000_000) {
        return resolve({ name: file.name, text: null, error: `${file.name} is larger than 2 MB.` });
      }
      const decoded = decodeSource(new Uint8Array(await file.arrayBuffer()), file.name);
      resolve(decoded.ok ? { name: file.name, text: decoded.text, error: null } : { name: file.name, text: null, error: decoded.message });
    });
    input.addEventListener('cancel', () => resolve(null));
    input.click();
  });
}

function download(request: SaveRequest): string {
  saveBlob(new Blob([request.text], { type: 'text/x-python' }), request.suggestedName);
  return request.suggestedName;
}

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
