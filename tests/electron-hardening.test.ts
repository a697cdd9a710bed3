/**
 * The Electron security checklist, setting by setting, at unit level. Electron itself cannot
 * start on these machines, so its modules are replaced by recorders: each test checks what the
 * main process and the preloads actually hand to Electron.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../src/shared/csp';
import { SECURITY_HEADERS } from '../src/shared/static-files';
import { INVOKE, NOTIFY, parseRunInput, parseSaveRequest, parseStatusInfo, RUNTIME } from '../src/shared/ipc';
import { packTrace } from '../src/shared/trace';
import { failedTrace } from '../src/runtime/failed-trace';
import { PACK_LIMITS } from '../src/shared/lesson';
import {
  allowNavigation,
  allowPermission,
  APP_SCHEME_PRIVILEGES,
  BASE_WEB_PREFERENCES,
  isAllowedRequest,
  isTrustedSender,
  MAIN_PAGE,
  PACKAGED_FUSES,
  resolveAppPath,
  RUNTIME_PAGE,
} from '../src/main/hardening';

type Handler = (...args: unknown[]) => unknown;

/** What the code under test gave to Electron. */
const recorded = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  handles: new Map<string, (...args: unknown[]) => unknown>(),
  listeners: new Map<string, (...args: unknown[]) => unknown>(),
  appEvents: new Map<string, (...args: unknown[]) => unknown>(),
  permissionRequest: null as null | ((...args: unknown[]) => unknown),
  permissionCheck: null as null | ((...args: unknown[]) => unknown),
  beforeRequest: null as null | ((...args: unknown[]) => unknown),
  invoked: [] as unknown[][],
  sent: [] as unknown[][],
  opened: [] as string[],
  confirmAnswer: 1,
  invokeAnswer: undefined as unknown,
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => recorded.exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: (...args: unknown[]) => {
      recorded.invoked.push(args);
      return Promise.resolve(recorded.invokeAnswer);
    },
    send: (...args: unknown[]) => recorded.sent.push(args),
    on: () => undefined,
    removeListener: () => undefined,
  },
  ipcMain: {
    handle: (channel: string, handler: Handler) => recorded.handles.set(channel, handler),
    on: (channel: string, handler: Handler) => recorded.listeners.set(channel, handler),
  },
  app: { on: (event: string, handler: Handler) => recorded.appEvents.set(event, handler) },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (h: Handler) => {
        recorded.permissionRequest = h;
      },
      setPermissionCheckHandler: (h: Handler) => {
        recorded.permissionCheck = h;
      },
      setDevicePermissionHandler: () => undefined,
      webRequest: {
        onBeforeRequest: (h: Handler) => {
          recorded.beforeRequest = h;
        },
      },
    },
  },
  shell: {
    openExternal: (url: string) => {
      recorded.opened.push(url);
      return Promise.resolve();
    },
  },
  dialog: { showMessageBox: () => Promise.resolve({ response: recorded.confirmAnswer }) },
  BrowserWindow: class {},
  protocol: {},
}));

beforeEach(() => {
  recorded.invoked.length = 0;
  recorded.sent.length = 0;
});

