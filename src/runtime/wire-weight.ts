/**
 * What a chunk of wire JSON weighs before it is parsed: how many values it holds, and how many
 * characters (see CHARS_PER_VALUE).
 *
 * The host parses and checks what a worker sends; a program shares its interpreter with the
 * tracer and can write frames of its own. Its cheapest way to hurt the host is weight, not
 * bytes: 64 MB of `[0],` repeated is 16 million arrays, which `JSON.parse` took 3.7 s and
 * 300 MB to build here and the contract's checks ~0.6 µs more per value (measured in Node 20 on
 * this project's 2-core machine), all in one task of the page. Counting first lets the host
 * refuse such a chunk for the price of one pass over its characters.
 */

const QUOTE = 0x22; // "
const BACKSLASH = 0x5c; // \
const COMMA = 0x2c; // ,
const OPEN_LIST = 0x5b; // [
const OPEN_OBJECT = 0x7b; // {
const LETTER_U = 0x75; // u

/**
 * Characters (of strings, numbers, whitespace: all of the text, an escape such as `\u00e9`
 * counted once, as the character it stands for) that weigh as much as one value. Parsing and
 * checking cost about this many characters per value (jsonWeight and WireDecoder.decode timed
 * on chunks of each shape with tsx, on this 2-core machine, idle): a character cost ~5 ns to weigh
 * and ~6-8 ns to parse and check (4,092 task events of 4,096-character names: 16.9 million
 * characters, 133 ms weighed, 92 ms decoded), a task id of a gather ~0.35-0.4 µs (seven gathers
 * of 50,000 ids: 114 ms decoded, a reviewer's 120-150 ms). Unweighed, strings let one chunk
 * hold 123 million characters of names that took 1.3 s to weigh and decode. An escape counts
 * once, so that what a program prints weighs the same whatever its characters: the tracer's
 * JSON escapes everything past ASCII (ensure_ascii), and 1.99 million emoji, which python3
 * prints and the tracer keeps under its output cap, are 24 million characters of escapes.
 */
export const CHARS_PER_VALUE = 32;

/**
 * What `json` (JSON text) costs to parse and check, in values, counted from its structure
 * without parsing it: one per comma and one per opening bracket outside strings, so `[]` weighs
 * 1, `[0,0]` 2 and `{"a":[1,2]}` 3 (never less than the number of lists and objects plus their
 * elements after the first); and one more per CHARS_PER_VALUE characters of the text, an escape
 * counted once. Stops counting once past `most` and returns what it had counted (greater than
 * `most`). One pass, one character at a time, whatever the text holds: 0.1-0.6 s for 64 MB on
 * this noisy 2-core machine, about what any loop over 64 MB of characters takes here, escaped
 * quotes or not. (It jumped from quote to quote with `indexOf` at first: 5 ms for a plain
 * string, but a reviewer's 64 MB of escaped quotes, one `indexOf` each, took 0.6 s before
 * `JSON.parse` began.) Since characters weigh, the pass stops after at most `most` ×
 * CHARS_PER_VALUE characters (six times that in `\uXXXX` escapes).
 * Malformed JSON is counted as far as it goes; `JSON.parse` then refuses it.
 */
export function jsonWeight(json: string, most: number): number {
  let weight = 0;
  /** Characters counted (an escape once) since the last CHARS_PER_VALUE of them. */
  let chars = 0;
  let inString = false;
  const length = json.length;
  for (let at = 0; at < length; at++) {
    const code = json.charCodeAt(at);
    let grew = false;
    if (++chars === CHARS_PER_VALUE) {
      chars = 0;
      weight++;
      grew = true;
    }
    if (inString) {
      // The escaped character is part of the string; `\uXXXX` is one character of six.
      if (code === BACKSLASH) at += json.charCodeAt(at + 1) === LETTER_U ? 5 : 1;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === COMMA || code === OPEN_LIST || code === OPEN_OBJECT) {
      weight++;
      grew = true;
    }
    if (grew && weight > most) return weight;
  }
  return weight;
}
