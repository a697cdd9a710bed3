/**
 * The Content-Security-Policy every Loop Lab page and worker is served with, by the browser
 * edition's server and by Electron's app:// protocol alike (and, for static hosts that send no
 * headers, as a `<meta>` tag in the built HTML). Scripts only from the app itself
 * (WebAssembly may compile: Python is WebAssembly); no eval; no connections anywhere else.
 *
 * Workers come from the app's files or from a `blob:` URL the app makes (so the Python worker
 * inherits this very policy wherever it is served from). Styles: style sheets only from the
 * app, no `<style>` element a program's output could smuggle in; `style` attributes stay
 * allowed (the board sets each task's colour that way).
 */
const DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "style-src 'self'",
  "style-src-elem 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
  "frame-ancestors 'none'",
];

export const CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');

/**
 * The embed page's policy (src/renderer/embed.html, served by static-files.ts): the same, except
 * that any site may frame it (`frame-ancestors *`: http and https pages; the page's links still
 * open in a new tab, and it frames nothing itself).
 */
export const EMBED_CONTENT_SECURITY_POLICY = DIRECTIVES.map((d) => (d.startsWith('frame-ancestors') ? 'frame-ancestors *' : d)).join('; ');

/**
 * The policy for the development servers (`npm run dev`): the same, except that Vite's dev
 * client injects `<style>` elements for hot reload, which a built app never does.
 */
export const DEV_CONTENT_SECURITY_POLICY = DIRECTIVES.map((d) =>
  d.startsWith('style-src-elem') ? "style-src-elem 'self' 'unsafe-inline'" : d.startsWith('style-src ') ? "style-src 'self' 'unsafe-inline'" : d,
).join('; ');
