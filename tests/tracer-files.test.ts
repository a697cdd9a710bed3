/**
 * The tracer's fingerprint, which a restored snapshot is checked against (src/runtime/engine.ts),
 * is in a built engine the one the build computed from the tracer's sources
 * (build/runtime-id.ts), not one each interpreter's start computes again (~30 ms of interpreted
 * JavaScript in a fresh worker); code run by Vite's dev server computes it from the files as
 * they are, which it reloads as they change.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRACER_FILES, tracerFingerprint } from '../src/runtime/tracer-files';
import { tracerSourcesHash } from '../src/runtime/tracer-hash';
import { ROOT } from './corpus/harness';

describe('the tracer’s fingerprint', () => {
  it('is written into the built engine as the SHA-256 of the tracer’s sources (out/node: npm test builds first)', () => {
    const hash = tracerSourcesHash(join(ROOT, 'src/runtime/python/_looplab'));
    const assets = join(ROOT, 'out/node/assets');
    const engine = readdirSync(assets).filter((name) => /^engine-.*\.js$/.test(name));
    expect(engine).toHaveLength(1);
    expect(readFileSync(join(assets, engine[0]!), 'utf8')).toContain(JSON.stringify(hash));
  });

  it('is the build’s under Vitest too, whose tests restore snapshots the built runtime made', () => {
    expect(Object.keys(TRACER_FILES).length).toBeGreaterThan(10);
    expect(tracerFingerprint()).toBe(tracerSourcesHash(join(ROOT, 'src/runtime/python/_looplab')));
  });
});
