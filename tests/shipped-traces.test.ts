/**
 * The traces the app ships for its lessons (out/traces, made by scripts/record-traces.ts at
 * build time) are the traces a fresh run gives today (issue 10): every lesson program and the
 * scratchpad's starting program is run again in a fresh interpreter and its trace must be,
 * byte for byte (real time aside), the file shipped under its key. A shipped trace can never
 * go stale: a different source, Pyodide or tracer gives a different key.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeIdentity } from '../build/runtime-id';
import { TRACES_DIR } from '../build/trace-assets';
import type { RuntimeSupervisor } from '../src/runtime/supervisor';
import { parseTraceFile } from '../src/shared/trace';
import { traceKey } from '../src/shared/trace-key';
import { shippedForm, shippedPrograms } from '../scripts/record-traces';
import * as v from 'valibot';
import { type ShippedIndex, ShippedIndexSchema } from '../src/shared/shipped-traces';
import { routeTraceKey } from '../src/renderer/lib/shipped-fetch';
import { catalog } from '../src/lessons/bundled';
import { startRuntime } from './corpus/harness';

const programs = shippedPrograms();
const runtimeId = runtimeIdentity();
let runtime: RuntimeSupervisor;
let index: ShippedIndex;

beforeAll(async () => {
  const file = join(TRACES_DIR, 'index.json');
  if (!existsSync(file)) throw new Error('out/traces is missing: run `npm run build:traces` first');
  index = JSON.parse(readFileSync(file, 'utf8')) as ShippedIndex;
  runtime = startRuntime();
  await runtime.ready();
});

afterAll(() => runtime?.dispose());

describe('shipped traces', () => {
  it('were recorded with this runtime, one for every lesson program and the scratchpad', () => {
    expect(index.runtime).toEqual(runtimeId);
    expect(programs.length).toBeGreaterThanOrEqual(19);
    // Two lessons may share a program word for word: one trace serves both.
    expect(Object.keys(index.traces).sort()).toEqual(
      [...new Set(programs.map((p) => traceKey({ source: p.source, filename: p.filename }, runtimeId)))].sort(),
    );
    expect(programs.some((p) => p.program === 'scratchpad')).toBe(true);
    expect(v.safeParse(ShippedIndexSchema, index).success).toBe(true);
  });

  it('name every program with its key, in the course\'s order: a lesson\'s address finds its trace (the page fetches it ahead)', () => {
    expect(Object.entries(index.programs)).toEqual(programs.map((p) => [p.program, traceKey({ source: p.source, filename: p.filename }, runtimeId)]));
    for (const lesson of catalog.lessons) {
      const first = lesson.programs[0]!;
      expect(routeTraceKey({ screen: 'lesson', slug: lesson.slug, file: null }, index)).toBe(traceKey({ source: first.source, filename: first.file }, runtimeId));
    }
  });

  it.each(programs.map((p) => [p.program, p]))('%s: the shipped file is what a fresh run gives', async (_name, program) => {
    const key = traceKey({ source: program.source, filename: program.filename }, runtimeId);
    const shipped = readFileSync(join(TRACES_DIR, `${key}.json`), 'utf8');
    const fresh = await runtime.run({ source: program.source, filename: program.filename, options: { wallSeconds: 120 } });
    expect(shippedForm(fresh, runtimeId) === shipped, `${program.program}: the shipped trace differs from a fresh run`).toBe(true);
    // And the app reads it back as the same trace.
    const read = parseTraceFile(JSON.parse(shipped));
    expect(read.events).toEqual(fresh.events);
    expect(read.source).toBe(program.source);
  });
});
