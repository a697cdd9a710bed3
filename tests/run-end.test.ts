/**
 * The banner at a run's end (src/renderer/lib/run-end.ts): an uncaught exception's message is
 * shown whole up to BANNER_MESSAGE_CHARS, and cut with a mark past it (the traceback has more);
 * a program that exits itself with a status other than 0 says so, and names the tasks it left
 * unfinished (fixtures recorded by the runtime from the programs inside them:
 * scripts/record-trace-fixtures.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BANNER_MESSAGE_CHARS, runEndNote } from '../src/renderer/lib/run-end';
import { TraceView } from '../src/renderer/lib/trace-view';
import type { Trace, TraceEvent } from '../src/shared/trace';

function fixture(name: string): Trace {
  return JSON.parse(readFileSync(new URL(`./fixtures/player/${name}.trace.json`, import.meta.url), 'utf8')) as Trace;
}

const whole = fixture('evenodd');

function endingWith(message: string): TraceView {
  const events: TraceEvent[] = [...whole.events, { kind: 'exception', type: 'ValueError', message, line: 3 }];
  return new TraceView({ ...whole, events, end: { ...whole.end, status: 'error' } });
}

describe('the run-end banner', () => {
  it('shows a short message whole', () => {
    expect(runEndNote(endingWith('boom'))?.text).toBe('ValueError: boom at line 3.');
  });

  it('points at the traceback printed on stderr, and at nothing when the program’s own sys.excepthook printed none', () => {
    const ending = (printed: TraceEvent[], type = 'ValueError', message = 'boom'): TraceView => {
      const events: TraceEvent[] = [...whole.events, ...printed, { kind: 'exception', type, message, line: 3 }];
      return new TraceView({ ...whole, events, end: { ...whole.end, status: 'error' } });
    };
    const at = whole.events.length;
    const traceback = { kind: 'output', stream: 'stderr', text: 'Traceback (most recent call last):\n  File "main.py", line 3, in <module>\nValueError: boom\n' } as const;
    expect(runEndNote(ending([traceback]))?.traceback).toBe(at);
    // A SyntaxError's report has no header; a class of another module's is named with it.
    expect(runEndNote(ending([{ kind: 'output', stream: 'stderr', text: '  File "main.py", line 1\n    x = (\n        ^\nSyntaxError: \'(\' was never closed\n' }], 'SyntaxError'))?.traceback).toBe(at);
    expect(runEndNote(ending([{ kind: 'output', stream: 'stderr', text: 'lib.errors.Oops: no\n' }], 'Oops'))?.traceback).toBe(at);
    const stderr = (text: string, type: string): number | null | undefined => runEndNote(ending([{ kind: 'output', stream: 'stderr', text }], type))?.traceback;
    // The name alone on its line (no message), or qualified: python3's last line. Not a word in a sentence.
    expect(stderr('note\nlib.Oops\n', 'Oops')).toBe(at);
    expect(stderr('my lib.Oops: no\n', 'Oops')).toBeNull();
    expect(stderr('lib.NotOops: no\nOopsie\n', 'Oops')).toBeNull();
    expect(stderr('Oops happened: no\n', 'Oops')).toBeNull();
    // A name made of dots (a forged trace's) is read in one pass: as the line's end it is named.
    expect(stderr('.'.repeat(65_535), '.'.repeat(4_000))).toBe(at);
    expect(stderr(`${'.'.repeat(65_534)}!`, '.'.repeat(4_000))).toBeNull();
    // A hook of the program's printed on stdout; the last thing on stderr was a warning of its own.
    const hooked = ending([{ kind: 'output', stream: 'stderr', text: 'warn\n' }, { kind: 'output', stream: 'stdout', text: 'custom hook: boom\n' }]);
    expect(runEndNote(hooked)?.traceback).toBeNull();
    // A message only the program's __str__ could make is not in the trace: the type alone.
    expect(runEndNote(ending([], 'Loud', ''))?.text).toBe('Loud at line 3.');
    // Direction controls in the words the program chose are shown as marks (a reviewer's).
    expect(runEndNote(ending([], 'Value\u202eError', '\u202egnp.exe'))?.text).toBe('Value⟦U+202E⟧Error: ⟦U+202E⟧gnp.exe at line 3.');
  });

  it('cuts a long one, with a mark', () => {
    const note = runEndNote(endingWith('x'.repeat(2_000)));
    expect(note?.text).toBe(`ValueError: ${'x'.repeat(BANNER_MESSAGE_CHARS)}… at line 3.`);
  });

  it('says nothing of a run that ended by itself with status 0', () => {
    expect(runEndNote(new TraceView(whole))).toBeNull();
  });

  it('tells of os._exit(4) in a task, and names the tasks it left unfinished', () => {
    const view = new TraceView(fixture('exit'));
    const note = runEndNote(view);
    expect(note).toMatchObject({ kind: 'exit', title: 'The program exited with status 4', line: 25, step: view.trace.events.length - 1, traceback: null });
    expect(note?.text).toContain('a shell would get exit status 4.');
    expect(note?.details).toEqual(["Nothing ran after that: Task-1 (main()), Task-2 (worker('slow', 2)) and Task-3 (quitter()) never finished."]);
  });

  it('tells of sys.exit(3) at the top level, with no task left', () => {
    const note = runEndNote(new TraceView(fixture('sysexit')));
    expect(note).toMatchObject({ kind: 'exit', title: 'The program exited with status 3', line: 3, details: [] });
  });

  it('gives a signal’s status as 128 + its number', () => {
    const trace = fixture('sysexit');
    const note = runEndNote(new TraceView({ ...trace, end: { ...trace.end, exitCode: 143 } }));
    expect(note?.text).toContain('exit status 143 (128 + 15: what a shell reports for a process ended by signal 15).');
  });

  it('tells nothing of a status no process can end with (a trace from a file may say anything)', () => {
    const trace = fixture('sysexit');
    for (const exitCode of [-5, 256, 1e6]) expect(runEndNote(new TraceView({ ...trace, end: { ...trace.end, exitCode } }))).toBeNull();
  });
});
