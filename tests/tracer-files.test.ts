/**
 * The tracer's fingerprint, which a restored snapshot is checked against (src/runtime/engine.ts),
 * is the one the build computed from the tracer's sources (build/runtime-id.ts), not one each
 * interpreter's start computes again (~30 ms of interpreted JavaScript in a fresh worker).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRACER_FILES, tracerFingerprint } from '../src/runtime/tracer-files';
import { tracerSourcesHash } from '../src/runtime/tracer-hash';
import { ROOT } from './corpus/harness';

describe('the tracer’s fingerprint', () => {
  it('is the SHA-256 of the tracer’s sources the build computed, for the very files the engine writes', () => {
    const dir = join(ROOT, 'src/runtime/python/_looplab');
    expect(tracerFingerprint()).toBe(tracerSourcesHash(dir));
    expect(Object.keys(TRACER_FILES).length).toBeGreaterThan(10);
  });
});
