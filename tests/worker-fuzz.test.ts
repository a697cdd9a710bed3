/**
 * Whatever a worker sends, what the host hands on is a trace by the contract, or a run ended
 * as the host says. The messages real runs sent (recorded here from the Node runtime, with real
 * Python) are changed at random, by seed: a value in an event swapped for another of any kind
 * (a number past any id, a fraction, a string, a list, nothing), a field dropped or added, an
 * event removed, repeated or moved, a line number or a run id changed, a message dropped,
 * repeated or swapped with the next, `finished` sent early. Each forged run, replayed to the
 * host by a stand-in worker, must end; its trace must read back through the trace file's own
 * schema and cross-reference check (parseTraceFile) and replay on the board at every step; and
 * the same host must then run the recording as sent, to the very trace it gave at first.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnNodeWorker } from '../src/runtime/node-host';
import { RuntimeSupervisor } from '../src/runtime/supervisor';
import { packTrace, parseTraceFile, type Trace } from '../src/shared/trace';
import { BoardIndex } from '../src/trace/board';
import { builtWorker, TUTORIAL_DIR } from './corpus/harness';
import { FakeWorker } from './fake-worker';
import { seeded } from './seeded-random';

/** What one real run's worker sent after it was told to run: its chunks and its `finished`. */
interface Recording {
  name: string;
  messages: Record<string, unknown>[];
  trace: Trace;
}

const PROGRAMS: [string, string][] = [
  ['tutorial 12 (tasks on a loop, sleeps)', readFileSync(join(TUTORIAL_DIR, '12-loop-with-tasks.py'), 'utf8')],
  [
    'a queue, a gather, a timeout, an error',
    [
      'import asyncio',
      'async def worker(q, n):',
      '    while True:',
      '        item = await q.get()',
      '        print(n, item)',
      '        q.task_done()',
      'async def slow():',
      '    await asyncio.sleep(5)',
      'async def main():',
      '    q = asyncio.Queue(maxsize=2)',
      '    tasks = [asyncio.create_task(worker(q, n)) for n in range(2)]',
      '    for i in range(5):',
      '        await q.put(i)',
      '    await q.join()',
      '    for t in tasks:',
      '        t.cancel()',
      '    print(await asyncio.gather(*tasks, return_exceptions=True))',
      '    try:',
      '        await asyncio.wait_for(slow(), 0.5)',
      '    except TimeoutError:',
      '        print("timed out")',
      '    raise ValueError("done here")',
      'asyncio.run(main())',
      '',
    ].join('\n'),
  ],
];

let recordings: Recording[] = [];

beforeAll(async () => {
  const workerPath = builtWorker();
  let sent: Record<string, unknown>[] = [];
  const runtime = new RuntimeSupervisor(() => {
    const real = spawnNodeWorker(workerPath);
    return {
      ...real,
      onMessage: (handler) =>
        real.onMessage((message) => {
          const type = (message as { type?: unknown }).type;
          if (type === 'chunk' || type === 'finished') sent.push(message as Record<string, unknown>);
          handler(message);
        }),
    };
  }, { stallMs: 60_000 });
  try {
    for (const [name, source] of PROGRAMS) {
      sent = [];
      const trace = await runtime.run({ source, filename: 'main.py' });
      recordings.push({ name, messages: sent, trace });
    }
  } finally {
    runtime.dispose();
  }
}, 120_000);

afterAll(() => {
  recordings = [];
});

const READY = { type: 'ready', startupMs: 5, pythonVersion: '3.14.2', restored: false, snapshotRejected: null, calibrationMs: 1.6, memoryLimitBytes: 384 * 1024 * 1024 };

/** Values of every kind, for a value in an event or a message. */
const ODD_VALUES: unknown[] = [-1, 0, 1, 3, 0.5, 2 ** 31, 2 ** 53, 1e308, -0, '', 'x', 'Task-1', '__proto__', 'x'.repeat(5000), null, true, false, [], [0], ['t', 0], {}, { kind: 'yield' }];

