/**
 * The Content-Security-Policy in the pages themselves (build/csp-meta.ts), for hosts that send
 * no headers: the same policy as the headers' (src/shared/csp.ts), less what a <meta> cannot
 * say, placed before every script of both pages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { policyForMeta, withPolicyMeta } from '../build/csp-meta';
import { CONTENT_SECURITY_POLICY } from '../src/shared/csp';

const RENDERER = join(import.meta.dirname, '../src/renderer');

/** A policy as directive name → values. */
function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('the policy a <meta> states', () => {
  it('is the headers’ policy, directive for directive, without frame-ancestors (which a <meta> cannot carry)', () => {
    const header = directives(CONTENT_SECURITY_POLICY);
    const meta = directives(policyForMeta(CONTENT_SECURITY_POLICY));
    expect(header.has('frame-ancestors')).toBe(true);
    expect(meta.has('frame-ancestors')).toBe(false);
    header.delete('frame-ancestors');
    expect(meta).toEqual(header);
    expect([...meta.keys()]).toEqual([...header.keys()]);
  });

  it('lets the page start its service worker and blob: workers, and nothing from elsewhere', () => {
    const meta = directives(policyForMeta(CONTENT_SECURITY_POLICY));
    expect(meta.get('worker-src')).toEqual(["'self'", 'blob:']);
    expect(meta.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(meta.get('connect-src')).toEqual(["'self'"]);
    expect(policyForMeta(CONTENT_SECURITY_POLICY)).not.toMatch(/https?:|\*|'unsafe-eval'/);
  });

  it('drops every header-only directive wherever it stands', () => {
    expect(policyForMeta("sandbox allow-scripts; default-src 'self'; report-uri /csp; frame-ancestors 'none'")).toBe("default-src 'self'");
  });
});

describe('the <meta> in the pages', () => {
  for (const page of ['index.html', 'runtime.html']) {
    it(`${page}: right after <meta charset>, before every script and stylesheet`, () => {
      const html = withPolicyMeta(readFileSync(join(RENDERER, page), 'utf8'), CONTENT_SECURITY_POLICY);
      const tag = `<meta http-equiv="Content-Security-Policy" content="${policyForMeta(CONTENT_SECURITY_POLICY)}" />`;
      expect(html.split(tag)).toHaveLength(2);
      const at = html.indexOf(tag);
      expect(at).toBeGreaterThan(html.indexOf('<meta charset'));
      for (const later of ['<script', '<link rel="stylesheet"', '<style']) {
        const found = html.indexOf(later);
        if (found >= 0) expect(found, later).toBeGreaterThan(at);
      }
      expect(html).toContain('<script');
    });
  }

  it('a page without <meta charset> gets it first in its head; one without a head is refused', () => {
    expect(withPolicyMeta('<html><head><script src="a.js"></script></head></html>', "default-src 'self'")).toBe(
      '<html><head>\n    <meta http-equiv="Content-Security-Policy" content="default-src \'self\'" /><script src="a.js"></script></head></html>',
    );
    expect(() => withPolicyMeta('<p>no head</p>', "default-src 'self'")).toThrow(/no <head>/);
  });

  it('escapes what would end the attribute', () => {
    expect(withPolicyMeta('<head>', 'default-src "x" &')).toContain('content="default-src &quot;x&quot; &amp;"');
  });
});
