/**
 * Which of a Python worker's messages is the page's to answer: its one `parts-wanted` (the
 * WebAssembly and standard library the page holds: browser-host.ts), and nothing else. A worker
 * asks once (browser-worker.ts); any later `parts-wanted` is a forged one, handed to the
 * supervisor like every other message, which takes it for the wrong shape and counts it (a
 * reviewer's: a flood of them, each checked twice and counted nowhere, held the page's thread
 * with nothing to end the run).
 */
import * as v from 'valibot';
import { PartsWantedSchema } from '../shared/runtime-protocol';

/** A fresh test for one worker's messages: true for its first `parts-wanted`, false for every message after and every other message. */
export function firstPartsWanted(): (data: unknown) => boolean {
  let asked = false;
  return (data) => {
    if (asked || !v.is(PartsWantedSchema, data)) return false;
    asked = true;
    return true;
  };
}
