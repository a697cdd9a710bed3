/**
 * The corpus: deterministic asyncio programs whose expected output was recorded from real
 * CPython (scripts/record-corpus.ts). Each one runs through Loop Lab's Node runtime and must
 * give the same stdout, the same exit status and the same last line of stderr (all of stderr,
 * for the programs recorded with it: those about how an error is shown).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeSupervisor } from '../src/runtime/supervisor';
import {
  baseName,
  corpusExpected,
  corpusPrograms,
  lastNonEmptyLine,
  normalize,
  runFile,
  startRuntime,
  streamText,
} from './corpus/harness';

const programs = corpusPrograms();
let runtime: RuntimeSupervisor;

beforeAll(async () => {
  runtime = startRuntime();
  await runtime.ready();
});

afterAll(() => runtime?.dispose());

describe('the corpus', () => {
  it('holds at least 45 programs, each with output recorded from CPython', () => {
    expect(programs.length).toBeGreaterThanOrEqual(45);
    for (const program of programs) expect(() => corpusExpected(program)).not.toThrow();
  });

  it.each(programs.map((p) => [baseName(p), p]))('%s matches CPython', async (_name, program) => {
    const expected = corpusExpected(program);
    const trace = await runFile(runtime, program);
    const stderr = streamText(trace, 'stderr');
    const last = trace.events[trace.events.length - 1];
    // A run Loop Lab cut short is never a match, whatever it printed.
    expect(last?.kind === 'limit' ? `${last.reason}: ${last.message}` : null).toBeNull();
    expect(normalize(streamText(trace, 'stdout'))).toBe(normalize(expected.stdout));
    expect(trace.end.exitCode, `stderr was:\n${stderr}`).toBe(expected.exitCode);
    expect(normalize(lastNonEmptyLine(stderr))).toBe(normalize(expected.stderrLastLine));
    if (expected.stderr !== undefined) expect(normalize(stderr)).toBe(normalize(expected.stderr));
  });
});
