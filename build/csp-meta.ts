/**
 * Writes the app's Content-Security-Policy (src/shared/csp.ts, the one source of it) into every
 * page as `<meta http-equiv="Content-Security-Policy">`: a static host that sends no headers
 * still enforces it, and so does `npm run dev`. Where headers are sent as well (scripts/
 * web-server.ts, Electron's app:// protocol) both apply, and they say the same.
 */
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY, DEV_CONTENT_SECURITY_POLICY } from '../src/shared/csp.ts';

/**
 * Directives a `<meta>` policy cannot carry: browsers ignore them there and warn in the console.
 * `frame-ancestors` (no page may frame the app) therefore holds only where headers are sent.
 */
const HEADER_ONLY_DIRECTIVES = ['frame-ancestors', 'report-uri', 'sandbox'];

/** The policy as a `<meta>` may state it: every directive except the header-only ones, in order. */
export function policyForMeta(policy: string): string {
  return policy
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive.length > 0 && !HEADER_ONLY_DIRECTIVES.includes(directive.split(/\s+/)[0]!))
    .join('; ');
}

/**
 * The page with the policy's `<meta>` placed right after its `<meta charset>` (or first in its
 * head): before every script and style, which a `<meta>` policy does not cover if they come first.
 */
export function withPolicyMeta(html: string, policy: string): string {
  const escaped = policyForMeta(policy).replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  const tag = `<meta http-equiv="Content-Security-Policy" content="${escaped}" />`;
  const charset = /<meta\s+charset=[^>]*>/i.exec(html);
  if (charset) return html.replace(charset[0], `${charset[0]}\n    ${tag}`);
  if (/<head[^>]*>/i.test(html)) return html.replace(/<head[^>]*>/i, (head) => `${head}\n    ${tag}`);
  throw new Error('csp-meta: the page has no <head> to put its Content-Security-Policy in');
}

/**
 * The Vite plugin: every HTML page of the build gets the `<meta>`, and so does every page of the
 * dev server, with the dev policy there (Vite's dev client injects `<style>` elements).
 */
export function cspMeta(policy: string = CONTENT_SECURITY_POLICY, devPolicy: string = DEV_CONTENT_SECURITY_POLICY): Plugin {
  return {
    name: 'looplab:csp-meta',
    transformIndexHtml: { order: 'pre', handler: (html, context) => withPolicyMeta(html, context.server ? devPolicy : policy) },
  };
}
