/**
 * Text for what loop-lab writes in its own voice, with control characters shown as escapes
 * (`\u{1b}`): a terminal obeys a newline, an ANSI escape (a window title, a cleared screen, the
 * clipboard: OSC 52) or a direction control, and what goes into loop-lab's lines may be chosen
 * by a stranger: a limit's message names tasks the program chose (a deadlock's), a trace table
 * shows task names, exception messages and printed text, and `lessons check` shows a pack's
 * titles, folders and problems (a second attacker's finding: a lesson title cleared the
 * screen and set the window's title). A program's own output, written by `run`, is its own
 * and is written as it is.
 */
export function plainText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

/**
 * `value` as one line of JSON with every character a terminal might obey written as a `\uXXXX`
 * escape: JSON.stringify escapes C0 controls, but leaves DEL, the C1 controls (U+009B is a
 * CSI to some terminals) and the direction controls as they are. The same JSON to a parser.
 */
export function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
