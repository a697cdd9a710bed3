/**
 * What a chunk of wire JSON weighs before it is parsed: how many values it holds.
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

/**
 * The values in `json` (JSON text), counted from its structure without parsing it: one per
 * comma and one per opening bracket outside strings, so `[]` weighs 1, `[0,0]` 2 and
 * `{"a":[1,2]}` 3. Never less than the number of lists and objects plus their elements after
 * the first, which is what parsing and checking them costs. Stops counting once past `most`
 * and returns what it had counted (greater than `most`). One pass, one character at a time,
 * whatever the text holds: 0.1–0.6 s for 64 MB on this noisy 2-core machine, about what any
 * loop over 64 MB of characters takes here, escaped quotes or not. (It jumped from quote to
 * quote with `indexOf` at first: 5 ms for a plain string, but a reviewer's 64 MB of escaped
 * quotes, one `indexOf` each, took 0.6 s before `JSON.parse` began.)
 * Malformed JSON is counted as far as it goes; `JSON.parse` then refuses it.
 */
export function jsonWeight(json: string, most: number): number {
  let weight = 0;
  let inString = false;
  const length = json.length;
  for (let at = 0; at < length; at++) {
    const code = json.charCodeAt(at);
    if (inString) {
      if (code === BACKSLASH) at++; // the escaped character is part of the string
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === COMMA || code === OPEN_LIST || code === OPEN_OBJECT) {
      weight++;
      if (weight > most) return weight;
    }
  }
  return weight;
}
