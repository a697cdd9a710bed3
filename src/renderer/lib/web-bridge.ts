/**
 * The browser edition's bridge: the same operations the Electron preload exposes, served in
 * the page itself. The runtime runs in a Web Worker the page owns.
 */
import type { LoopLabBridge, OpenedFile, SaveRequest } from '../../shared/ipc';
import { createBrowserRuntime } from '../../runtime/browser-host';
import { decodeSource } from '../../runtime/source';

export function createWebBridge(): LoopLabBridge {
  const runtime = createBrowserRuntime();
  return {
    shell: 'web',
    run: (input) => runtime.run(input),
    stop: async () => runtime.stop(),
    status: async () => runtime.status,
    onStatus: (listener) => runtime.onStatus(listener),
    openFile: () => pickFile(),
    saveFile: async (request) => download(request),
  };
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
  const url = URL.createObjectURL(new Blob([request.text], { type: 'text/x-python' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = request.suggestedName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return request.suggestedName;
}
