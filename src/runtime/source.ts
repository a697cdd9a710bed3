/**
 * Turning a file's bytes into program text, as python3 reads a source file: UTF-8 (a BOM
 * dropped), unless a coding declaration on its first or second line names another encoding
 * (PEP 263; CPython's Parser/tokenizer, get_normal_name and check_coding_spec). And the message
 * Python gives when it cannot.
 */

export type DecodedSource = { ok: true; text: string } | { ok: false; message: string };

/** A coding declaration, as CPython's tokenizer looks for one (PEP 263's regular expression). */
const CODING = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
/** A line that holds only a comment or nothing: a declaration may follow it on line 2. */
const COMMENT_OR_BLANK = /^[ \t\f]*(?:#.*)?\r?$/;
/** Python's names for UTF-8, Latin-1 and ASCII, once normalised (encodings/aliases.py). */
const UTF8_NAMES = new Set(['utf-8', 'utf8', 'u8', 'utf', 'cp65001']);
const LATIN1_NAMES = new Set(['iso-8859-1', 'latin1', 'latin', 'l1', 'iso8859-1', 'iso88591', 'cp819', '8859', 'iso-ir-100', 'csisolatin1']);
const ASCII_NAMES = new Set(['ascii', 'us-ascii', 'us', '646', 'ansi-x3.4-1968', 'cp367', 'csascii', 'ibm367', 'iso646-us']);

export function decodeSource(bytes: Uint8Array, filename: string): DecodedSource {
  const hasBom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const declared = codingDeclared(hasBom ? bytes.subarray(3) : bytes);
  if (declared !== null && !UTF8_NAMES.has(declared)) {
    if (hasBom) return refused(`encoding problem: ${declared} with BOM`);
    return decodeDeclared(bytes, declared);
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { ok: true, text: text.startsWith('\uFEFF') ? text.slice(1) : text };
  } catch {
    const at = firstInvalidByte(bytes);
    const line = lineBreaks(bytes.subarray(0, at)) + 1;
    const hex = (bytes[at] ?? 0).toString(16).padStart(2, '0');
    return refused(
      `Non-UTF-8 code starting with '\\x${hex}' in file ${filename} on line ${line}, ` +
        'but no encoding declared. Loop Lab reads programs as UTF-8: save the file as UTF-8 and open it again.',
    );
  }
}

const refused = (message: string): DecodedSource => ({ ok: false, message: `SyntaxError: ${message}` });

/**
 * The encoding the first two lines declare, by CPython's normal name (`get_normal_name`:
 * "utf-8…" is utf-8, "latin-1…", "iso-8859-1…" and "iso-latin-1…" are iso-8859-1, `_` reads as
 * `-`), or null for none. Line 2 counts only after a line 1 that is a comment or blank.
 */
function codingDeclared(bytes: Uint8Array): string | null {
  const lines = latin1(bytes.subarray(0, 1024)).split(/\n/, 2);
  let found = CODING.exec(lines[0] ?? '');
  if (found === null && lines.length > 1 && COMMENT_OR_BLANK.test(lines[0]!)) found = CODING.exec(lines[1]!);
  if (found === null) return null;
  const name = found[1]!.toLowerCase().replaceAll('_', '-');
  if (name === 'utf-8' || name.startsWith('utf-8-')) return 'utf-8';
  for (const latin of ['latin-1', 'iso-8859-1', 'iso-latin-1']) if (name === latin || name.startsWith(`${latin}-`)) return 'iso-8859-1';
  return name;
}

/** The file's text in the encoding it declared, or Python's message when it cannot be read so. */
function decodeDeclared(bytes: Uint8Array, encoding: string): DecodedSource {
  if (LATIN1_NAMES.has(encoding)) return { ok: true, text: latin1(bytes) };
  if (ASCII_NAMES.has(encoding)) {
    const at = bytes.findIndex((b) => b >= 0x80);
    if (at < 0) return { ok: true, text: latin1(bytes) };
    return refused(`'ascii' codec can't decode byte 0x${bytes[at]!.toString(16)} in position ${at}: ordinal not in range(128)`);
  }
  if (CP1252_NAMES.has(encoding)) return cp1252(bytes);
  // Other encodings as the browser's decoder knows them (windows-125x, iso-8859-2…16, koi8-r …).
  // Its "latin1" and "ascii" are windows-1252, which is why those two are read above.
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    return refused(`unknown encoding: ${encoding} (Loop Lab reads UTF-8, Latin-1, ASCII and the encodings a web browser knows)`);
  }
  try {
    return { ok: true, text: decoder.decode(bytes) };
  } catch {
    return refused(`'${encoding}' codec can't decode this file: it is not ${encoding}`);
  }
}

const CP1252_NAMES = new Set(['cp1252', 'windows-1252', '1252']);
/**
 * Windows-1252's characters for 0x80–0x9F (Python's cp1252 codec, encodings/cp1252.py: five of
 * them map to nothing); the rest are Latin-1's. Read here, not by TextDecoder: Node's reads
 * these bytes as Latin-1's control characters.
 */
const CP1252_HIGH = '\u20ac\ufffe\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffe\u017d\ufffe' +
  '\ufffe\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffe\u017e\u0178';

function cp1252(bytes: Uint8Array): DecodedSource {
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    const char = b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80]! : String.fromCharCode(b);
    if (char === '\ufffe') return refused(`'charmap' codec can't decode byte 0x${b.toString(16)} in position ${i}: character maps to <undefined>`);
    text += char;
  }
  return { ok: true, text };
}

/** Bytes as Latin-1 text: each byte is the code point of its value. */
function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}

/** Line breaks as python3's tokenizer counts them: \n, \r\n and a lone \r each end one line. */
function lineBreaks(bytes: Uint8Array): number {
  let breaks = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a || (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a)) breaks++;
  }
  return breaks;
}

/**
 * The index of the first byte that does not belong to a well-formed UTF-8 sequence, as Unicode
 * defines one (Table 3-7: the second byte of E0, ED, F0 and F4 has a narrower range, so neither
 * an overlong form nor a surrogate, ED A0 80, is well formed): where python3's tokenizer stops,
 * and the byte its message names.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (length === 0) return i;
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      const [low, high] = k === 1 ? secondByteRange(b) : [0x80, 0xbf];
      if (next === undefined || next < low || next > high) return i;
    }
    i += length;
  }
  return i;
}

/** The bytes that may follow `lead` in a well-formed sequence (Unicode, Table 3-7). */
function secondByteRange(lead: number): [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}
