/**
 * The session's order of events when a program opens (src/renderer/state/session.svelte.ts): a
 * recorded trace is looked up first, and Python, coming up meanwhile, must not trace the same
 * program a second time. (A second load put the board back at its start, after the guided tour
 * had already gone to the stop the learner asked for: e2e/lessons.spec.ts lost that stop when
 * the interpreter became ready during the lookup.)
 */
import { describe, expect, it } from 'vitest';
import { Session } from '../src/renderer/state/session.svelte';
import type { Player } from '../src/renderer/state/player.svelte';
import type { FoundTrace, TraceStore } from '../src/renderer/lib/trace-store';
import type { LoopLabBridge, StatusInfo } from '../src/shared/ipc';
import type { Trace } from '../src/shared/trace';

const program = { key: 'lesson:await/main.py', title: 'await', summary: '', filename: 'main.py', source: 'print(1)\n' };
const recorded = { source: program.source, filename: program.filename } as unknown as Trace; // only identity matters here

/** A promise with its resolve handed out, so a test decides when a lookup comes back. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function harness() {
  const loads: Trace[] = [];
  const runs: string[] = [];
  const lookups: { resolve: (found: FoundTrace | null) => void }[] = [];
  let status: (info: StatusInfo) => void = () => {};
  // The session reads and calls only these members of the player, the bridge and the store.
  const player = {
    trace: null as Trace | null,
    playing: false,
    speed: 1,
    unload() {
      this.trace = null;
    },
    pause() {},
    seek() {},
    async load(trace: Trace) {
      loads.push(trace);
      this.trace = trace;
    },
  };
  const bridge = {
    onStatus(listener: (info: StatusInfo) => void) {
      status = listener;
      return () => {};
    },
    async run(input: { source: string }) {
      runs.push(input.source);
      return recorded;
    },
  };
  const store = {
    find() {
      const lookup = deferred<FoundTrace | null>();
      lookups.push(lookup);
      return lookup.promise;
    },
    async remember() {},
  };
  const session = new Session(bridge as unknown as LoopLabBridge, player as unknown as Player, { traces: store as unknown as TraceStore });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  /** Answers every lookup asked for, now and while the session goes on, with `found`. */
  const answerAll = async (found: FoundTrace | null) => {
    for (let answered = 0, round = 0; round < 10; round++) {
      for (const lookup of lookups.slice(answered)) lookup.resolve(found);
      answered = lookups.length;
      await settle();
    }
  };
  return { session, loads, runs, lookups, ready: () => status({ status: 'ready', message: 'Python ready' }), settle, answerAll };
}

describe('opening a program while Python comes up', () => {
  it('a recorded trace found after Python became ready is loaded once, and Python does not run it', async () => {
    const h = harness();
    h.session.open(program);
    h.ready(); // Python is up while the shipped trace is still being looked up
    await h.settle();
    await h.answerAll({ key: 'k', trace: recorded, from: 'shipped' });
    expect(h.loads).toEqual([recorded]);
    expect(h.runs).toEqual([]);
    expect(h.session.tracedKey).toBe(program.key);
  });

  it('a program with no recorded trace is run by Python once, when the lookup finds nothing', async () => {
    const h = harness();
    h.session.open(program);
    h.ready();
    await h.settle();
    await h.answerAll(null);
    expect(h.runs).toEqual([program.source]);
    expect(h.loads).toEqual([recorded]);
  });

  it('Python becoming ready after the lookup found nothing runs the program', async () => {
    const h = harness();
    h.session.open(program);
    await h.answerAll(null);
    expect(h.runs).toEqual([]); // not ready yet: it waits
    h.ready();
    // The run looks again (a trace may have been kept meanwhile), finds nothing, and runs.
    await h.answerAll(null);
    expect(h.runs).toEqual([program.source]);
    expect(h.loads).toEqual([recorded]);
  });

  // Lookups answered out of order (a slow fetch of a shipped trace, a quick IndexedDB miss): a
  // reviewer found that Python's one "ready" was lost while an overtaken lookup was out.
  it('Run pressed while the open’s lookup is out, Python ready in between: the run starts when that lookup ends', async () => {
    const h = harness();
    h.session.open(program); // lookup 0: slow
    void h.session.run(); // lookup 1: quick
    await h.settle();
    h.lookups[1]!.resolve(null);
    await h.settle();
    expect(h.session.queued).toBe(true); // Python not up yet: the run waits in line
    h.ready(); // lookup 0 still out
    await h.settle();
    h.lookups[0]!.resolve(null); // overtaken: it starts the run that waits
    await h.answerAll(null);
    expect(h.runs).toEqual([program.source]);
    expect(h.session.queued).toBe(false);
    expect(h.session.canRun).toBe(true);
  });

  it('another program opened while the first one’s lookup is out, Python ready in between: the second is traced', async () => {
    const h = harness();
    const other = { ...program, key: 'scratchpad', source: 'print(2)\n' };
    h.session.open(program); // lookup 0: slow
    h.session.open(other); // lookup 1: quick, finds nothing; Python not up yet
    h.lookups[1]!.resolve(null);
    await h.settle();
    h.ready();
    await h.settle();
    h.lookups[0]!.resolve(null);
    await h.answerAll(null);
    expect(h.runs).toEqual([other.source]);
  });
});
