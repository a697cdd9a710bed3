/**
 * Share links: what a teacher is looking at (the program, its lesson if any, the step and the
 * speed, and, when it fits, the run's trace) packed into the URL's fragment. Nothing is sent
 * anywhere: browsers never send the fragment to a server, and the app reads it on its own.
 *
 *   <app address>#/shared/1/<data>          opens in the app
 *   <app address>embed.html#/embed/shared/1/<data>   the same, in the embed page
 *
 * `1` is the format's version. `<data>` is the payload's JSON, deflated (fflate, raw DEFLATE,
 * RFC 1951) and written in base64url (RFC 4648 §5, no padding). A reader of a later version
 * keeps reading every earlier format it knows (tests/share-link.test.ts keeps a link made with
 * format 1 and opens it); a link of a newer format than the reader knows gets a sentence saying
 * so, never a guess.
 *
 * The trace, when present, is a packed TraceFile (src/shared/trace.ts) checked by
 * `parseTraceFile` like any trace from outside, and it must be of the link's own program (same
 * source and file name) or it is dropped. It lets the link play at once in a browser that has
 * never run the program; the app never stores it as a recorded run (trace-cache.ts), and Run
 * traces the program afresh in the sandbox.
 */
import { deflateSync, Inflate, strFromU8, strToU8 } from 'fflate';
import * as v from 'valibot';
import { packTrace, parseTraceFile, type Trace, TraceError } from './trace';
import { ABORT_EARLY } from './abort-early';
import { thousands } from './numbers';

/** The format this code writes. */
export const SHARE_LINK_VERSION = 1 as const;

/** The versions this code reads. */
export const READABLE_SHARE_VERSIONS: readonly number[] = [1];

/**
 * The longest link offered, in characters: browsers keep longer ones, but mail programs, chat
 * apps, learning platforms and some servers cut or refuse links past about 8,000 characters
 * (the HTTP semantics RFC 9110 §4.1 asks for at least 8,000 octets of URI support).
 */
export const MAX_LINK_CHARS = 8000;

/** The longest fragment read back, in characters (a pasted link far past any we write is refused unread). */
const MAX_READ_CHARS = 200_000;
/** The most bytes a payload may inflate to (a small link cannot unpack into a huge one). */
const MAX_PAYLOAD_BYTES = 8 * 1024 * 1024;

/** The fragment's path for the app and for the embed page. */
export const SHARED_ROUTE = 'shared';
export const EMBED_ROUTE = 'embed';

/** What a link holds, once read. */
export interface SharedProgram {
  /** The program's file name (`main.py`, `scratchpad.py`). */
  filename: string;
  source: string;
  /** The lesson it belongs to, when it was shared from one (its name and the program's file). */
  lesson: { slug: string; file: string } | null;
  /** The player's step: -1 before the first event, else the index of the event shown. */
  step: number;
  /** The player's speed (1 = normal). */
  speed: number;
  /** The run's trace, when the link carries one (checked, and of this very program). */
  trace: Trace | null;
}

export class ShareLinkError extends Error {
  override name = 'ShareLinkError';
}

const MAX_SOURCE = 1_000_000;