describe('windows', () => {
  it('every window is sandboxed, context-isolated and without Node', () => {
    expect(BASE_WEB_PREFERENCES).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('every BrowserWindow the main process makes uses those preferences', () => {
    const dir = join(import.meta.dirname, '../src/main');
    const sources = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    const windows = sources.flatMap((s) => s.split('new BrowserWindow(').slice(1));
    expect(windows.length).toBeGreaterThanOrEqual(2); // the learner's window and the runtime window
    for (const rest of windows) {
      const options = rest.slice(0, rest.indexOf('});'));
      expect(options).toContain('webPreferences: { ...BASE_WEB_PREFERENCES');
      expect(options).not.toMatch(/nodeIntegration|sandbox:|contextIsolation:/);
    }
  });

  it('pages load from app://, never file://', () => {
    expect(MAIN_PAGE).toBe('app://looplab/index.html');
    expect(RUNTIME_PAGE).toBe('app://looplab/runtime.html');
    expect(APP_SCHEME_PRIVILEGES).toMatchObject({ standard: true, secure: true, bypassCSP: false, allowServiceWorkers: false });
    const mainSource = readFileSync(join(import.meta.dirname, '../src/main/index.ts'), 'utf8');
    expect(mainSource).not.toMatch(/loadFile|file:\/\//);
  });
});

describe('the app:// protocol', () => {
  const join2 = (...parts: string[]): string => parts.join('/');
  it('serves files under the renderer folder only', () => {
    expect(resolveAppPath('/app', '/index.html', join2)).toBe('/app/index.html');
    expect(resolveAppPath('/app', '/', join2)).toBe('/app/index.html');
    expect(resolveAppPath('/app', '/assets/x.js', join2)).toBe('/app/assets/x.js');
    expect(resolveAppPath('/app', '/../secret', join2)).toBeNull();
    expect(resolveAppPath('/app', '/assets/%2e%2e/%2e%2e/etc/passwd', join2)).toBeNull();
    expect(resolveAppPath('/app', '/a%5c..%5cb', join2)).toBeNull();
    expect(resolveAppPath('/app', '/x%00.html', join2)).toBeNull();
    expect(resolveAppPath('/app', '/%E0%A4%A', join2)).toBeNull();
  });

  it("sends the Content-Security-Policy: scripts only from 'self', no eval, no outside connections", () => {
    const directives = Object.fromEntries(
      CONTENT_SECURITY_POLICY.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    expect(directives['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives['connect-src']).toEqual(["'self'"]);
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/'unsafe-eval'|\*|https?:/);
    // No <style> element a program's output could smuggle in; only the app's own style sheets.
    expect(directives['style-src-elem']).toEqual(["'self'"]);
    expect(directives['worker-src']).toEqual(["'self'", 'blob:']);
    expect(SECURITY_HEADERS['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    const protocolSource = readFileSync(join(import.meta.dirname, '../src/main/protocol.ts'), 'utf8');
    expect(protocolSource).toMatch(/headers = \{ \.\.\.SECURITY_HEADERS \}/);
  });
});

describe('session and web contents', () => {
  it('denies every permission', async () => {
    const { hardenSession } = await import('../src/main/security');
    hardenSession(null);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      expect(allowPermission(permission)).toBe(false);
      const answer = vi.fn();
      recorded.permissionRequest?.({}, permission, answer);
      expect(answer).toHaveBeenCalledWith(false);
      expect(recorded.permissionCheck?.({}, permission)).toBe(false);
    }
  });

  it('cancels every request that leaves the app', async () => {
    const { hardenSession } = await import('../src/main/security');
    hardenSession(null);
    const decide = (url: string): unknown => {
      let decision: unknown;
      recorded.beforeRequest?.({ url }, (d: unknown) => {
        decision = d;
      });
      return decision;
    };
    expect(decide('app://looplab/index.html')).toEqual({ cancel: false });
    expect(decide('https://example.com/')).toEqual({ cancel: true });
    expect(decide('http://127.0.0.1:8080/')).toEqual({ cancel: true });
    expect(decide('ws://example.com/')).toEqual({ cancel: true });
    expect(decide('file:///etc/passwd')).toEqual({ cancel: true });
    expect(decide('app://elsewhere/index.html')).toEqual({ cancel: true });
    expect(isAllowedRequest('http://localhost:5173/src/main.ts', 'http://localhost:5173/')).toBe(true);
    expect(isAllowedRequest('http://localhost:5174/', 'http://localhost:5173/')).toBe(false);
  });

  it('no page opens windows, navigates, redirects or attaches webviews; a lesson link opens outside only when the learner says yes', async () => {
    const { hardenWebContents } = await import('../src/main/security');
    const learnerWindow = { isDestroyed: () => false, webContents: { id: 7 } };
    hardenWebContents(() => learnerWindow as never);
    const created = recorded.appEvents.get('web-contents-created');
    expect(created).toBeDefined();
    const handlers = new Map<string, Handler>();
    let windowOpen: Handler | null = null;
    const contents = {
      id: 7,
      setWindowOpenHandler: (h: Handler) => {
        windowOpen = h;
      },
      on: (event: string, h: Handler) => handlers.set(event, h),
      getURL: () => MAIN_PAGE,
    };
    created?.({}, contents);
    const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
    recorded.confirmAnswer = 1; // Cancel
    expect((windowOpen as Handler | null)?.({ url: 'https://example.com/a' })).toEqual({ action: 'deny' });
    await settle();
    expect(recorded.opened).toEqual([]);
    recorded.confirmAnswer = 0; // Open in browser
    expect((windowOpen as Handler | null)?.({ url: 'https://example.com/b' })).toEqual({ action: 'deny' });
    for (const url of ['app://looplab/index.html', 'file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share']) {
      expect((windowOpen as Handler | null)?.({ url })).toEqual({ action: 'deny' });
    }
    await settle();
    expect(recorded.opened).toEqual(['https://example.com/b']);
    // The runtime window (another web contents) opens nothing, whatever it asks.
    let runtimeOpen: Handler | null = null;
    created?.({}, { id: 9, setWindowOpenHandler: (h: Handler) => (runtimeOpen = h), on: () => undefined, getURL: () => RUNTIME_PAGE });
    expect((runtimeOpen as Handler | null)?.({ url: 'https://example.com/c' })).toEqual({ action: 'deny' });
    await settle();
    expect(recorded.opened).toEqual(['https://example.com/b']);
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const preventDefault = vi.fn();
      handlers.get(event)?.({ preventDefault }, 'https://example.com');
      expect(preventDefault, event).toHaveBeenCalled();
    }
    expect(allowNavigation(MAIN_PAGE, 'app://looplab/other.html')).toBe(false);
  });
});

describe('IPC', () => {
  it('the main preload exposes one function per operation, and no raw ipcRenderer', async () => {
    await import('../src/preload/index');
    const api = recorded.exposed.get('loopLab') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([
      'listPacks',
      'onPackChanged',
      'onStatus',
      'openFile',
      'openPack',
      'removePack',
      'run',
      'saveFile',
      'saveLesson',
      'savePack',
      'shell',
      'status',
      'stop',
    ]);
    expect(api.shell).toBe('electron');
    for (const [key, value] of Object.entries(api)) {
      if (key !== 'shell') expect(typeof value, key).toBe('function');
    }
    expect(JSON.stringify([...recorded.exposed.keys()])).not.toMatch(/ipcRenderer/);
    const run = api.run as (input: unknown) => Promise<unknown>;
    recorded.invokeAnswer = packTrace(failedTrace({ source: 'print(1)', filename: 'main.py' }, 'stopped', 'x'));
    await expect(run({ source: 'print(1)', filename: 'main.py' })).resolves.toMatchObject({ source: 'print(1)', events: [{ kind: 'limit' }] });
    recorded.invokeAnswer = undefined;
    expect(recorded.invoked).toContainEqual([INVOKE.run, { source: 'print(1)', filename: 'main.py' }]);
  });

  it('the runtime preload exposes only the runtime conversation', async () => {
    await import('../src/preload/runtime');
    const api = recorded.exposed.get('looplabRuntime') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['dropSnapshot', 'loadSnapshot', 'onRun', 'onStop', 'saveSnapshot', 'sendResult', 'sendStatus']);
    (api.sendStatus as (info: unknown) => void)({ status: 'ready', message: 'Ready' });
    expect(recorded.sent).toContainEqual([RUNTIME.status, { status: 'ready', message: 'Ready' }]);
  });

  it('main handles exactly the channels of the map, and refuses unknown senders and bad payloads', async () => {
    const { registerIpc } = await import('../src/main/ipc');
    const run = vi.fn(async () => ({ ok: true }));
    const host = { run, stop: vi.fn(), status: { status: 'ready', message: 'Ready' }, contentsId: 99, deliver: vi.fn(), damaged: vi.fn(), setStatus: vi.fn() };
    const mainWindow = { isDestroyed: () => false, webContents: { id: 7 } };
    const snapshots = { load: vi.fn(async () => null), save: vi.fn(async () => undefined), drop: vi.fn(async () => undefined) };
    const packs = { open: vi.fn(async () => null), list: vi.fn(async () => []), save: vi.fn(async () => undefined), remove: vi.fn(async () => undefined), saveLesson: vi.fn(async () => null) };
    registerIpc(host as never, packs as never, () => mainWindow as never, null, snapshots);
    expect([...recorded.handles.keys()].sort()).toEqual(
      [...Object.values(INVOKE), RUNTIME.snapshotLoad, RUNTIME.snapshotSave, RUNTIME.snapshotDrop].sort(),
    );
    expect([...recorded.listeners.keys()].sort()).toEqual([RUNTIME.result, RUNTIME.status].sort());
    expect(NOTIFY.status).toBe('looplab:status-changed');

    const handle = recorded.handles.get(INVOKE.run)!;
    const good = { source: 'print(1)', filename: 'main.py' };
    const fromMain = { sender: { id: 7 }, senderFrame: { url: MAIN_PAGE } };
    await expect(handle(fromMain, good)).resolves.toEqual({ ok: true });
    expect(run).toHaveBeenCalledTimes(1);

    const strangers = [
      { sender: { id: 8 }, senderFrame: { url: MAIN_PAGE } }, // another window
      { sender: { id: 7 }, senderFrame: { url: 'https://example.com/' } }, // navigated elsewhere
      { sender: { id: 7 }, senderFrame: { url: RUNTIME_PAGE } }, // the runtime window's page
      { sender: { id: 7 }, senderFrame: null },
    ];
    for (const event of strangers) expect(() => handle(event, good)).toThrow(/refused/);
    for (const bad of [null, 'print(1)', { source: 1, filename: 'a.py' }, { ...good, extra: 1 }, { ...good, filename: '../x.py' }, { ...good, options: { maxSteps: -1 } }]) {
      expect(() => handle(fromMain, bad)).toThrow(/refused/);
    }
    expect(run).toHaveBeenCalledTimes(1);

    // Lesson packs: the same sender check, and every payload checked before main acts on it.
    const pack = { id: 'asyncio-extras', name: 'lesson-pack', kind: 'folder', zip: new Uint8Array([1, 2]), savedAt: 1 };
    await recorded.handles.get(INVOKE.savePack)!(fromMain, pack, null);
    expect(packs.save).toHaveBeenCalledWith(pack, null);
    for (const event of strangers) expect(() => recorded.handles.get(INVOKE.savePack)!(event, pack, null)).toThrow(/refused/);
    for (const [bad, watch] of [
      [{ ...pack, id: '../x' }, null],
      [{ ...pack, name: 'a/b' }, null],
      [{ ...pack, zip: 'not bytes' }, null],
      [{ ...pack, zip: new Uint8Array(PACK_LIMITS.maxZipBytes + 1) }, null],
      [{ ...pack, extra: 1 }, null],
      [pack, '/home/teacher/lessons'], // a path, never a token main gave out
    ] as const) {
      expect(() => recorded.handles.get(INVOKE.savePack)!(fromMain, bad, watch)).toThrow(/refused/);
    }
    expect(packs.save).toHaveBeenCalledTimes(1);
    for (const bad of ['../x', '', 'A', 42]) expect(() => recorded.handles.get(INVOKE.removePack)!(fromMain, bad)).toThrow(/refused/);
    for (const bad of ['both', null]) expect(() => recorded.handles.get(INVOKE.openPack)!(fromMain, bad)).toThrow(/refused/);
    const lesson = { folder: '01-scratchpad', files: [{ name: 'main.py', text: 'print(1)\n' }] };
    await recorded.handles.get(INVOKE.saveLesson)!(fromMain, lesson);
    expect(packs.saveLesson).toHaveBeenCalledWith(mainWindow, lesson);
    for (const bad of [
      { ...lesson, folder: '../01-x' },
      { ...lesson, files: [{ name: '../main.py', text: '' }] },
      { ...lesson, files: [{ name: 'a/main.py', text: '' }] },
      { ...lesson, files: [{ name: '..', text: '' }] },
    ]) {
      expect(() => recorded.handles.get(INVOKE.saveLesson)!(fromMain, bad)).toThrow(/refused/);
    }
    expect(packs.saveLesson).toHaveBeenCalledTimes(1);
    expect(NOTIFY.packChanged).toBe('looplab:pack-changed');

    // Traces are taken only from the runtime window, and only well-formed ones: checked in full.
    const result = recorded.listeners.get(RUNTIME.result)!;
    const fromRuntime = { sender: { id: 99 }, senderFrame: { url: RUNTIME_PAGE } };
    const trace = packTrace(failedTrace({ source: 'x', filename: 'main.py' }, 'steps', 'ok'));
    result({ sender: { id: 7 }, senderFrame: { url: MAIN_PAGE } }, { requestId: 1, trace });
    expect(host.deliver).not.toHaveBeenCalled();
    expect(host.damaged).not.toHaveBeenCalled();
    const forged = [
      { version: 2 },
      { ...trace, events: [{ kind: 'output', stream: '<meta http-equiv="refresh">', text: 'x' }] },
      { ...trace, events: [{ kind: 'clock', time: Number.NaN }] },
      { ...trace, events: [{ kind: 'task', task: 5 }] }, // a task the trace does not have
      { ...trace, end: { ...trace.end, wallMs: -1 } },
    ];
    for (const bad of forged) result(fromRuntime, { requestId: 1, trace: bad });
    expect(host.deliver).not.toHaveBeenCalled();
    expect(host.damaged).toHaveBeenCalledTimes(forged.length);
    result(fromRuntime, { requestId: 1, trace });
    expect(host.deliver).toHaveBeenCalledWith(1, trace);

    // The snapshot: only from the runtime window, only bytes, and not too many of them.
    const save = recorded.handles.get(RUNTIME.snapshotSave)!;
    expect(() => save(fromMain, new Uint8Array(4))).toThrow(/refused/);
    expect(() => save(fromRuntime, 'bytes')).toThrow(/refused/);
    expect(() => save(fromRuntime, { length: 1 })).toThrow(/refused/);
    await save(fromRuntime, new Uint8Array(4));
    expect(snapshots.save).toHaveBeenCalledTimes(1);
    expect(() => recorded.handles.get(RUNTIME.snapshotLoad)!(fromMain)).toThrow(/refused/);
    // IPC carries no shared memory: a snapshot loaded into some reaches the runtime window as a copy of its own.
    const shared = new Uint8Array(new SharedArrayBuffer(3));
    shared.set([1, 2, 3]);
    snapshots.load.mockImplementationOnce(async () => shared as never);
    const loaded = (await recorded.handles.get(RUNTIME.snapshotLoad)!(fromRuntime)) as Uint8Array;
    expect(loaded.buffer).toBeInstanceOf(ArrayBuffer);
    expect([...loaded]).toEqual([1, 2, 3]);
    const own = new Uint8Array([4, 5]);
    snapshots.load.mockImplementationOnce(async () => own as never);
    expect(await recorded.handles.get(RUNTIME.snapshotLoad)!(fromRuntime)).toBe(own);
    expect(await recorded.handles.get(RUNTIME.snapshotLoad)!(fromRuntime)).toBeNull();
  });

  it('payload checks', () => {
    expect(parseRunInput({ source: 'x', filename: 'main.py', options: { maxSteps: 500, verify: true } })).toEqual({
      source: 'x',
      filename: 'main.py',
      options: { maxSteps: 500, verify: true },
    });
    expect(parseRunInput({ source: 'x'.repeat(2_000_001), filename: 'main.py' })).toBeNull();
    expect(parseRunInput({ source: 'x', filename: 'a\0b.py' })).toBeNull();
    expect(parseRunInput({ source: 'x', filename: 'main.py', options: { wallSeconds: 1e9 } })).toBeNull();
    expect(parseRunInput({ source: 'x', filename: 'main.py', options: { unknown: 1 } })).toBeNull();
    // The runtime window's status reaches the main window as a new object of the contract's fields only.
    const ready = { status: 'ready', message: 'Ready', startupMs: 412, pythonVersion: '3.14.2', restored: true };
    expect(parseStatusInfo({ ...ready, html: '<img src=x onerror=alert(1)>', __proto__: { polluted: 1 } })).toEqual(ready);
    expect(parseStatusInfo({ status: 'starting', message: 'Starting Python…' })).toEqual({ status: 'starting', message: 'Starting Python…' });
    expect(parseStatusInfo({ ...ready, restored: 'yes' })).toBeNull();
    expect(parseStatusInfo({ ...ready, startupMs: Number.NaN })).toBeNull();
    expect(parseStatusInfo({ ...ready, pythonVersion: 'x'.repeat(65) })).toBeNull();
    expect(parseStatusInfo({ ...ready, status: 'hacked' })).toBeNull();
    expect(parseStatusInfo({ status: 'failed', message: 'x'.repeat(10_000) })?.message).toBe(`${'x'.repeat(499)}…`);
    expect(parseStatusInfo(null)).toBeNull();
    expect(parseSaveRequest({ suggestedName: 'a.py', text: 'x' })).toEqual({ suggestedName: 'a.py', text: 'x' });
    expect(parseSaveRequest({ suggestedName: '../a.py', text: 'x' })).toBeNull();
    expect(isTrustedSender(undefined, MAIN_PAGE, null)).toBe(false);
    expect(isTrustedSender(`${MAIN_PAGE}#lesson-3`, MAIN_PAGE, null)).toBe(true);
    expect(isTrustedSender('http://localhost:5173/index.html', MAIN_PAGE, 'http://localhost:5173/')).toBe(true);
    expect(isTrustedSender('http://localhost:5173/runtime.html', MAIN_PAGE, 'http://localhost:5173/')).toBe(false);
  });
});

describe('fuses for the packaged app', () => {
  it('turn off running as Node, NODE_OPTIONS and inspector flags, and load only the app', () => {
    expect(PACKAGED_FUSES).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
