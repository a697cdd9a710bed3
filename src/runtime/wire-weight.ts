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
 * and returns what it had counted (greater than `most`): a chunk that weighs too much costs a
 * pass over its characters up to that point. Strings cost one `indexOf` per quote or backslash
 * in them. Malformed JSON is counted as far as it goes; `JSON.parse` then refuses it.
 */
export function jsonWeight(json: string, most: number): number {
  let weight = 0;
  let at = 0;
  const length = json.length;
  while (at < length) {
    const code = json.charCodeAt(at);
    if (code === QUOTE) {
      at = stringEnd(json, at + 1);
      continue;
    }
    if (code === COMMA || code === OPEN_LIST || code === OPEN_OBJECT) {
      weight++;
      if (weight > most) return weight;
    }
    at++;
  }
  return weight;
}

/** The index just past the string whose text begins at `from` (after its opening quote). */
function stringEnd(json: string, from: number): number {
  let at = from;
  for (;;) {
    const quote = json.indexOf('"', at);
    if (quote === -1) return json.length;
    // A quote preceded by an odd number of backslashes is escaped: part of the string.
    let slashes = 0;
    while (quote - slashes - 1 >= from && json.charCodeAt(quote - slashes - 1) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    at = quote + 1;
  }
}
