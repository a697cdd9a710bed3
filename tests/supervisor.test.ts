/**
 * The runtime host against a worker it cannot trust (issue 9), with stand-in workers that say
 * exactly what a test makes them say: no Python here, so these run in milliseconds. Every run
 * gets a worker of its own, which is terminated after; whatever a worker sends that is not a
 * well-formed message of the protocol, or not a well-formed trace, ends the run as damaged;
 * a worker that says nothing for too long is stopped; the steps checked before are kept.
 */
import { describe, expect, it, vi } from 'vitest';
import type { HostToWorker } from '../src/shared/runtime-protocol';
import { MAX_SOURCE_CHARS } from '../src/shared/ipc';
import { KEEPING_WAIT_MS, RuntimeSupervisor, type SnapshotStore, type WorkerHandle } from '../src/runtime/supervisor';
import { MAX_CHUNK_WEIGHT } from '../src/runtime/wire';
import { DEFAULT_MAX_STEPS, firstBadReference, type Trace, type TraceEvent } from '../src/shared/trace';
import { keepingSound } from '../src/runtime/kept-steps';
import { FakeWorker, type Script } from './fake-worker';

const READY = { type: 'ready', startupMs: 5, pythonVersion: '3.14.2', restored: false, snapshotRejected: null, calibrationMs: 8, memoryLimitBytes: 384 * 1024 * 1024 };
const LINES = new Int32Array([1, 2]);
/** A well-formed run: two lines at module level, then "hi" printed. */
const GOOD_WIRE = JSON.stringify([2, ['out', 'stdout', 'hi\n']]);

function finished(runId: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'finished', runId, exitCode: 0, limited: false, clock: 0, wallMs: 1, heapBytes: 1, memoryPeakBytes: 0, damaged: null, ...extra };
}

/** A worker that starts, then answers its run with `chunks` and (unless told not to) `finished`. */
function scripted(chunks: (runId: number) => unknown[], finish = true): Script {
  return (worker, message) => {
    if (message.type === 'restore') worker.send(READY);
    if (message.type === 'run') {
      for (const chunk of chunks(message.runId)) worker.send(chunk);
      if (finish) worker.send(finished(message.runId));
    }
  };
}

function host(script: Script, options: ConstructorParameters<typeof RuntimeSupervisor>[1] = {}): { runtime: RuntimeSupervisor; workers: FakeWorker[] } {
  const workers: FakeWorker[] = [];
  const runtime = new RuntimeSupervisor(() => {
    const worker = new FakeWorker(script);
    workers.push(worker);
    return worker;
  }, options);
  return { runtime, workers };
}

const run = (runtime: RuntimeSupervisor): Promise<Trace> => runtime.run({ source: 'print("hi")\n', filename: 'main.py' });
const limit = (trace: Trace) => trace.events.at(-1);
const limitText = (trace: Trace): string => {
  const last = trace.events.at(-1);
  return last?.kind === 'limit' ? last.message : '';
};

describe('a fresh worker for every run', () => {
  it('each run has its own worker, terminated after; one spare is started ahead', async () => {
    const { runtime, workers } = host(scripted((id) => [{ type: 'chunk', runId: id, wire: GOOD_WIRE, lines: LINES }]));
    const first = await run(runtime);
    const second = await run(runtime);
    expect(first.events.map((e) => e.kind)).toEqual(['line', 'line', 'output']);
    expect(second.events).toEqual(first.events);
    const ran = workers.filter((w) => w.received.some((m) => m.type === 'run'));
    expect(ran).toHaveLength(2);
    expect(ran[0]).not.toBe(ran[1]);
    expect(ran.every((w) => w.terminated)).toBe(true);
    expect(ran.every((w) => w.received.filter((m) => m.type === 'run').length === 1)).toBe(true);
    // The spare for the next run is up and has run nothing.
    const spare = workers.at(-1)!;
    expect(spare.terminated).toBe(false);
    expect(spare.received.map((m) => m.type)).toEqual(['start', 'restore']);
    runtime.dispose();
    expect(spare.terminated).toBe(true);
  });
});

