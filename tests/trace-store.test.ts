/**
 * The trace file form and the stores built on it (issue 10): a packed trace reads back as the
 * same trace; anything that is not a trace is refused with the reason; the cache keeps traces
 * least-recently-used-first within its cap, survives being opened again (a reload), and drops
 * an entry that no longer reads as a trace without a word. IndexedDB here is fake-indexeddb's.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDB } from 'idb';
import { TraceCache } from '../src/renderer/lib/trace-cache';
import { TraceStore } from '../src/renderer/lib/trace-store';
import { MAX_MESSAGE, packTrace, parseTraceFile, type Trace, TraceError, unpackTrace } from '../src/shared/trace';
import { traceKey } from '../src/shared/trace-key';
import { ROOT } from './corpus/harness';

const fixture = (name: string): Trace => JSON.parse(readFileSync(join(ROOT, 'tests/fixtures/player', name), 'utf8')) as Trace;
const evenodd = fixture('evenodd.trace.json');
const RUNTIME = { pyodide: '314.0.7', tracer: 'a'.repeat(64) };

describe('the trace file', () => {
  it('packs runs of line events and reads back as the same trace', () => {
    const file = packTrace(evenodd, RUNTIME);
    const lines = evenodd.events.filter((e) => e.kind === 'line').length;
    expect(file.events.length).toBeLessThan(evenodd.events.length - lines / 2);
    expect(unpackTrace(file)).toEqual(evenodd);
    expect(parseTraceFile(JSON.parse(JSON.stringify(file)))).toEqual(evenodd);
  });

  const forged: [string, (file: Record<string, unknown>) => unknown][] = [
    ['not an object', () => 'trace'],
    ['another format', (f) => ({ ...f, format: 'other' })],
    ['markup for a stream name', (f) => ({ ...f, events: [{ kind: 'output', stream: '<style>', text: 'x' }] })],
    ['a time that is not a number', (f) => ({ ...f, events: [{ kind: 'clock', time: 'soon' }] })],
    ['a task id from nowhere', (f) => ({ ...f, events: [{ kind: 'done', task: 99, outcome: 'result', text: '1', line: null }] })],
    ['a task table out of order', (f) => ({ ...f, tasks: [...(f.tasks as unknown[])].reverse() })],
    ['an unknown event', (f) => ({ ...f, events: [{ kind: 'eval', code: 'x' }] })],
    ['an extra field', (f) => ({ ...f, events: [{ kind: 'clock', time: 1, html: '<b>' }] })],
    ['a clock that goes back', (f) => ({ ...f, events: [{ kind: 'clock', time: 2 }, { kind: 'clock', time: 1 }] })],
  ];
  it.each(forged)('refuses %s, saying what is wrong', (_name, forge) => {
    const file = JSON.parse(JSON.stringify(packTrace(evenodd, RUNTIME))) as Record<string, unknown>;
    expect(() => parseTraceFile(forge(file))).toThrow(TraceError);
  });

  it('cuts a message longer than the player shows (a file written elsewhere, or forged), saying how much is left out', () => {
    const file = JSON.parse(JSON.stringify(packTrace(evenodd, RUNTIME))) as { events: unknown[] };
    file.events.push({ kind: 'exception', type: 'ValueError', message: 'z'.repeat(MAX_MESSAGE + 10), line: 1 });
    const last = parseTraceFile(file).events.at(-1);
    expect(last?.kind === 'exception' ? last.message : '').toBe(`${'z'.repeat(MAX_MESSAGE)}… (10 more characters)`);
  });

  it('keys differ when anything that changes a run differs', () => {
    const base = { source: 'print(1)\n', filename: 'main.py' };
    const key = traceKey(base, RUNTIME);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(traceKey({ ...base }, RUNTIME)).toBe(key);
    for (const other of [
      traceKey({ ...base, source: 'print(2)\n' }, RUNTIME),
      traceKey({ ...base, filename: 'other.py' }, RUNTIME),
      traceKey({ ...base, options: { maxSteps: 10 } }, RUNTIME),
      traceKey(base, { ...RUNTIME, pyodide: '315.0.0' }),
      traceKey(base, { ...RUNTIME, tracer: 'b'.repeat(64) }),
    ]) {
      expect(other).not.toBe(key);
    }
  });
});

describe("the trace store's keys", () => {
  it('are the trace keys, the last one remembered, and right for each input', () => {
    const store = new TraceStore(null, null, 'http://localhost/', RUNTIME);
    const inputs = [
      { source: 'print(1)\n', filename: 'main.py' },
      { source: 'print(1)\n', filename: 'other.py' },
      { source: 'print(1)\n', filename: 'main.py', options: { maxSteps: 10 } },
      { source: 'print(1)\n', filename: 'main.py', options: { verify: true } },
      { source: 'print(2)\n', filename: 'main.py' },
      ...Array.from({ length: 12 }, (_, i) => ({ source: `print(${i + 10})\n`, filename: 'main.py' })),
    ];
    // Twice over, each asked after others: every answer is the key of its own input.
    for (const input of [...inputs, ...inputs.slice().reverse()]) expect(store.key(input)).toBe(traceKey(input, RUNTIME));
    expect(new Set(inputs.map((input) => store.key(input))).size).toBe(inputs.length);
  });
});

describe('the trace cache', () => {
  let clock = 0;
  const now = () => ++clock;

  it('keeps a trace, and has it again after being opened anew (a reload)', async () => {
    await new TraceCache({ name: 'reload', now }).put('k1', evenodd, RUNTIME);
    expect(await new TraceCache({ name: 'reload', now }).get('k1')).toEqual(evenodd);
    expect(await new TraceCache({ name: 'reload', now }).get('nothing')).toBeNull();
  });

  it('lets the least recently used go first, within its cap', async () => {
    const size = JSON.stringify(packTrace(evenodd, RUNTIME)).length;
    const cache = new TraceCache({ name: 'lru', capBytes: size * 2.5, now });
    await cache.put('a', evenodd);
    await cache.put('b', evenodd);
    await cache.get('a'); // a is now more recent than b
    await cache.put('c', evenodd);
    expect(await cache.get('b')).toBeNull();
    expect(await cache.get('a')).not.toBeNull();
    expect(await cache.get('c')).not.toBeNull();
    expect(await cache.size()).toBeLessThanOrEqual(size * 2.5);
  });

  it('drops an entry that is not a trace any more, silently', async () => {
    const cache = new TraceCache({ name: 'corrupt', now });
    await cache.put('k', evenodd);
    const db = await openDB('corrupt', 2);
    await db.put('traces', { key: 'k', json: '{"format":"loop-lab-trace","version":1,"events":[{"kind":"clock"' });
    db.close();
    expect(await cache.get('k')).toBeNull();
    const again = await openDB('corrupt', 2);
    expect(await again.get('traces', 'k')).toBeUndefined();
    expect(await again.get('meta', 'k')).toBeUndefined(); // its bookkeeping goes with it
    again.close();
    expect(await cache.size()).toBe(0);
  });

  it('a cache kept by an earlier version (one store, bookkeeping and JSON together) is dropped, and the new one works', async () => {
    const old = await openDB('earlier', 1, {
      upgrade(db) {
        db.createObjectStore('traces', { keyPath: 'key' }).createIndex('used', 'used');
      },
    });
    await old.put('traces', { key: 'k', json: JSON.stringify(packTrace(evenodd, RUNTIME)), bytes: 10, used: 0 });
    old.close();
    const cache = new TraceCache({ name: 'earlier', now });
    expect(await cache.get('k')).toBeNull();
    await cache.put('k', evenodd, RUNTIME);
    expect(await cache.get('k')).toEqual(evenodd);
  });

  it('does not keep a trace larger than its whole cap', async () => {
    const cache = new TraceCache({ name: 'tiny', capBytes: 100, now });
    await cache.put('big', evenodd);
    expect(await cache.get('big')).toBeNull();
  });
});
