/**
 * Loop Lab's Electron security settings as plain data and pure checks, so that each one can
 * be tested without starting Electron (tests/electron-hardening.test.ts), and the main process
 * applies exactly these.
 */

/** Pages are served from this origin by the app:// protocol handler, never from file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'looplab';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export const MAIN_PAGE = `${APP_ORIGIN}/index.html`;
export const RUNTIME_PAGE = `${APP_ORIGIN}/runtime.html`;

/**
 * The runtime window's session: no `persist:` prefix, so it lives in memory only and keeps
 * nothing (no cache, no storage) on disk. The learner's window keeps the default session.
 */
export const RUNTIME_PARTITION = 'looplab-runtime';

/** webPreferences shared by every window: sandboxed, isolated, no Node, no remote content. */
export const BASE_WEB_PREFERENCES = {
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  navigateOnDragDrop: false,
  spellcheck: false,
  safeDialogs: true,
} as const;

/** The privileges of the app:// scheme: a standard, secure origin for our own files only. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: false,
  stream: true,
  bypassCSP: false,
  allowServiceWorkers: false,
  // Chromium keeps compiled WebAssembly (Python's 9.6 MB interpreter) for a custom scheme
  // only when asked: later starts then skip compiling it.
  codeCache: true,
} as const;

/** Permissions (camera, notifications, clipboard …): Loop Lab needs none, so all are denied. */
export function allowPermission(_permission: string): boolean {
  return false;
}

/** True for URLs of the app itself. */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Requests the app's session lets through: its own files, and devtools in development. */
export function isAllowedRequest(url: string, devServer: string | null): boolean {
  if (isAppUrl(url)) return true;
  if (url.startsWith('devtools://') || url.startsWith('chrome-extension://')) return true;
  if (devServer !== null && url.startsWith(devServer)) return true;
  if (url.startsWith('data:') || url.startsWith('blob:')) return true;
  return false;
}

/** A link that may be opened in the learner's own browser (after they confirm): http(s) only. */
export function isExternalLink(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/** A page may never navigate away, nor open a window: the app is one page. */
export function allowNavigation(_from: string, _to: string): boolean {
  return false;
}

/** Whether an IPC message comes from the page we expect (main window or runtime window). */
export function isTrustedSender(frameUrl: string | undefined, expectedPage: string, devServer: string | null): boolean {
  if (!frameUrl) return false;
  const page = frameUrl.split(/[?#]/)[0];
  if (page === expectedPage) return true;
  if (devServer === null) return false;
  const expectedPath = new URL(expectedPage).pathname;
  try {
    const parsed = new URL(frameUrl);
    return frameUrl.startsWith(devServer) && parsed.pathname === expectedPath;
  } catch {
    return false;
  }
}

/** Resolves a path under the app's root, or null when it would step outside it. */
export function resolveAppPath(root: string, pathname: string, join: (...parts: string[]) => string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const parts = decoded.split('/').filter((p) => p.length > 0);
  if (parts.some((p) => p === '..' || p === '.' || p.includes('\\'))) return null;
  return join(root, ...(parts.length ? parts : ['index.html']));
}

/**
 * Electron fuses for a packaged Loop Lab (flipped by scripts/flip-fuses.ts on the binary):
 * the binary cannot be used as plain Node, ignores NODE_OPTIONS, and loads only its own app.
 */
export const PACKAGED_FUSES = {
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  grantFileProtocolExtraPrivileges: false,
} as const;