/** One recording's messages, changed by `random`: a copy; the recording is left as it was. */
function forge(messages: readonly Record<string, unknown>[], random: () => number): Record<string, unknown>[] {
  const pick = <T>(from: readonly T[]): T => from[Math.floor(random() * from.length)]!;
  const forged = messages.map((m): Record<string, unknown> => ({
    ...m,
    ...(typeof m.wire === 'string' ? { wire: JSON.parse(m.wire) as unknown[] } : {}),
    ...(m.lines instanceof Int32Array ? { lines: Int32Array.from(m.lines) } : {}),
  }));
  const changes = 1 + Math.floor(random() * 3);
  for (let c = 0; c < changes; c++) {
    const at = Math.floor(random() * forged.length);
    const message = forged[at]!;
    const wire = Array.isArray(message.wire) ? (message.wire as unknown[]) : null;
    switch (Math.floor(random() * 10)) {
      case 0:
      case 1:
      case 2: {
        // A value inside an event (or a line marker) swapped for another.
        if (wire === null || wire.length === 0) break;
        const index = Math.floor(random() * wire.length);
        const event = wire[index];
        if (Array.isArray(event) && event.length > 1) event[1 + Math.floor(random() * (event.length - 1))] = pick(ODD_VALUES);
        else wire[index] = pick(ODD_VALUES);
        break;
      }
      case 3: {
        // A field of an event dropped, or one added.
        if (wire === null || wire.length === 0) break;
        const event = pick(wire);
        if (Array.isArray(event)) {
          if (random() < 0.5) event.pop();
          else event.push(pick(ODD_VALUES));
        }
        break;
      }
      case 4: {
        // An event removed, repeated, or moved.
        if (wire === null || wire.length === 0) break;
        const index = Math.floor(random() * wire.length);
        const [event] = wire.splice(index, 1);
        const kind = random();
        if (kind < 0.33) break;
        wire.splice(Math.floor(random() * (wire.length + 1)), 0, event);
        if (kind < 0.66) wire.splice(index, 0, event);
        break;
      }
      case 5: {
        // A line number changed.
        const lines = message.lines;
        if (!(lines instanceof Int32Array) || lines.length === 0) break;
        lines[Math.floor(random() * lines.length)] = pick([-1, 0, 1, 2, 50, 10_000, 2 ** 31 - 1]);
        break;
      }
      case 6:
        // A field of the message itself.
        message[pick(['runId', 'exitCode', 'clock', 'wallMs', 'limited', 'memoryPeakBytes', 'damaged', 'type'])] = pick(ODD_VALUES);
        break;
      case 7:
        // A message dropped, or repeated.
        if (random() < 0.5) forged.splice(at, 1);
        else forged.splice(at, 0, { ...message });
        break;
      case 8:
        // A message swapped with the next.
        if (at + 1 < forged.length) [forged[at], forged[at + 1]] = [forged[at + 1]!, message];
        break;
      default: {
        // `finished` sent early.
        const finished = forged.find((m) => m.type === 'finished');
        if (finished) forged.splice(Math.floor(random() * forged.length), 0, { ...finished });
        break;
      }
    }
  }
  return forged.map((m) => (Array.isArray(m.wire) ? { ...m, wire: JSON.stringify(m.wire) } : m));
}

/** A host whose stand-in worker answers a run with `messages()` (their run id made the run's, unless it was changed). */
function replaying(recording: Recording, messages: () => Record<string, unknown>[]): RuntimeSupervisor {
  const recordedRunId = recording.messages[0]!.runId;
  return new RuntimeSupervisor(
    () =>
      new FakeWorker((worker, message) => {
        if (message.type === 'restore') worker.send(READY);
        if (message.type === 'run') {
          for (const m of messages()) worker.send(m.runId === recordedRunId ? { ...m, runId: message.runId } : m);
        }
      }),
    { stallMs: 200, log: () => undefined },
  );
}

/** How the forged runs ended: a limit's reason, else the run's status; with how many ended so. */
const outcomes = new Map<string, number>();

const run = (runtime: RuntimeSupervisor, recording: Recording): Promise<Trace> =>
  runtime.run({ source: recording.trace.source, filename: recording.trace.filename });

describe('forged worker messages', () => {
  it('the recordings are real runs of real Python', () => {
    expect(recordings.map((r) => r.trace.end.status)).toEqual(['ok', 'error']);
    expect(recordings[1]!.trace.events.filter((e) => e.kind === 'output').map((e) => (e.kind === 'output' ? e.text : '')).join('')).toContain('timed out\n');
    for (const r of recordings) expect(r.messages.at(-1)).toMatchObject({ type: 'finished' });
  });

  it.each(Array.from({ length: 300 }, (_, seed) => seed))('seed %i: the run ends with a trace by the contract, the board replays it, and the host runs the next as sent', async (seed) => {
    const random = seeded(seed + 1);
    const recording = recordings[seed % recordings.length]!;
    const forged = forge(recording.messages, random);
    let honest = false;
    const runtime = replaying(recording, () => (honest ? recording.messages : forged));
    try {
      const trace = await run(runtime, recording);
      const last = trace.events.at(-1);
      const outcome = last?.kind === 'limit' ? last.reason : trace.end.status;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      const read = parseTraceFile(JSON.parse(JSON.stringify(packTrace(trace))));
      expect(read.events).toHaveLength(trace.events.length);
      const board = new BoardIndex(read);
      for (let i = -1; i < read.events.length; i++) board.at(i);
      if (trace.end.status === 'limit') expect(trace.events.at(-1)?.kind).toBe('limit');
      honest = true;
      const next = await run(runtime, recording);
      expect({ ...next, end: { ...next.end, wallMs: 0 } }).toEqual({ ...recording.trace, end: { ...recording.trace.end, wallMs: 0 } });
    } finally {
      runtime.dispose();
    }
  });

  it('the forgeries reached both sides of the host’s checks: some runs ended as damaged, some were taken as sent', () => {
    expect(outcomes.get('damaged') ?? 0).toBeGreaterThan(30);
    expect((outcomes.get('ok') ?? 0) + (outcomes.get('error') ?? 0)).toBeGreaterThan(30);
  });
});
