/** Turning a file's bytes into program text, with the message Python gives when it cannot. */

export type DecodedSource = { ok: true; text: string } | { ok: false; message: string };

export function decodeSource(bytes: Uint8Array, filename: string): DecodedSource {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return { ok: true, text: text.startsWith('\uFEFF') ? text.slice(1) : text };
  } catch {
    const at = firstInvalidByte(bytes);
    const line = lineBreaks(bytes.subarray(0, at)) + 1;
    const hex = (bytes[at] ?? 0).toString(16).padStart(2, '0');
    return {
      ok: false,
      message:
        `SyntaxError: Non-UTF-8 code starting with '\\x${hex}' in file ${filename} on line ${line}, ` +
        'but no encoding declared. Loop Lab reads programs as UTF-8: save the file as UTF-8 and open it again.',
    };
  }
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
