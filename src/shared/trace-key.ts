/**
 * The key a recorded trace is stored and found under: a SHA-256 (hex) of everything that
 * decides what a run records — the program's source and file name, the run's options, and the
 * runtime (Pyodide's version and the tracer's own source hash). A run is deterministic, so two
 * runs under one key give the same trace (src/shared/trace.ts), and a trace can be recorded
 * once and reused: shipped with the app for the lessons, kept in a cache for the rest.
 *
 * SHA-256 from @noble/hashes (audited, synchronous, and it works where `crypto.subtle` does
 * not: a page served over plain http from a school's own server is not a secure context).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { RuntimeId } from './trace';

/** What a key is made of. `options` holds only what changes a trace (the step budget, verify …). */
export interface TraceKeyInput {
  source: string;
  filename: string;
  options?: { maxSteps?: number; maxOutputChars?: number; verify?: boolean };
}

/** The key: 64 hex digits. */
export function traceKey(input: TraceKeyInput, runtime: RuntimeId): string {
  const options = input.options ?? {};
  const parts = [
    'loop-lab-trace/1',
    runtime.pyodide,
    runtime.tracer,
    input.filename,
    String(options.maxSteps ?? ''),
    String(options.maxOutputChars ?? ''),
    String(options.verify ?? ''),
    input.source,
  ];
  return bytesToHex(sha256(utf8ToBytes(parts.join('\0'))));
}