describe('a spare started after each run (spareAfterRunMs: the page)', () => {
  it('starts no interpreter while a run runs; the spare comes once it has ended, and the next run takes it', async () => {
    const { runtime, workers } = host(
      scripted((id) => [{ type: 'chunk', runId: id, wire: GOOD_WIRE, lines: LINES }]),
      { spareAfterRunMs: 20 },
    );
    expect(workers).toHaveLength(1); // the first interpreter starts at once, as before
    const pending = run(runtime);
    expect(workers).toHaveLength(1); // none beside the run
    await pending;
    expect(workers).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(workers).toHaveLength(2);
    const spare = workers[1]!;
    expect(spare.received.map((m) => m.type)).toEqual(['start', 'restore']);
    await run(runtime);
    expect(spare.received.some((m) => m.type === 'run')).toBe(true);
    expect(workers).toHaveLength(2); // its spare waits for the run's end again
    runtime.dispose();
  });

  it('starts no spare while the next run waits for its own interpreter', async () => {
    // Workers answer `restore` only when told: the run after the first waits for its start.
    const held: FakeWorker[] = [];
    const script: Script = (worker, message) => {
      if (message.type === 'restore') {
        if (held.length === 0 && worker === firstWorker) worker.send(READY);
        else held.push(worker);
      }
      if (message.type === 'run') {
        worker.send({ type: 'chunk', runId: message.runId, wire: GOOD_WIRE, lines: LINES });
        worker.send(finished(message.runId));
      }
    };
    let firstWorker: FakeWorker | null = null;
    const { runtime, workers } = host(script, { spareAfterRunMs: 20 });
    firstWorker = workers[0]!;
    await run(runtime);
    const second = run(runtime); // before the spare is due: starts its own, which waits
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(workers).toHaveLength(2); // no spare beside it
    held.shift()!.send(READY);
    await second;
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(workers).toHaveLength(3); // the spare, once that run has ended
    runtime.dispose();
  });

  it('Stop while a run waits for its interpreter: the program never runs, and that interpreter is the next run\'s', async () => {
    const held: FakeWorker[] = [];
    const script: Script = (worker, message) => {
      if (message.type === 'restore') held.push(worker);
      if (message.type === 'run') {
        worker.send({ type: 'chunk', runId: message.runId, wire: GOOD_WIRE, lines: LINES });
        worker.send(finished(message.runId));
      }
    };
    const { runtime, workers } = host(script, { spareAfterRunMs: 20 });
    const waiting = run(runtime);
    await new Promise((resolve) => setTimeout(resolve, 10));
    runtime.stop();
    held.shift()!.send(READY);
    const stopped = await waiting;
    expect(stopped.events).toEqual([expect.objectContaining({ kind: 'limit', reason: 'stopped' })]);
    expect(workers[0]!.received.some((m) => m.type === 'run')).toBe(false);
    expect(workers[0]!.terminated).toBe(false);
    const next = await run(runtime);
    expect(next.events.map((e) => e.kind)).toEqual(['line', 'line', 'output']);
    expect(workers[0]!.received.filter((m) => m.type === 'run')).toHaveLength(1);
    runtime.dispose();
  });

  it('dispose while a run waits for its interpreter: the run ends, stopped, and the worker is terminated', async () => {
    const { runtime, workers } = host(() => undefined, { spareAfterRunMs: 20 }); // never ready
    const waiting = run(runtime);
    await new Promise((resolve) => setTimeout(resolve, 10));
    runtime.dispose();
    expect(limit(await waiting)).toMatchObject({ reason: 'stopped' });
    expect(workers.every((w) => w.terminated)).toBe(true);
  });

  /** A worker that makes a snapshot when it starts cold, then answers its run well. */
  const makesSnapshot = (made: Uint8Array): Script => (worker, message) => {
    if (message.type === 'restore') {
      if (message.snapshot === null) worker.send({ type: 'snapshot', bytes: made });
      worker.send(READY);
    }
    if (message.type === 'run') {
      worker.send({ type: 'chunk', runId: message.runId, wire: GOOD_WIRE, lines: LINES });
      worker.send(finished(message.runId));
    }
  };
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

  it('the spare waits for a snapshot made by the first worker to be kept as a Blob, and is handed the Blob, not the bytes', async () => {
    let saveDone!: () => void;
    const blob = new Blob([new Uint8Array([1, 2])]);
    const store: SnapshotStore = {
      load: async () => null,
      save: () => new Promise<void>((resolve) => (saveDone = resolve)),
      kept: async () => blob,
      drop: async () => undefined,
    };
    const { runtime, workers } = host(makesSnapshot(new Uint8Array([5, 6, 7])), { spareAfterRunMs: 20, snapshots: store });
    await run(runtime);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(workers).toHaveLength(1); // the snapshot is still being kept: no spare yet
    saveDone();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(workers).toHaveLength(2);
    const restore = workers[1]!.received.find((m) => m.type === 'restore');
    expect(restore?.type === 'restore' && restore.snapshot).toBe(blob);
    runtime.dispose();
  });

  it('a store that keeps no Blob (Electron’s page) holds no spare back: it starts on time, handed the bytes, while the save is still under way', async () => {
    const store: SnapshotStore = { load: async () => null, save: () => new Promise<void>(() => {}), drop: async () => undefined };
    const made = new Uint8Array([5, 6, 7]);
    const { runtime, workers } = host(makesSnapshot(made), { spareAfterRunMs: 20, snapshots: store });
    await run(runtime);
    await sleep(60);
    expect(workers).toHaveLength(2);
    const restore = workers[1]!.received.find((m) => m.type === 'restore');
    expect(restore?.type === 'restore' && restore.snapshot).toBe(made);
    runtime.dispose();
  });

  it('a save that never settles holds the spare back KEEPING_WAIT_MS from the save’s start, no longer; the spare is handed the bytes', async () => {
    vi.useFakeTimers();
    try {
      const store: SnapshotStore = { load: async () => null, save: () => new Promise<void>(() => {}), kept: async () => new Blob([]), drop: async () => undefined };
      const made = new Uint8Array([5, 6, 7]);
      // The spare is due 1 s after the run; the save began before the run: the wait ends
      // KEEPING_WAIT_MS after the save's start, not after the spare's due time.
      const { runtime, workers } = host(makesSnapshot(made), { spareAfterRunMs: 1000, snapshots: store });
      const pending = run(runtime);
      await vi.advanceTimersByTimeAsync(10);
      await pending;
      await vi.advanceTimersByTimeAsync(KEEPING_WAIT_MS - 110);
      expect(workers).toHaveLength(1); // still waiting for the save
      await vi.advanceTimersByTimeAsync(200);
      expect(workers).toHaveLength(2);
      const restore = workers[1]!.received.find((m) => m.type === 'restore');
      expect(restore?.type === 'restore' && restore.snapshot).toBe(made);
      runtime.dispose();
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a run while the spare waits for the save takes an interpreter of its own at once; dispose during the wait starts nothing after', async () => {
    let saveDone!: () => void;
    const store: SnapshotStore = {
      load: async () => null,
      save: () => new Promise<void>((resolve) => (saveDone = resolve)),
      kept: async () => new Blob([new Uint8Array([1])]),
      drop: async () => undefined,
    };
    const { runtime, workers } = host(makesSnapshot(new Uint8Array([5, 6, 7])), { spareAfterRunMs: 20, snapshots: store });
    await run(runtime);
    await sleep(60);
    expect(workers).toHaveLength(1); // the spare waits for the save
    const second = await run(runtime); // not held back by the save
    expect(second.events.map((e) => e.kind)).toEqual(['line', 'line', 'output']);
    expect(workers).toHaveLength(2);
    expect(workers[1]!.received.some((m) => m.type === 'run')).toBe(true);
    await sleep(60);
    runtime.dispose(); // both spares' waits are under way
    saveDone();
    await sleep(60);
    expect(workers).toHaveLength(2);
    expect(workers.every((w) => w.terminated)).toBe(true);
  });

  it('leaves no timer behind when disposed before the spare is due', async () => {
    const { runtime, workers } = host(scripted(() => []), { spareAfterRunMs: 20 });
    await run(runtime);
    runtime.dispose();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(workers).toHaveLength(1);
  });
});

describe('dispose', () => {
  it('leaves no timer behind for a spare still starting (a CLI would otherwise stay open until it fires)', () => {
    vi.useFakeTimers();
    try {
      const silent = (): void => undefined; // a worker that never says it is ready
      const { runtime, workers } = host(silent, { startTimeoutMs: 60_000 });
      expect(workers).toHaveLength(1);
      expect(vi.getTimerCount()).toBeGreaterThan(0);
      runtime.dispose();
      expect(workers[0]!.terminated).toBe(true);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

const MEMORY_WORDS = 'The program kept asking for memory, past the 384 MB Loop Lab allows. The steps so far are kept.';
const limitChunk = (runId: number, reason: string, message: string): unknown => ({ type: 'chunk', runId, wire: JSON.stringify([['limit', reason, message]]), lines: new Int32Array(0) });

describe('everything a worker sends is checked', () => {
  it('a memory limit the worker measured (its peak past the cap it said it has) is kept as the run’s end', async () => {
    const { runtime } = host((worker, message) => {
      if (message.type === 'restore') worker.send(READY);
      if (message.type === 'run') {
        worker.send({ type: 'chunk', runId: message.runId, wire: GOOD_WIRE, lines: LINES });
        worker.send(limitChunk(message.runId, 'memory', MEMORY_WORDS));
        worker.send(finished(message.runId, { limited: true, exitCode: 2, memoryPeakBytes: 385 * 1024 * 1024 }));
      }
    });
    const trace = await run(runtime);
    expect(limit(trace)).toEqual({ kind: 'limit', reason: 'memory', message: MEMORY_WORDS });
    runtime.dispose();
  });

  const forgeries: [string, (runId: number) => unknown[]][] = [
    ['a message of no known type', () => [{ type: 'pwned' }]],
    ['a chunk of another run', (id) => [{ type: 'chunk', runId: id + 7, wire: GOOD_WIRE, lines: LINES }]],
    ['markup as a stream name', (id) => [{ type: 'chunk', runId: id, wire: JSON.stringify([['out', '<meta http-equiv="refresh">', 'x']]), lines: new Int32Array(0) }]],
    ['a NaN where a time goes', (id) => [{ type: 'chunk', runId: id, wire: '[["clock",NaN]]', lines: new Int32Array(0) }]],
    ['a task that was never created', (id) => [{ type: 'chunk', runId: id, wire: JSON.stringify([['done', 5, 'result', 'None', null]]), lines: new Int32Array(0) }]],
    // A reviewer's: the host checked the owners of the objects an output carries, not a block's.
    ['a Lock held by a task that was never created, in a block', (id) => [{ type: 'chunk', runId: id, wire: JSON.stringify([['block', 1, null, null, { objects: [{ id: 0, type: 'Lock', label: 'lock', locked: true, owner: 999_999 }] }]]), lines: new Int32Array(0) }]],
    ['line numbers that are not there', (id) => [{ type: 'chunk', runId: id, wire: '[9]', lines: LINES }]],
    ['an unknown event', (id) => [{ type: 'chunk', runId: id, wire: JSON.stringify([['eval', 'alert(1)']]), lines: new Int32Array(0) }]],
    ['lines as a plain array', (id) => [{ type: 'chunk', runId: id, wire: GOOD_WIRE, lines: [1, 2] }]],
    ['extra fields', (id) => [{ type: 'chunk', runId: id, wire: GOOD_WIRE, lines: LINES, html: '<b>' }]],
    ['a second "ready"', () => [READY]],
    ['line numbers that no marker ever places', (id) => [{ type: 'chunk', runId: id, wire: '[]', lines: new Int32Array([3, 4]) }]],
    ['more line numbers than the step budget, none placed', (id) => [{ type: 'chunk', runId: id, wire: '[]', lines: new Int32Array(DEFAULT_MAX_STEPS + 1) }]],
    ['a summary that says the run hit a limit, with no limit event', (id) => [finished(id, { limited: true, exitCode: 2 })]],
    ['a summary with a clock the events never reached', (id) => [finished(id, { clock: 99 })]],
    // A process ends with a status byte (runner.py's _exit_status gives python3's): 0–255.
    ['an exit status no process ends with (-5)', (id) => [finished(id, { exitCode: -5 })]],
    ['an exit status no process ends with (300)', (id) => [finished(id, { exitCode: 300 })]],
    ['a clock that goes back', (id) => [{ type: 'chunk', runId: id, wire: '[["clock",2],["clock",1]]', lines: new Int32Array(0) }]],
    ['a clock that stands still yet says it moved', (id) => [{ type: 'chunk', runId: id, wire: '[["clock",2],["clock",2]]', lines: new Int32Array(0) }]],
    ['a ready queue the run never asked for (verify mode only)', (id) => [{ type: 'chunk', runId: id, wire: JSON.stringify([['task', 0, 'Task-1', 'main()', null, 0], ['pop', 0, ['t', 0], 0, [['t', 0]]]]), lines: new Int32Array(0) }]],
    // Limits in the tracer's own words, which a program can write too: each is held to the host's measure.
    ['a memory limit the interpreter never reached', (id) => [limitChunk(id, 'memory', MEMORY_WORDS), finished(id, { limited: true, exitCode: 2, memoryPeakBytes: 30 * 1024 * 1024 })]],
    ['a time limit a moment after the run began', (id) => [limitChunk(id, 'time', 'The program ran for 10 seconds of real time without finishing. The steps so far are kept.'), finished(id, { limited: true, exitCode: 2 })]],
  ];
  it.each(forgeries)('%s: the run ends as damaged, the worker is gone, the next run works', async (_name, forge) => {
    let forged = false;
    const { runtime, workers } = host((worker, message) => {
      if (message.type === 'restore') worker.send(READY);
      if (message.type === 'run') {
        if (!forged) {
          forged = true;
          worker.send({ type: 'chunk', runId: message.runId, wire: GOOD_WIRE, lines: LINES }); // good steps first
          for (const m of forge(message.runId)) worker.send(m);
        } else {
          worker.send({ type: 'chunk', runId: message.runId, wire: GOOD_WIRE, lines: LINES });
        }
        worker.send(finished(message.runId));
      }
    });
    const damaged = await run(runtime);
    expect(limit(damaged)).toMatchObject({ kind: 'limit', reason: 'damaged' });
    expect(limitText(damaged)).toMatch(/trace was damaged/);
    // The steps checked before the forgery are kept, and hold together.
    expect(damaged.events.filter((e) => e.kind === 'output')).toEqual([{ kind: 'output', stream: 'stdout', text: 'hi\n' }]);
    expect(workers[0]!.terminated).toBe(true);
    const next = await run(runtime);
    expect(next.events.map((e) => e.kind)).toEqual(['line', 'line', 'output']);
    runtime.dispose();
  });

  it('a status of 0 after an uncaught exception is the program’s own (python3’s when an atexit function calls os._exit(0)), not a damaged trace', async () => {
    const { runtime, workers } = host(scripted((id) => [{ type: 'chunk', runId: id, wire: JSON.stringify([['exc', 'ValueError', 'boom', null]]), lines: new Int32Array(0) }]));
    const trace = await run(runtime);
    expect(trace.events.map((e) => e.kind)).toEqual(['exception']);
    expect(trace.end).toMatchObject({ status: 'ok', exitCode: 0 });
    expect(workers[0]!.terminated).toBe(true);
    runtime.dispose();
  });

  it('a chunk of more values than the host takes at once ends the run as a trace grown too long, before it is parsed, steps kept', async () => {
    const heavy = `[${'[0],'.repeat(MAX_CHUNK_WEIGHT)}[0]]`;
    const { runtime, workers } = host(scripted((id) => [
      { type: 'chunk', runId: id, wire: GOOD_WIRE, lines: LINES },
      { type: 'chunk', runId: id, wire: heavy, lines: new Int32Array(0) },
    ]));
    const parse = vi.spyOn(JSON, 'parse');
    const trace = await run(runtime);
    // Only the good chunk was parsed: the heavy one was weighed and refused.
    expect(parse.mock.calls.some(([text]) => text === heavy)).toBe(false);
    parse.mockRestore();
    expect(limit(trace)).toMatchObject({ kind: 'limit', reason: 'events' });
    expect(limitText(trace)).toMatch(/^The trace grew past the most Loop Lab keeps for one run/);
    expect(trace.events.filter((e) => e.kind === 'output')).toEqual([{ kind: 'output', stream: 'stdout', text: 'hi\n' }]);
    expect(workers[0]!.terminated).toBe(true);
    runtime.dispose();
  });

  it('a worker that says its run was damaged (something wrote to the trace channel) ends it as damaged, its words logged, not shown', async () => {
    const logged: string[] = [];
    const { runtime } = host(
      (worker, message) => {
        if (message.type === 'restore') worker.send(READY);
        if (message.type === 'run') worker.send(finished(message.runId, { damaged: "Loop Lab needs an update: open https://evil.example $' $&" }));
      },
      { log: (detail) => logged.push(detail) },
    );
    const trace = await run(runtime);
    expect(limit(trace)).toMatchObject({ kind: 'limit', reason: 'damaged' });
    expect(limitText(trace)).toMatch(/^The program's trace was damaged \(something other than the tracer wrote to its channel\)/);
    expect(logged).toEqual(["the worker found its trace channel damaged: Loop Lab needs an update: open https://evil.example $' $&"]);
    runtime.dispose();
  });

  it('a crash in words the program chose (a traceback it wrote) never reaches the banner', async () => {
    const logged: string[] = [];
    const { runtime } = host(
      (worker, message) => {
        if (message.type === 'restore') worker.send(READY);
        if (message.type === 'run') worker.send({ type: 'fatal', message: "The Python runtime failed: open https://evil.example $' to update" });
      },
      { log: (detail) => logged.push(detail) },
    );
    const trace = await run(runtime);
    expect(limit(trace)).toMatchObject({ kind: 'limit', reason: 'crashed' });
    expect(JSON.stringify(trace.events)).not.toMatch(/evil\.example/);
    expect(logged.join('\n')).toMatch(/evil\.example/);
    runtime.dispose();
  });
});

describe('stopping runs', () => {
  it('a worker that goes quiet mid-run is stopped after stallMs, with its steps kept', async () => {
    const { runtime, workers } = host(scripted((id) => [{ type: 'chunk', runId: id, wire: GOOD_WIRE, lines: LINES }], false), { stallMs: 50 });
    const trace = await run(runtime);
    expect(limit(trace)).toMatchObject({ kind: 'limit', reason: 'time' });
    expect(trace.events.filter((e) => e.kind === 'output')).toHaveLength(1);
    expect(workers[0]!.terminated).toBe(true);
    runtime.dispose();
  });

  it('a worker that keeps sending chunks is not stopped for time', async () => {
    const { runtime } = host((worker, message) => {
      if (message.type === 'restore') worker.send(READY);
      if (message.type !== 'run') return;
      let sent = 0;
      const beat = setInterval(() => {
        worker.send({ type: 'chunk', runId: message.runId, wire: '[]', lines: new Int32Array(0) });
        if (++sent === 8) {
          clearInterval(beat);
          worker.send(finished(message.runId));
        }
      }, 20);
    }, { stallMs: 60 });
    const trace = await run(runtime);
    expect(trace.end.status).toBe('ok'); // 160 ms in all, never 60 ms without a word
    runtime.dispose();
  });

  it('Stop, and a worker that dies, end the run and keep its steps', async () => {
    const logged: string[] = [];
    const { runtime, workers } = host(scripted((id) => [{ type: 'chunk', runId: id, wire: GOOD_WIRE, lines: LINES }], false), {
      stallMs: 60_000,
      log: (detail) => logged.push(detail),
    });
    const stopped = run(runtime);
    await new Promise((r) => setTimeout(r, 10));
    runtime.stop();
    expect(limit(await stopped)).toMatchObject({ reason: 'stopped' });
    const dying = run(runtime);
    await new Promise((r) => setTimeout(r, 10));
    const dead = workers.find((w) => w.received.some((m) => m.type === 'run') && !w.terminated)!;
    dead.die('out of memory');
    const died = await dying;
    expect(limit(died)).toMatchObject({ reason: 'crashed' });
    // Terminated, although it had already said it failed (it could still be running).
    expect(dead.terminated).toBe(true);
    // The worker's words go to the log; the banner keeps to the app's own sentence.
    expect(limitText(died)).toBe('The Python interpreter broke while running the program. The steps recorded before that are kept.');
    expect(logged).toEqual(['the Python worker failed: out of memory']);
    runtime.dispose();
  });
});

describe('a run ended early keeps the steps that hold together, checked in slices', () => {
  /**
   * Chunks of 10,000 steps on line 1 each, the first creating task 0. (A forged event among them
   * is refused as its chunk is decoded, by the rules of a sound trace, src/shared/trace-rules.ts:
   * what is checked here is the host's own check of the steps it keeps, in slices.)
   */
  function bigRun(chunks: number): (runId: number) => unknown[] {
    const lines = new Int32Array(10_000).fill(1);
    return (id) =>
      Array.from({ length: chunks }, (_, c) => {
        const wire: unknown[] = c === 0 ? [['task', 0, 'Task-1', 'main()', null, 0], 10_000] : [10_000 * (c + 1)];
        return { type: 'chunk', runId: id, wire: JSON.stringify(wire), lines };
      });
  }

  it('Stop after 150,000 steps: the run is over at once, and resolves with the steps, the tasks, then the limit', async () => {
    const { runtime } = host(scripted(bigRun(15), false), { stallMs: 60_000, spare: false });
    const running = run(runtime);
    await new Promise((r) => setTimeout(r, 20));
    let settled = false;
    void running.then(() => (settled = true));
    runtime.stop();
    // Over at once: the host is idle and takes the next run, while the ended one is still checked.
    expect(runtime.status.status).not.toBe('running');
    expect(settled).toBe(false);
    const trace = await running;
    // The task event, then 150,000 steps.
    expect(trace.events).toHaveLength(1 + 150_000 + 1);
    expect(trace.events[0]).toEqual({ kind: 'task', task: 0 });
    expect(trace.events.slice(1, -1).every((e) => e.kind === 'line')).toBe(true);
    expect(trace.events.at(-1)).toEqual({ kind: 'limit', reason: 'stopped', message: 'You stopped the program. The steps recorded before that are kept.' });
    expect(trace.tasks.map((t) => t.id)).toEqual([0]);
    expect(trace.end).toMatchObject({ status: 'limit', exitCode: 2, lineSteps: 150_000, clock: 0 });
    runtime.dispose();
  });

  it('disposed as soon as Stop is pressed: the run still resolves with its kept steps', async () => {
    const { runtime } = host(scripted(bigRun(2), false), { stallMs: 60_000, spare: false });
    const running = run(runtime);
    await new Promise((r) => setTimeout(r, 10));
    runtime.stop();
    runtime.dispose();
    const trace = await running;
    expect(trace.events).toHaveLength(1 + 20_000 + 1);
    expect(trace.end.lineSteps).toBe(20_000);
    expect(limit(trace)).toMatchObject({ reason: 'stopped' });
  });

  it('the check gives the thread back between slices: with every slice out of time at once, each stride is a task of its own', async () => {
    const { runtime } = host(scripted(bigRun(8), false), { stallMs: 60_000, spare: false });
    const running = run(runtime);
    await new Promise((r) => setTimeout(r, 20));
    // From now, every reading of the clock is 20 ms later than the last: each slice of
    // CHECK_SLICE_MS ends after one stride of the check.
    let clock = performance.now();
    const now = vi.spyOn(performance, 'now').mockImplementation(() => (clock += 20));
    let tasksBetween = 0;
    let settled = false;
    const probe = (): void => {
      if (settled) return;
      tasksBetween++;
      setTimeout(probe, 0);
    };
    setTimeout(probe, 0);
    runtime.stop();
    const trace = await running.finally(() => (settled = true));
    now.mockRestore();
    // A task to begin in, then a pause per stride: the 80,001 events checked (9 strides of 8,192
    // checks), and counted (1 of 65,536). In one task, as before, the probe never ran.
    expect(tasksBetween).toBeGreaterThanOrEqual(10);
    expect(trace.end.lineSteps).toBe(80_000);
    runtime.dispose();
  });
});

describe('keepingSound: the part of a trace that holds together, in pauses', () => {
  const lineAt = (task: number | null): TraceEvent => ({ kind: 'line', line: 1, task, callback: null });
  function traceOf(events: TraceEvent[], tasks: Trace['tasks']): Trace {
    return { version: 1, filename: 'main.py', source: 'x = 1\n', tasks, callbacks: [], events, end: { status: 'limit', exitCode: 2, clock: 0, wallMs: 0, lineSteps: 0, maxSteps: DEFAULT_MAX_STEPS } };
  }
  const task = (id: number, createdAt: number): Trace['tasks'][number] => ({ id, name: `Task-${id + 1}`, coro: 'main()', creator: null, loop: 0, internal: false, createdAt });

  it('keeps what firstBadReference keeps, pausing as it goes: before the first bad event, the tasks created before it', () => {
    const events: TraceEvent[] = [{ kind: 'task', task: 0 }, ...Array.from({ length: 100_000 }, () => lineAt(null)), { kind: 'clock', time: 2 }, { kind: 'task', task: 1 }];
    events.push({ kind: 'done', task: 9, outcome: 'result', text: 'None', line: null }, { kind: 'task', task: 2 }, ...Array.from({ length: 50_000 }, () => lineAt(null)));
    const trace = traceOf(events, [task(0, 0), task(1, 100_002), task(2, 100_004)]);
    const bad = firstBadReference(trace);
    expect(bad?.at).toBe(100_003);
    const keeping = keepingSound(trace);
    let pauses = 0;
    let step = keeping.next();
    for (; !step.done; step = keeping.next()) pauses++;
    // Two passes over 100,003 events (12 pauses each), and one over the steps kept (1).
    expect(pauses).toBe(25);
    expect(step.value.events).toEqual(events.slice(0, 100_003));
    expect(step.value.tasks.map((t) => t.id)).toEqual([0, 1]);
    expect(step.value).toMatchObject({ lineSteps: 100_000, clock: 2 });
    // The trace given is not changed.
    expect(trace.events).toHaveLength(150_005);
  });

  it('keeps nothing when the part before the first bad event does not hold together either (a task kept whose creator is not)', () => {
    // Task 0, created at event 0, names task 1 as its creator; task 1 is created after the bad event.
    const events: TraceEvent[] = [{ kind: 'task', task: 0 }, lineAt(null), { kind: 'done', task: 9, outcome: 'result', text: 'None', line: null }, { kind: 'task', task: 1 }];
    const trace = traceOf(events, [{ ...task(0, 0), creator: 1 }, task(1, 3)]);
    // Its creator is made after it: the table itself is wrong.
    expect(firstBadReference(trace)?.at).toBe(0);
    const keeping = keepingSound(trace);
    let step = keeping.next();
    while (!step.done) step = keeping.next();
    expect(step.value).toEqual({ tasks: [], callbacks: [], events: [], lineSteps: 0, clock: 0 });
  });

  it('keeps the whole trace, the same arrays, when all of it holds together', () => {
    const events: TraceEvent[] = [{ kind: 'task', task: 0 }, lineAt(null), { kind: 'clock', time: 1 }, lineAt(null)];
    const trace = traceOf(events, [task(0, 0)]);
    const step = keepingSound(trace).next();
    expect(step.done).toBe(true);
    expect(step.value).toMatchObject({ lineSteps: 2, clock: 1 });
    expect(step.done && step.value.events).toBe(events);
  });
});

describe('a finished run', () => {
  /** A worker that sends a good chunk and `finished`, then calls `after` in the same task. */
  function finishing(after: (worker: FakeWorker) => void): Script {
    return (worker, message) => {
      if (message.type === 'restore') worker.send(READY);
      if (message.type === 'run') {
        worker.send({ type: 'chunk', runId: message.runId, wire: GOOD_WIRE, lines: LINES });
        worker.send(finished(message.runId));
        after(worker);
      }
    };
  }

  it('ends its worker at once, and is checked in a task of its own; what the worker sends after changes nothing', async () => {
    const logged: string[] = [];
    let settled = false;
    const seen: { ended?: boolean; pendingAfterMicrotasks?: boolean } = {};
    const { runtime } = host(
      finishing((worker) => {
        seen.ended = worker.terminated;
        // A forged chunk and a failure, after `finished`: not heard.
        worker.send({ type: 'chunk', runId: 1, wire: JSON.stringify([9, ['out', 'stdout', 'forged\n']]), lines: new Int32Array(7) });
        worker.die('a callback the program left behind failed');
        void Promise.resolve().then(() => Promise.resolve()).then(() => (seen.pendingAfterMicrotasks = !settled));
      }),
      { log: (detail) => logged.push(detail) },
    );
    const trace = await run(runtime).finally(() => (settled = true));
    expect(seen).toEqual({ ended: true, pendingAfterMicrotasks: true });
    expect(trace.end.status).toBe('ok');
    expect(trace.events.filter((e) => e.kind === 'output').map((e) => (e as { text: string }).text)).toEqual(['hi\n']);
    expect(trace.events.filter((e) => e.kind === 'line')).toHaveLength(2);
    expect(logged).toEqual([]);
    runtime.dispose();
  });

  it('Stop, or the host disposed, between its last message and its checks: the whole trace still comes', async () => {
    for (const between of ['stop', 'dispose'] as const) {
      let after = (): void => {};
      const { runtime } = host(finishing(() => after()));
      after = () => (between === 'stop' ? runtime.stop() : runtime.dispose());
      const trace = await run(runtime);
      expect(trace.end.status).toBe('ok');
      expect(trace.events.some((e) => e.kind === 'limit')).toBe(false);
      expect(trace.events.filter((e) => e.kind === 'line')).toHaveLength(2);
      runtime.dispose();
    }
  });
});

describe('Python that cannot start', () => {
  it.each([
    ['says why (`fatal`)', (worker: FakeWorker) => worker.send({ type: 'fatal', message: 'Python could not start: no memory' }), 'Python could not start: no memory'],
    ['fails to load', (worker: FakeWorker) => worker.die('the Python worker failed to load'), 'Python could not start: the Python worker failed to load'],
    ['never says it is ready', () => undefined, 'Python took too long to start.'],
  ])('a worker that %s, twice: the run ends crashed, saying so once, and the status says the same', async (_how, fails, said) => {
    const { runtime, workers } = host((worker, message) => {
      if (message.type === 'restore') fails(worker);
    }, { startTimeoutMs: 30, log: () => undefined });
    const trace = await run(runtime);
    expect(workers.length).toBeGreaterThanOrEqual(2); // tried again, once, with a fresh worker
    expect(limit(trace)).toEqual({ kind: 'limit', reason: 'crashed', message: said });
    expect(runtime.status).toMatchObject({ status: 'failed', message: said });
    runtime.dispose();
  });
});

describe('the snapshot', () => {
  /** Whether the host asked this worker, in its `start`, to make a snapshot on a cold start. */
  const askedToMake = (worker: FakeWorker): boolean =>
    worker.received.some((m) => m.type === 'start' && m.makeSnapshot);

  function memoryStore(initial: Uint8Array | null): SnapshotStore & { saved: Uint8Array[]; dropped: number; bytes: Uint8Array | null } {
    const store = {
      bytes: initial,
      saved: [] as Uint8Array[],
      dropped: 0,
      load: async () => store.bytes,
      save: async (b: Uint8Array) => {
        store.saved.push(b);
        store.bytes = b;
      },
      drop: async () => {
        store.dropped++;
        store.bytes = null;
      },
    };
    return store;
  }

  it('the first cold start makes one; later workers are handed it', async () => {
    const store = memoryStore(null);
    const made = new Uint8Array([1, 2, 3]);
    const { runtime, workers } = host((worker, message) => {
      if (message.type === 'restore') {
        if (message.snapshot === null && askedToMake(worker)) worker.send({ type: 'snapshot', bytes: made });
        worker.send({ ...READY, restored: message.snapshot !== null });
      }
      if (message.type === 'run') worker.send(finished(message.runId));
    });
    await run(runtime);
    await run(runtime);
    expect(store.saved).toEqual([]); // this host was given no store
    runtime.dispose();
    const withStore = host((worker, message) => {
      if (message.type === 'restore') {
        if (message.snapshot === null && askedToMake(worker)) worker.send({ type: 'snapshot', bytes: made });
        worker.send({ ...READY, restored: message.snapshot !== null });
      }
      if (message.type === 'run') worker.send(finished(message.runId));
    }, { snapshots: store });
    await run(withStore.runtime);
    await run(withStore.runtime);
    expect(store.saved).toEqual([made]);
    // Each worker is told to start at once, and what to start from once the store has answered.
    expect(withStore.workers.every((w) => w.received[0]?.type === 'start' && w.received[1]?.type === 'restore')).toBe(true);
    expect(withStore.workers[0]!.received[0]).toMatchObject({ makeSnapshot: true });
    const restores = withStore.workers.map((w) => w.received.find((m) => m.type === 'restore'));
    expect(restores[0]).toMatchObject({ snapshot: null });
    expect(restores.slice(1).every((s) => s?.type === 'restore' && s.snapshot !== null)).toBe(true);
    expect(withStore.runtime.starts).toMatchObject({ cold: 1, rejected: 0 });
    withStore.runtime.dispose();
    expect(workers.length).toBeGreaterThan(0);
  });

  it('a worker started before the host (the CLI\'s) is its first interpreter: not told to start again, and its snapshot is the later workers\'', async () => {
    const store = memoryStore(null);
    const kept = new Uint8Array([7, 7, 7]);
    const script: Script = (worker, message) => {
      if (message.type === 'restore') worker.send({ ...READY, restored: message.snapshot !== null });
      if (message.type === 'run') worker.send(finished(message.runId));
    };
    // Started the way the CLI's entry starts it (src/cli/early.ts): `start`, then `restore` once read.
    const early = new FakeWorker(script);
    early.post({ type: 'start', makeSnapshot: true });
    early.post({ type: 'restore', snapshot: kept });
    const { runtime, workers } = host(script, { snapshots: store, spare: false, started: { worker: early, makeSnapshot: true, snapshot: Promise.resolve(kept) } });
    expect((await run(runtime)).end.status).toBe('ok');
    expect(early.received.map((m) => m.type)).toEqual(['start', 'restore', 'run']);
    expect(early.terminated).toBe(true); // served its one run
    expect(runtime.starts).toMatchObject({ restored: 1, cold: 0 });
    // The store was not read again: the next worker is handed what the early one was.
    await run(runtime);
    expect(workers.length).toBeGreaterThan(0);
    expect(workers[0]!.received.find((m) => m.type === 'restore')).toMatchObject({ snapshot: kept });
    runtime.dispose();
  });

  it('a started worker whose snapshot was moved to it (the CLI\'s): later workers get the store\'s again, not the emptied bytes', async () => {
    const stored = new Uint8Array([5, 5, 5]);
    const store = memoryStore(stored);
    const script: Script = (worker, message) => {
      if (message.type === 'restore') worker.send({ ...READY, restored: message.snapshot !== null });
      if (message.type === 'run') worker.send(finished(message.runId));
    };
    // What NodeWorkerHandle.handOverSnapshot leaves on this thread: the bytes' buffer detached.
    const moved = new Uint8Array(new ArrayBuffer(3));
    structuredClone(moved.buffer, { transfer: [moved.buffer] });
    expect(moved.length).toBe(0);
    const early = new FakeWorker(script);
    early.post({ type: 'start', makeSnapshot: true });
    early.post({ type: 'restore', snapshot: moved });
    const { runtime, workers } = host(script, { snapshots: store, spare: false, started: { worker: early, makeSnapshot: true, snapshot: Promise.resolve(moved) } });
    expect((await run(runtime)).end.status).toBe('ok');
    await run(runtime);
    expect(workers[0]!.received.find((m) => m.type === 'restore')).toMatchObject({ snapshot: stored });
    expect(runtime.starts).toMatchObject({ restored: 2, cold: 0, rejected: 0 });
    expect(store.dropped).toBe(0);
    runtime.dispose();
  });

  it('a started worker that rejected its snapshot before the host existed: counted, and the snapshot dropped', async () => {
    const store = memoryStore(new Uint8Array([9, 9]));
    const script: Script = (worker, message) => {
      if (message.type === 'restore') worker.send({ ...READY, restored: message.snapshot !== null });
      if (message.type === 'run') worker.send(finished(message.runId));
    };
    const early = new FakeWorker(script);
    // What it said before anyone listened, held for the host (node-worker-spawn.ts): a cold start
    // after refusing the snapshot it was given. (It was not asked to make one.)
    early.send({ ...READY, restored: false, snapshotRejected: 'Snapshot build id mismatch' });
    const { runtime } = host(script, { snapshots: store, spare: false, started: { worker: early, makeSnapshot: true, snapshot: Promise.resolve(new Uint8Array([9, 9])) } });
    expect((await run(runtime)).end.status).toBe('ok');
    expect(runtime.starts).toMatchObject({ rejected: 1, cold: 1 });
    expect(store.dropped).toBe(1);
    runtime.dispose();
  });

  it('a worker started another way than the host would start one is ended unused', async () => {
    const script: Script = (worker, message) => {
      if (message.type === 'restore') worker.send({ ...READY, restored: message.snapshot !== null });
      if (message.type === 'run') worker.send(finished(message.runId));
    };
    // Asked to make a snapshot, for a host that keeps none (--no-cache): not this host's kind.
    const early = new FakeWorker(script);
    early.post({ type: 'start', makeSnapshot: true });
    const { runtime, workers } = host(script, { started: { worker: early, makeSnapshot: true, snapshot: Promise.resolve(null) } });
    expect(early.terminated).toBe(true);
    expect((await run(runtime)).end.status).toBe('ok');
    expect(early.received.map((m) => m.type)).toEqual(['start']);
    expect(workers[0]!.received[0]).toMatchObject({ type: 'start', makeSnapshot: false });
    runtime.dispose();
  });

  it('a store that keeps its snapshot as a Blob hands later workers the Blob, not the bytes it was given', async () => {
    const made = new Uint8Array([1, 2, 3]);
    const gzipped = new Blob([new Uint8Array([31, 139, 8])]);
    const plain = memoryStore(null);
    const blobby = { ...memoryStore(null), kept: async () => gzipped };
    for (const [store, expected] of [[plain, made], [blobby, gzipped]] as const) {
      const { runtime, workers } = host((worker, message) => {
        if (message.type === 'restore') {
          if (message.snapshot === null && askedToMake(worker)) worker.send({ type: 'snapshot', bytes: made });
          worker.send({ ...READY, restored: message.snapshot !== null });
        }
        if (message.type === 'run') worker.send(finished(message.runId));
      }, { snapshots: store });
      await run(runtime);
      await new Promise((resolve) => setTimeout(resolve, 10)); // the save, then the store's answer
      await run(runtime);
      await run(runtime);
      const given = workers.map((w) => w.received.find((m) => m.type === 'restore')).map((m) => (m?.type === 'restore' ? m.snapshot : undefined));
      expect(given[0]).toBeNull();
      expect(given.at(-1)).toBe(expected);
      runtime.dispose();
    }
  });

  it('once a worker has restored the store’s snapshot, later workers are handed the store’s kept form; without one, what worked', async () => {
    const stored = new Blob([new Uint8Array([31, 139, 8])]); // the gzip, as loaded
    const inflated = new Blob([new Uint8Array([76, 76, 80])]); // the packed form, inflated once
    const cases: [string, SnapshotStore['kept'], Blob][] = [
      ['a kept form', async () => inflated, inflated],
      ['none to give', async () => null, stored],
      ['one that failed', () => Promise.reject(new Error('the codec worker failed')), stored],
    ];
    for (const [name, kept, expected] of cases) {
      let asked = 0;
      const store: SnapshotStore = {
        load: async () => stored,
        save: async () => undefined,
        kept: () => {
          asked++;
          return kept!();
        },
        drop: async () => undefined,
      };
      const { runtime, workers } = host((worker, message) => {
        if (message.type === 'restore') worker.send({ ...READY, restored: message.snapshot !== null });
        if (message.type === 'run') worker.send(finished(message.runId));
      }, { snapshots: store });
      await run(runtime);
      await run(runtime);
      await run(runtime);
      const given = workers.map((w) => w.received.find((m) => m.type === 'restore')).map((m) => (m?.type === 'restore' ? m.snapshot : undefined));
      expect(given[0], name).toBe(stored);
      expect(given.length, name).toBeGreaterThanOrEqual(3);
      for (const later of given.slice(1)) expect(later, name).toBe(expected);
      expect(asked, name).toBe(1); // once per snapshot, not once per worker
      runtime.dispose();
    }
  });

  /**
   * A snapshot whose gzip is sound but whose pages are damaged (found by scrambling 4 kB of a
   * kept one in 24 places: most starts fell back cold inside the engine, one hung in its restore
   * for ever, and before the engine's fix two failed with "Python could not start" at every run).
   * The three shapes the host sees, each with a worker that breaks only when handed that snapshot.
   */
  describe('a snapshot damaged inside is dropped, and Python starts cold', () => {
    const DAMAGED = new Uint8Array([6, 6, 6]);
    const FRESH = new Uint8Array([4, 5]);
    /** A worker that misbehaves as `broken` says when handed DAMAGED, and starts cold (making FRESH) otherwise. */
    const breaksOn = (broken: (worker: FakeWorker) => void): Script => (worker, message) => {
      if (message.type === 'restore') {
        if (message.snapshot === DAMAGED) return broken(worker);
        if (message.snapshot === null && askedToMake(worker)) worker.send({ type: 'snapshot', bytes: FRESH });
        worker.send({ ...READY, restored: message.snapshot !== null });
      }
      if (message.type === 'run') {
        const restored = worker.received.some((m) => m.type === 'restore' && m.snapshot === DAMAGED);
        if (restored) worker.die('memory access out of bounds');
        else {
          worker.send({ type: 'chunk', runId: message.runId, wire: GOOD_WIRE, lines: LINES });
          worker.send(finished(message.runId));
        }
      }
    };
    const handed = (worker: FakeWorker) => worker.received.find((m) => m.type === 'restore');

    /** Begins its restore (everything in hand) and never ends it. */
    const hangsInItsRestore = (worker: FakeWorker): void => worker.send({ type: 'restoring' });

    /** Runs a program as a sound interpreter does. */
    const answersRun = (worker: FakeWorker, message: HostToWorker): void => {
      if (message.type !== 'run') return;
      worker.send({ type: 'chunk', runId: message.runId, wire: GOOD_WIRE, lines: LINES });
      worker.send(finished(message.runId));
    };

    /**
     * The first worker handed DAMAGED never gets Python's files (it never says `restoring`);
     * every later one restores what it is handed, saying `restoring` first, and runs programs.
     */
    const filesNeverComeToTheFirst = (): Script => {
      let handedDamaged = 0;
      return (worker, message) => {
        if (message.type === 'restore' && message.snapshot === DAMAGED && handedDamaged++ === 0) return;
        if (message.type === 'restore') {
          if (message.snapshot !== null) worker.send({ type: 'restoring' });
          worker.send({ ...READY, restored: message.snapshot !== null });
        }
        answersRun(worker, message);
      };
    };

    it('a restore that never ends: given up after restoreTimeoutMs (not startTimeoutMs), and the run starts cold and runs', async () => {
      const store = memoryStore(DAMAGED);
      const { runtime, workers } = host(breaksOn(hangsInItsRestore), { snapshots: store, startTimeoutMs: 60_000, restoreTimeoutMs: 30 });
      const started = performance.now();
      const trace = await run(runtime);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(trace.end.status).toBe('ok');
      expect(trace.events.map((e) => e.kind)).toEqual(['line', 'line', 'output']);
      expect(handed(workers[0]!)).toMatchObject({ snapshot: DAMAGED });
      expect(workers[0]!.terminated).toBe(true);
      expect(handed(workers[1]!)).toMatchObject({ snapshot: null });
      expect(store.dropped).toBe(1);
      expect(store.bytes).toEqual(FRESH); // the cold start's, kept in its place
      expect(runtime.starts).toMatchObject({ rejected: 1, cold: 1 });
      expect(runtime.status.status).not.toBe('failed');
      runtime.dispose();
    });

    it('a worker still waiting for its files (no `restoring` yet) is not given up after restoreTimeoutMs; out of startTimeoutMs, its snapshot is kept, and the run starts again from it', async () => {
      const store = memoryStore(DAMAGED);
      const { runtime, workers } = host(filesNeverComeToTheFirst(), { snapshots: store, startTimeoutMs: 300, restoreTimeoutMs: 20, spare: false });
      const started = performance.now();
      const trace = await run(runtime);
      expect(performance.now() - started).toBeGreaterThanOrEqual(250); // startTimeoutMs, not restoreTimeoutMs
      expect(trace.end.status).toBe('ok');
      expect(workers[0]!.terminated).toBe(true);
      expect(workers[0]!.received.some((m) => m.type === 'run')).toBe(false);
      // The start tried again is handed the same snapshot, restores it and runs the program.
      expect(handed(workers[1]!)).toMatchObject({ snapshot: DAMAGED });
      expect(store.dropped).toBe(0);
      expect(store.bytes).toBe(DAMAGED);
      expect(runtime.starts).toMatchObject({ restored: 1, rejected: 0, cold: 0 });
      runtime.dispose();
    });

    it('a spare still waiting for its files when startTimeoutMs runs out is replaced by another, from the same snapshot: the status never says failed', async () => {
      const store = memoryStore(DAMAGED);
      const { runtime, workers } = host(filesNeverComeToTheFirst(), { snapshots: store, startTimeoutMs: 100, restoreTimeoutMs: 20 });
      const said: string[] = [];
      runtime.onStatus((info) => said.push(info.status));
      const ready = await runtime.ready();
      expect(ready.restored).toBe(true);
      expect(said).not.toContain('failed');
      expect(workers[0]!.terminated).toBe(true);
      expect(handed(workers[1]!)).toMatchObject({ snapshot: DAMAGED });
      expect(store.dropped).toBe(0);
      runtime.dispose();
    });

    it('a snapshot the worker refused itself (starting-cold) is forgotten if the cold start then runs out of time; starting-cold said again does not put the start off', async () => {
      const store = memoryStore(DAMAGED);
      let first = true;
      const { runtime, workers } = host((worker, message) => {
        if (message.type === 'restore' && first) {
          first = false;
          worker.send({ type: 'starting-cold' });
          const again = setInterval(() => (worker.terminated ? clearInterval(again) : worker.send({ type: 'starting-cold' })), 20);
          setTimeout(() => worker.send({ type: 'restoring' }), 30); // out of order: ignored
          return; // the cold start never ends
        }
        if (message.type === 'restore') {
          if (message.snapshot === null && askedToMake(worker)) worker.send({ type: 'snapshot', bytes: FRESH });
          worker.send({ ...READY, restored: message.snapshot !== null });
        }
        answersRun(worker, message);
      }, { snapshots: store, startTimeoutMs: 150, restoreTimeoutMs: 10, spare: false });
      const started = performance.now();
      expect((await run(runtime)).end.status).toBe('ok');
      expect(performance.now() - started).toBeGreaterThanOrEqual(140); // the cold start's wait, once, not restoreTimeoutMs
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(workers[0]!.terminated).toBe(true);
      expect(store.dropped).toBe(1);
      expect(handed(workers[1]!)).toMatchObject({ snapshot: null });
      runtime.dispose();
    });

    it('a restore begun after restoreTimeoutMs has passed since the snapshot was handed over gets its whole wait from then', async () => {
      const store = memoryStore(DAMAGED);
      const { runtime, workers } = host((worker, message) => {
        if (message.type === 'restore') {
          // Its files come after 60 ms; the restore then takes 15 (restoreTimeoutMs: 40).
          setTimeout(() => worker.send({ type: 'restoring' }), 60);
          setTimeout(() => worker.send({ ...READY, restored: message.snapshot !== null }), 75);
        }
        answersRun(worker, message);
      }, { snapshots: store, startTimeoutMs: 5_000, restoreTimeoutMs: 40, spare: false });
      expect((await run(runtime)).end.status).toBe('ok');
      expect(workers[0]!.received.some((m) => m.type === 'run')).toBe(true);
      expect(store.dropped).toBe(0);
      expect(runtime.starts).toMatchObject({ restored: 1, rejected: 0 });
      runtime.dispose();
    });

    it('a start that fails after the restore: the run starts cold and runs; later workers are handed the new snapshot', async () => {
      const store = memoryStore(DAMAGED);
      const { runtime, workers } = host(breaksOn((worker) => worker.send({ type: 'fatal', message: 'Python could not start: memory access out of bounds' })), { snapshots: store });
      expect((await run(runtime)).end.status).toBe('ok');
      expect((await run(runtime)).end.status).toBe('ok');
      expect(store.dropped).toBe(1);
      const given = workers.map((w) => handed(w)).map((m) => (m?.type === 'restore' ? m.snapshot : undefined));
      expect(given.slice(0, 2)).toEqual([DAMAGED, null]);
      expect(given.slice(2).every((g) => g === FRESH)).toBe(true);
      runtime.dispose();
    });

    it('a start that fails because Python’s WebAssembly did not load keeps the snapshot: it is not what failed, and the retry is handed it again', async () => {
      const store = memoryStore(DAMAGED);
      const notLoaded = 'Python could not start: Python’s WebAssembly (pyodide.asm.wasm) could not be loaded (HTTP status code is not ok).';
      const { runtime, workers } = host((worker, message) => {
        if (message.type === 'restore') worker.send({ type: 'fatal', message: notLoaded, wasmNotLoaded: true });
      }, { snapshots: store });
      const trace = await run(runtime);
      expect(limitText(trace)).toBe(notLoaded);
      expect(store.dropped).toBe(0);
      expect(store.bytes).toBe(DAMAGED);
      expect(workers.map((w) => handed(w))).toEqual([expect.objectContaining({ snapshot: DAMAGED }), expect.objectContaining({ snapshot: DAMAGED })]);
      expect(runtime.starts.rejected).toBe(0);
      runtime.dispose();
    });

    it('an interpreter started ahead for nobody yet: its failed restore is not the status; another starts cold at once', async () => {
      const store = memoryStore(DAMAGED);
      const { runtime, workers } = host(breaksOn(hangsInItsRestore), { snapshots: store, restoreTimeoutMs: 30 });
      const ready = await runtime.ready();
      expect(ready.restored).toBe(false);
      expect(workers).toHaveLength(2);
      expect(runtime.status.status).toBe('ready');
      expect((await run(runtime)).end.status).toBe('ok');
      runtime.dispose();
    });

    it.each([
      ['dies (an uncaught error in the worker)', 'dies'],
      ['says its runtime failed (`fatal`: what the worker sends when the interpreter traps in a run)', 'fatal'],
      ['says nothing for stallMs (a hang in the tracer\'s own start of the run)', 'hangs'],
      ['sends something malformed', 'forges'],
    ] as const)('a restored interpreter whose run breaks before the program began (its first chunk), and %s: the snapshot is dropped, and the program runs again in a cold interpreter', async (_how, breaks) => {
      const store = memoryStore(DAMAGED);
      const logged: string[] = [];
      // Restores "fine", then breaks at every run, before the tracer's first chunk (runner.py, say_begun).
      const script: Script = (worker, message) => {
        const damaged = worker.received.some((m) => m.type === 'restore' && m.snapshot === DAMAGED);
        if (!damaged) return breaksOn(() => undefined)(worker, message);
        if (message.type === 'restore') worker.send({ ...READY, restored: true });
        if (message.type !== 'run') return;
        if (breaks === 'dies') worker.die('memory access out of bounds');
        if (breaks === 'fatal') worker.send({ type: 'fatal', message: 'The Python runtime failed: memory access out of bounds' });
        if (breaks === 'forges') worker.send({ type: 'chunk', runId: message.runId, wire: '[["eval"]]', lines: new Int32Array(0) });
      };
      const { runtime, workers } = host(script, { snapshots: store, stallMs: 50, log: (d) => logged.push(d) });
      const first = await run(runtime);
      expect(first.end.status).toBe('ok');
      expect(first.events.map((e) => e.kind)).toEqual(['line', 'line', 'output']);
      expect(store.dropped).toBe(1);
      expect(store.bytes).toEqual(FRESH);
      expect(runtime.starts.rejected).toBe(1);
      // The spare that was handed the same snapshot was ended unused.
      const spares = workers.slice(1).filter((w) => handed(w)?.type === 'restore' && (handed(w) as { snapshot: unknown }).snapshot === DAMAGED);
      expect(spares.every((w) => w.terminated && !w.received.some((m) => m.type === 'run'))).toBe(true);
      expect((await run(runtime)).end.status).toBe('ok');
      expect(logged.join('\n')).toContain('broke before the program began');
      runtime.dispose();
    });

    it('a restored interpreter that breaks before the program began, taking in a source longer than any shell hands over, keeps its snapshot: the size is the program\'s', async () => {
      const store = memoryStore(DAMAGED);
      // Restores "fine", then dies at every run before its first chunk, as 100 M characters made Python's did.
      const { runtime } = host((worker, message) => {
        if (message.type === 'restore') worker.send({ ...READY, restored: message.snapshot !== null });
        if (message.type === 'run') worker.die('MemoryError');
      }, { snapshots: store, spare: false });
      const huge = await runtime.run({ source: `print(1)\n#${'a'.repeat(MAX_SOURCE_CHARS)}\n`, filename: 'main.py' });
      expect(huge.end.status).toBe('limit');
      expect(store.dropped).toBe(0);
      expect(runtime.starts.rejected).toBe(0);
      // The same break with an ordinary source is the snapshot's, as before.
      await run(runtime);
      expect(store.dropped).toBe(1);
      runtime.dispose();
    });

    it('a worker that refuses its snapshot and starts cold says so, and gets a cold start\'s time (startTimeoutMs) from then, not what is left of restoreTimeoutMs', async () => {
      const store = memoryStore(DAMAGED);
      const { runtime, workers } = host((worker, message) => {
        if (message.type === 'restore' && message.snapshot === DAMAGED) {
          worker.send({ type: 'starting-cold' });
          // The cold start takes longer than restoreTimeoutMs.
          setTimeout(() => {
            worker.send({ type: 'snapshot', bytes: FRESH });
            worker.send({ ...READY, restored: false, snapshotRejected: 'the snapshot holds another build\'s tracer' });
          }, 80);
        } else if (message.type === 'restore') {
          worker.send({ ...READY, restored: message.snapshot !== null });
        }
        if (message.type === 'run') {
          worker.send({ type: 'chunk', runId: message.runId, wire: GOOD_WIRE, lines: LINES });
          worker.send(finished(message.runId));
        }
      }, { snapshots: store, restoreTimeoutMs: 20, startTimeoutMs: 5_000 });
      expect((await run(runtime)).end.status).toBe('ok');
      expect(workers[0]!.received.some((m) => m.type === 'run')).toBe(true); // its start was not given up
      expect(store.bytes).toEqual(FRESH);
      expect(runtime.starts).toMatchObject({ rejected: 1, cold: 1 });
      runtime.dispose();
    });

    it('while a run waits for a start that failed and is tried again, the status never says failed', async () => {
      const store = memoryStore(DAMAGED);
      const { runtime } = host(breaksOn((worker) => worker.send({ type: 'fatal', message: 'Python could not start: memory access out of bounds' })), { snapshots: store });
      const said: string[] = [];
      runtime.onStatus((info) => said.push(info.status));
      expect((await run(runtime)).end.status).toBe('ok');
      expect(said).not.toContain('failed');
      runtime.dispose();
    });

    it('a run that breaks before the program began in a cold interpreter is not retried: it ends as it ended', async () => {
      const { runtime, workers } = host((worker, message) => {
        if (message.type === 'restore') worker.send(READY);
        if (message.type === 'run') worker.die('out of memory');
      }, { log: () => undefined });
      expect(limit(await run(runtime))).toMatchObject({ kind: 'limit', reason: 'crashed' });
      expect(workers.filter((w) => w.received.some((m) => m.type === 'run'))).toHaveLength(1);
      runtime.dispose();
    });

    it('a crash after the run has sent something is the program\'s: the snapshot is kept', async () => {
      const store = memoryStore(DAMAGED);
      const { runtime } = host((worker, message) => {
        if (message.type === 'restore') worker.send({ ...READY, restored: message.snapshot !== null });
        if (message.type === 'run') {
          worker.send({ type: 'chunk', runId: message.runId, wire: GOOD_WIRE, lines: LINES });
          worker.die('maximum call stack size exceeded');
        }
      }, { snapshots: store, log: () => undefined });
      expect(limit(await run(runtime))).toMatchObject({ kind: 'limit', reason: 'crashed' });
      expect(store.dropped).toBe(0);
      runtime.dispose();
    });
  });

  it('a rejected snapshot is replaced by the one the cold start makes (or dropped if none)', async () => {
    const store = memoryStore(new Uint8Array([9, 9]));
    const fresh = new Uint8Array([4, 5]);
    const { runtime } = host((worker, message) => {
      if (message.type === 'restore') {
        // Another build's snapshot: refused, the worker starts cold and makes a new one.
        const rejected = message.snapshot instanceof Uint8Array && message.snapshot[0] === 9;
        if ((rejected || message.snapshot === null) && askedToMake(worker)) worker.send({ type: 'snapshot', bytes: fresh });
        worker.send({ ...READY, restored: message.snapshot !== null && !rejected, snapshotRejected: rejected ? 'build id mismatch' : null });
      }
      if (message.type === 'run') worker.send(finished(message.runId));
    }, { snapshots: store });
    expect((await run(runtime)).end.status).toBe('ok');
    expect((await run(runtime)).end.status).toBe('ok');
    expect(store.bytes).toEqual(fresh);
    expect(runtime.starts.rejected).toBe(1);
    runtime.dispose();
  });
});