/** Format 1's payload (short keys: they are in every link). */
const PayloadV1 = v.strictObject({
  /** File name. */
  f: v.pipe(v.string(), v.regex(/^[^\0/\\]{1,255}$/)),
  /** Source. */
  s: v.pipe(v.string(), v.maxLength(MAX_SOURCE)),
  /** Lesson: [slug, file]. */
  l: v.optional(v.tuple([v.pipe(v.string(), v.maxLength(200)), v.pipe(v.string(), v.maxLength(255))])),
  /** Step. */
  i: v.pipe(v.number(), v.safeInteger(), v.minValue(-1)),
  /** Speed. */
  x: v.pipe(v.number(), v.finite(), v.minValue(0.01), v.maxValue(100)),
  /** The packed trace (checked apart, by parseTraceFile, for its own messages). */
  t: v.optional(v.unknown()),
});
type PayloadV1 = v.InferOutput<typeof PayloadV1>;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareLinkError('This link is damaged: it has characters a Loop Lab link never has. Was it copied whole?');
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let binary: string;
  try {
    binary = atob(padded);
  } catch {
    throw new ShareLinkError('This link is damaged: it was cut short or changed. Was it copied whole?');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The fragment's data part for a program (format 1). */
export function encodeShared(shared: SharedProgram): string {
  const payload: PayloadV1 = {
    f: shared.filename,
    s: shared.source,
    i: shared.step,
    x: shared.speed,
    ...(shared.lesson ? { l: [shared.lesson.slug, shared.lesson.file] as [string, string] } : {}),
    ...(shared.trace ? { t: packTrace(shared.trace) } : {}),
  };
  return toBase64Url(deflateSync(strToU8(JSON.stringify(payload)), { level: 9 }));
}

/** `#/shared/1/<data>` (or `#/embed/shared/1/<data>`) for a program. */
export function sharedFragment(shared: SharedProgram, embed = false): string {
  return `#/${embed ? `${EMBED_ROUTE}/` : ''}${SHARED_ROUTE}/${SHARE_LINK_VERSION}/${encodeShared(shared)}`;
}

export type ShareLinkResult = { ok: true; link: string; withTrace: boolean } | { ok: false; length: number; message: string };

/**
 * The link to offer for a program, given the address it opens at (the app's page, or the
 * embed page): with the trace when the link still fits in `MAX_LINK_CHARS`, else without it
 * (the program is then traced where it is opened), else refused with a sentence saying why and
 * what to do instead.
 */
export function shareLink(shared: SharedProgram, base: string, options: { embed?: boolean; max?: number } = {}): ShareLinkResult {
  const max = options.max ?? MAX_LINK_CHARS;
  const address = base.replace(/#.*$/, '');
  if (shared.trace) {
    const link = address + sharedFragment(shared, options.embed);
    if (link.length <= max) return { ok: true, link, withTrace: true };
  }
  const link = address + sharedFragment({ ...shared, trace: null }, options.embed);
  if (link.length <= max) return { ok: true, link, withTrace: false };
  return {
    ok: false,
    length: link.length,
    message:
      `This program is too long to share as a link: its link would be ${thousands(link.length)} characters, ` +
      `and links longer than ${thousands(max)} are cut short by many browsers, mail and chat programs. ` +
      'Use Save… to share it as a file instead.',
  };
}

/**
 * Reads the version and data of a shared link's fragment path (the parts after `shared/`),
 * and returns what the link holds. Throws ShareLinkError with a sentence for the learner.
 */
export function decodeShared(version: string, data: string): SharedProgram {
  if (!/^\d+$/.test(version)) throw new ShareLinkError('This is not a Loop Lab link: its version is missing.');
  const n = Number(version);
  if (!READABLE_SHARE_VERSIONS.includes(n)) {
    throw new ShareLinkError(
      n > SHARE_LINK_VERSION
        ? `This link was made by a newer Loop Lab (link format ${n}); this one reads formats up to ${SHARE_LINK_VERSION}. Open it in the newer version.`
        : `This link's format (${n}) is not one Loop Lab knows.`,
    );
  }
  if (data.length > MAX_READ_CHARS) throw new ShareLinkError('This link is far longer than any Loop Lab makes, so it was not opened.');
  let json: unknown;
  try {
    json = JSON.parse(strFromU8(inflateBounded(fromBase64Url(data))));
  } catch (error) {
    if (error instanceof ShareLinkError) throw error;
    throw new ShareLinkError('This link is damaged: it was cut short or changed. Was it copied whole?');
  }
  return readPayloadV1(json);
}

/** Inflates raw DEFLATE data, refusing to go past MAX_PAYLOAD_BYTES (a small link cannot unpack into a huge one). */
function inflateBounded(bytes: Uint8Array): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const inflater = new Inflate((chunk) => {
    total += chunk.length;
    if (total > MAX_PAYLOAD_BYTES) throw new ShareLinkError('This link unpacks to more than Loop Lab reads, so it was not opened.');
    chunks.push(chunk);
  });
  inflater.push(bytes, true);
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function readPayloadV1(json: unknown): SharedProgram {
  const result = v.safeParse(PayloadV1, json, ABORT_EARLY);
  if (!result.success) throw new ShareLinkError('This link is damaged: it does not hold a program Loop Lab can read.');
  const p = result.output;
  let trace: Trace | null = null;
  if (p.t !== undefined) {
    try {
      trace = parseTraceFile(p.t);
    } catch (error) {
      if (!(error instanceof TraceError)) throw error;
      trace = null; // the program is traced afresh instead
    }
    if (trace && (trace.source !== p.s || trace.filename !== p.f)) trace = null;
  }
  return {
    filename: p.f,
    source: p.s,
    lesson: p.l ? { slug: p.l[0], file: p.l[1] } : null,
    step: trace ? Math.min(p.i, trace.events.length - 1) : p.i,
    speed: p.x,
    trace,
  };
}

/**
 * The shared program in a fragment (`#/shared/1/<data>` or `#/embed/shared/1/<data>`), or null
 * when the fragment is not a shared link at all. Throws ShareLinkError for a damaged one.
 */
export function sharedFromFragment(fragment: string): SharedProgram | null {
  const parts = fragment.replace(/^#/, '').replace(/^\/+/, '').split('/');
  if (parts[0] === EMBED_ROUTE) parts.shift();
  if (parts[0] !== SHARED_ROUTE) return null;
  return decodeShared(parts[1] ?? '', parts.slice(2).join('/'));
}
