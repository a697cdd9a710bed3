/**
 * Share links (src/shared/share-link.ts): a link made today keeps opening (a link made with
 * format 1 is kept in tests/fixtures/share/ and read here, and e2e/teach.spec.ts opens it in
 * the app), links round-trip, a link too long for browsers is refused with a sentence, and a
 * damaged, forged or future link is refused without a guess.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  decodeShared,
  MAX_LINK_CHARS,
  SHARE_LINK_VERSION,
  type SharedProgram,
  ShareLinkError,
  sharedFromFragment,
  shareLink,
} from '../src/shared/share-link';
import { packTrace, parseTraceFile, type Trace } from '../src/shared/trace';

const KEPT_LINK = readFileSync(join(import.meta.dirname, 'fixtures/share/link-v1.txt'), 'utf8').trim();

/** The program the kept link was made from (a scratchpad program, not a lesson's). */
const KEPT_SOURCE = `import asyncio

async def count(name, n, delay):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(delay)
    return f"{name} done"

async def main():
    results = await asyncio.gather(count("tick", 3, 0.1), count("tock", 2, 0.15))
    print(results)

asyncio.run(main())
`;

function fragmentOf(link: string): string {
  return link.slice(link.indexOf('#'));
}

/** The kept link's trace: a real run's, recorded when the link was made. */
function keptTrace(): Trace {
  const shared = sharedFromFragment(fragmentOf(KEPT_LINK));
  if (!shared?.trace) throw new Error('the kept link has no trace');
  return shared.trace;
}

function base64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

describe('a link made with format 1 (kept from when it was made)', () => {
  it('still opens: the same program, lesson, step and speed, and a trace of that program', () => {
    const shared = sharedFromFragment(fragmentOf(KEPT_LINK));
    expect(shared).not.toBeNull();
    expect(shared!.source).toBe(KEPT_SOURCE);
    expect(shared!.filename).toBe('scratchpad.py');
    expect(shared!.lesson).toBeNull();
    expect(shared!.step).toBe(11);
    expect(shared!.speed).toBe(2);
    // The trace made the link play at once; if the trace format ever changes meaning, old links
    // lose it (and their program is traced afresh), which this test would show.
    expect(shared!.trace).not.toBeNull();
    expect(shared!.trace!.source).toBe(KEPT_SOURCE);
    const printed = shared!.trace!.events.flatMap((e) => (e.kind === 'output' ? [e.text] : [])).join('');
    expect(printed).toContain("['tick done', 'tock done']");
  });

  it('is within the length the app offers', () => {
    expect(KEPT_LINK.length).toBeLessThanOrEqual(MAX_LINK_CHARS);
    expect(KEPT_LINK).toMatch(/#\/shared\/1\/[A-Za-z0-9_-]+$/);
  });
});

describe('making links', () => {
  const trace = keptTrace();
  const program: SharedProgram = { filename: 'scratchpad.py', source: KEPT_SOURCE, lesson: null, step: 30, speed: 0.5, trace };

  it('round-trips the program, lesson, step, speed and trace', () => {
    const result = shareLink({ ...program, lesson: { slug: 'two-printers', file: 'main.py' } }, 'http://127.0.0.1:5183/index.html#/scratchpad');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.withTrace).toBe(true);
    expect(result.link.startsWith(`http://127.0.0.1:5183/index.html#/shared/${SHARE_LINK_VERSION}/`)).toBe(true);
    const back = sharedFromFragment(fragmentOf(result.link))!;
    expect(back.source).toBe(KEPT_SOURCE);
    expect(back.lesson).toEqual({ slug: 'two-printers', file: 'main.py' });
    expect(back.step).toBe(30);
    expect(back.speed).toBe(0.5);
    expect(JSON.stringify(packTrace(back.trace!))).toBe(JSON.stringify(packTrace(trace)));
  });

  it('makes embed links for the embed page', () => {
    const result = shareLink(program, 'http://127.0.0.1:5183/embed.html', { embed: true });
    expect(result.ok && result.link).toMatch(/^http:\/\/127\.0\.0\.1:5183\/embed\.html#\/embed\/shared\/1\//);
    if (result.ok) expect(sharedFromFragment(fragmentOf(result.link))!.source).toBe(KEPT_SOURCE);
  });

  it('leaves the trace out when it would make the link too long, and keeps the program', () => {
    const withTrace = shareLink(program, 'http://h/');
    expect(withTrace.ok).toBe(true);
    const max = withTrace.ok ? withTrace.link.length - 1 : 0;
    const result = shareLink(program, 'http://h/', { max });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.withTrace).toBe(false);
    expect(result.link.length).toBeLessThanOrEqual(max);
    const back = sharedFromFragment(fragmentOf(result.link))!;
    expect(back.trace).toBeNull();
    expect(back.source).toBe(KEPT_SOURCE);
  });

  it('refuses a link longer than 8,000 characters, with a sentence that suggests Save…', () => {
    // Text that deflate cannot shrink much: a long program of distinct numbers.
    let source = 'import asyncio\n';
    for (let i = 0; source.length < 40_000; i++) source += `print(${(i * 7919) % 100_003}, ${(i * 104_729) % 99_991})\n`;
    const result = shareLink({ ...program, source, trace: null }, 'http://h/');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.length).toBeGreaterThan(MAX_LINK_CHARS);
    expect(result.message).toMatch(/too long to share as a link/);
    expect(result.message).toMatch(/8,000/);
    expect(result.message).toMatch(/Save…/);
  });
});

