/**
 * The page's first script fetches the trace of the program its address shows, while the app's
 * own scripts load (src/renderer/early.ts, lib/shipped-fetch.ts): the right program for each
 * address, one fetch handed over once, and a failure that costs the app nothing.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchShippedTrace, prefetchRouteTrace, routeTraceKey } from '../src/renderer/lib/shipped-fetch';
import { parseRoute } from '../src/renderer/lib/route';
import type { ShippedIndex } from '../src/shared/shipped-traces';

const key = (c: string): string => c.repeat(64);
const RUNTIME = { pyodide: '314.0.7', tracer: 'a'.repeat(64) };
const INDEX: ShippedIndex = {
  runtime: RUNTIME,
  traces: Object.fromEntries(['1', '2', '3', '4', '5'].map((c) => [key(c), { steps: 2, bytes: 10 }])),
  programs: {
    'lessons/meet-asyncio/main.py': key('1'),
    'lessons/two-files/first.py': key('2'),
    'lessons/two-files/second.py': key('3'),
    'lessons/two-files-more/main.py': key('4'),
    'lessons/same-as-meet-asyncio/main.py': key('1'), // a program word for word another lesson's: one trace
    scratchpad: key('5'),
  },
};
const BASE = 'http://app.test/sub/';

afterEach(() => vi.unstubAllGlobals());

describe('the trace an address shows first', () => {
  it.each([
    ['#/lesson/meet-asyncio', key('1')],
    ['#/lesson/two-files', key('2')], // a lesson's first program
    ['#/lesson/two-files/second.py', key('3')],
    ['#/lesson/two-files-more', key('4')], // not two-files' programs: the folder is matched whole
    ['#/lesson/same-as-meet-asyncio', key('1')],
    ['#/scratchpad', key('5')],
    ['#/lesson/two-files/missing.py', null],
    ['#/lesson/no-such-lesson', null],
    ['#/', null],
    ['', null],
    ['#/shared/1/abc', null],
  ])('%s → %s', (hash, expected) => {
    expect(routeTraceKey(parseRoute(hash), INDEX)).toBe(expected);
  });
});

describe('fetching ahead', () => {
  it('fetches once, under the base URL, and hands the file over once', async () => {
    const fetches: string[] = [];
    vi.stubGlobal('fetch', (url: string) => {
      fetches.push(url);
      return Promise.resolve(new Response(JSON.stringify({ url }), { status: 200 }));
    });
    prefetchRouteTrace('#/lesson/two-files/second.py', BASE, INDEX, RUNTIME);
    prefetchRouteTrace('#/lesson/two-files/second.py', BASE, INDEX, RUNTIME); // a second start fetches nothing more
    expect(fetches).toEqual([`${BASE}traces/${key('3')}.json`]);
    await expect(fetchShippedTrace(key('3'), BASE)).resolves.toEqual({ url: fetches[0] });
    // Handed over: asked again, it is fetched again.
    await expect(fetchShippedTrace(key('3'), BASE)).resolves.toEqual({ url: fetches[0] });
    expect(fetches).toHaveLength(2);
  });

  it('fetches nothing for an address with no shipped trace', () => {
    const fetcher = vi.fn();
    vi.stubGlobal('fetch', fetcher);
    prefetchRouteTrace('#/', BASE, INDEX, RUNTIME);
    prefetchRouteTrace('#/lesson/nowhere', BASE, INDEX, RUNTIME);
    prefetchRouteTrace('#/scratchpad', BASE, INDEX, { ...RUNTIME, tracer: 'b'.repeat(64) }); // traces of another runtime are never used
    expect(fetcher).not.toHaveBeenCalled();
  });

  it('a fetch ahead that failed is made again when the app asks (a missing file is null)', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    prefetchRouteTrace('#/scratchpad', BASE, INDEX, RUNTIME);
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('{"again":true}', { status: 200 })));
    await expect(fetchShippedTrace(key('5'), BASE)).resolves.toEqual({ again: true });
    vi.stubGlobal('fetch', () => Promise.resolve(new Response('', { status: 404 })));
    await expect(fetchShippedTrace(key('5'), BASE)).resolves.toBeNull();
  });
});
