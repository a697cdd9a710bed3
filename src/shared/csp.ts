/**
 * The Content-Security-Policy every Loop Lab page and worker is served with, by the browser
 * edition's server and by Electron's app:// protocol alike. Scripts only from the app itself
 * (WebAssembly may compile: Python is WebAssembly); no eval; no connections anywhere else.
 * Workers: the app's own scripts (the offline service worker among them) and `blob:` ones (a
 * worker made from a blob: URL inherits this policy, even from a static host that sends none).
 * Pages also carry it as a <meta> (build/csp-meta.ts), for hosts that send no headers.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
].join('; ');