describe('reading links', () => {
  it('is not a shared link: null', () => {
    expect(sharedFromFragment('#/lesson/two-printers')).toBeNull();
    expect(sharedFromFragment('')).toBeNull();
  });

  it('a newer format says so, and is not guessed at', () => {
    expect(() => decodeShared('2', 'AAAA')).toThrow(/newer Loop Lab \(link format 2\)/);
  });

  it('a cut-short or changed link says it is damaged', () => {
    const data = fragmentOf(KEPT_LINK).split('/').at(-1)!;
    expect(() => decodeShared('1', data.slice(0, data.length / 2))).toThrow(ShareLinkError);
    expect(() => decodeShared('1', data.slice(0, data.length / 2))).toThrow(/damaged/);
    expect(() => decodeShared('1', `${data}$$`)).toThrow(/damaged/);
    expect(() => decodeShared('1', base64Url(deflateSync(strToU8('{"f":"a.py"}'))))).toThrow(/does not hold a program/);
  });

  it('a link that unpacks into megabytes is refused unread', () => {
    const bomb = base64Url(deflateSync(new Uint8Array(20 * 1024 * 1024).fill(32), { level: 9 }));
    expect(bomb.length).toBeLessThan(100_000);
    expect(() => decodeShared('1', bomb)).toThrow(/unpacks to more than Loop Lab reads/);
  });

  it('drops a trace that is not of the link’s program (the program is then traced afresh)', () => {
    const trace = keptTrace();
    const payload = { f: 'scratchpad.py', s: 'print("something else")\n', i: 5, x: 1, t: packTrace(trace) };
    const shared = decodeShared('1', base64Url(deflateSync(strToU8(JSON.stringify(payload)))));
    expect(shared.trace).toBeNull();
    expect(shared.source).toBe('print("something else")\n');
    expect(shared.step).toBe(5);
  });

  it('drops a trace of more steps than any run records (a reviewer’s 10-12 kB link of 3.9 million), unbuilt: the program is traced afresh', () => {
    const file = packTrace(keptTrace());
    const task = file.tasks[0]!.id;
    const huge = { ...file, events: [...file.events, { kind: 'lines', task, callback: null, lines: new Array<number>(3_900_000).fill(3) }] };
    const payload = { f: 'scratchpad.py', s: KEPT_SOURCE, i: 5, x: 1, t: huge };
    const data = base64Url(deflateSync(strToU8(JSON.stringify(payload)), { level: 9 }));
    expect(data.length).toBeLessThan(13_000);
    expect(() => parseTraceFile(huge)).toThrow(/^This trace holds more steps than a Loop Lab run ever records \(at most 1,200,065\), so it was not opened\./);
    const shared = decodeShared('1', data);
    expect(shared.trace).toBeNull();
    expect(shared).toMatchObject({ filename: 'scratchpad.py', source: KEPT_SOURCE, step: 5, speed: 1 });
  });

  it('drops a forged trace (one naming a task that is not there)', () => {
    const file = packTrace(keptTrace());
    const forged = { ...file, events: file.events.map((e) => (e.kind === 'done' ? { ...e, task: 99 } : e)) };
    expect(() => parseTraceFile(forged)).toThrow(/not a Loop Lab trace/);
    const payload = { f: 'scratchpad.py', s: KEPT_SOURCE, i: 5, x: 1, t: forged };
    const shared = decodeShared('1', base64Url(deflateSync(strToU8(JSON.stringify(payload)))));
    expect(shared.trace).toBeNull();
    expect(shared.source).toBe(KEPT_SOURCE);
  });
});
