/**
 * The embed page and exported pages, as pure functions: the embed page's addresses, which files
 * may be framed by other sites (only the embed page), the embed snippet, and an exported page's
 * data block (no `</script>` can end it early; a changed one is refused in words).
 */
import { describe, expect, it } from 'vitest';
import { embedSnippet } from '../src/renderer/lib/embed-snippet';
import { parseEmbedRoute } from '../src/renderer/lib/embed-route';
import { isEmbedFragment } from '../src/renderer/lib/route';
import { pageDataJson, readPageData } from '../src/renderer/standalone/page-data';
import { CONTENT_SECURITY_POLICY, EMBED_CONTENT_SECURITY_POLICY } from '../src/shared/csp';
import { sharedFragment } from '../src/shared/share-link';
import { securityHeadersFor } from '../src/shared/static-files';
import { packTrace, type Trace } from '../src/shared/trace';

const TRACE: Trace = {
  version: 1,
  filename: 'main.py',
  source: 'print("</script><script>alert(1)</script>")\n',
  tasks: [],
  callbacks: [],
  events: [
    { kind: 'line', line: 1, task: null, callback: null },
    { kind: 'output', stream: 'stdout', text: '</script><script>alert(1)</script>\n' },
  ],
  end: { status: 'ok', exitCode: 0, clock: 0, wallMs: 0, lineSteps: 1, maxSteps: 1000 },
};

describe('the embed page’s addresses', () => {
  it('reads a lesson, a lesson’s program, and a shared program', () => {
    expect(parseEmbedRoute('#/embed/lesson/two-printers')).toEqual({ kind: 'lesson', slug: 'two-printers', file: null });
    expect(parseEmbedRoute('#/embed/lesson/two-printers/fixed.py')).toEqual({ kind: 'lesson', slug: 'two-printers', file: 'fixed.py' });
    const fragment = sharedFragment({ filename: 'a.py', source: 'print(1)\n', lesson: null, step: 3, speed: 1, trace: null }, true);
    expect(fragment.startsWith('#/embed/shared/1/')).toBe(true);
    const route = parseEmbedRoute(fragment);
    expect(route.kind === 'shared' && route.shared.source).toBe('print(1)\n');
  });

  it('says why when it names nothing, or a damaged link', () => {
    expect(parseEmbedRoute('#/lesson/two-printers').kind).toBe('nothing');
    const nothing = parseEmbedRoute('#/embed/');
    expect(nothing.kind === 'nothing' && nothing.message).toMatch(/#\/embed\/lesson\/<name>/);
    const damaged = parseEmbedRoute('#/embed/shared/1/AAAA$$');
    expect(damaged.kind === 'nothing' && damaged.message).toMatch(/damaged/);
    expect(isEmbedFragment('#/embed/lesson/x')).toBe(true);
    expect(isEmbedFragment('#/embedded')).toBe(false);
  });
});

describe('framing', () => {
  it('only the embed page may be framed, by any site; every other file refuses', () => {
    expect(securityHeadersFor('/embed.html')['Content-Security-Policy']).toBe(EMBED_CONTENT_SECURITY_POLICY);
    expect(securityHeadersFor('/sub/path/embed.html?x=1')['Content-Security-Policy']).toMatch(/frame-ancestors \*/);
    for (const path of ['/', '/index.html', '/assets/embed-abc.js', '/traces/index.json', '/embed.html.map']) {
      expect(securityHeadersFor(path)['Content-Security-Policy']).toBe(CONTENT_SECURITY_POLICY);
    }
    expect(CONTENT_SECURITY_POLICY).toMatch(/frame-ancestors 'none'/);
    // The embed page's policy differs in nothing else.
    expect(EMBED_CONTENT_SECURITY_POLICY.replace('frame-ancestors *', "frame-ancestors 'none'")).toBe(CONTENT_SECURITY_POLICY);
  });

  it('the snippet has a title and the embed size, and escapes what it quotes', () => {
    const snippet = embedSnippet('https://school.example/looplab/embed.html#/embed/lesson/a', 'Tasks & "timers"');
    expect(snippet).toMatch(/^<iframe src="https:\/\/school\.example\/looplab\/embed\.html#\/embed\/lesson\/a" title="Loop Lab: Tasks &amp; &quot;timers&quot;" width="800" height="500"/);
  });
});

describe('an exported page’s data block', () => {
  it('cannot be ended early by a program’s text, and reads back the same run', () => {
    const json = pageDataJson({ format: 1, title: 'A </script> title', step: 1, trace: packTrace(TRACE) });
    expect(json).not.toMatch(/<\/script/i);
    const back = readPageData(json);
    expect(back.title).toBe('A </script> title');
    expect(back.step).toBe(1);
    expect(back.trace.source).toBe(TRACE.source);
    expect(back.trace.events).toEqual(TRACE.events);
  });

  it('a changed block is refused in words', () => {
    expect(() => readPageData(JSON.stringify({ format: 2, title: 'x', step: 0, trace: {} }))).toThrow(/could not be read/);
    expect(() => readPageData(JSON.stringify({ format: 1, title: 'x', step: 0, trace: { nonsense: true } }))).toThrow(/not a Loop Lab trace/);
  });
});
