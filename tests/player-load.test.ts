/**
 * Player.load with the real Player and Session: a short trace is shown in the task it was built
 * in; a long one is built in slices (bench/ui.ts measures the frames), and a program opened
 * while it is built keeps the step its shared link asked for.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { syntheticTrace } from '../bench/synthetic-trace';
import type { TraceStore } from '../src/renderer/lib/trace-store';
import { Player } from '../src/renderer/state/player.svelte';
import { Session } from '../src/renderer/state/session.svelte';
import type { LoopLabBridge } from '../src/shared/ipc';
import type { Trace } from '../src/shared/trace';

const fixture = (name: string): Trace => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures/player', `${name}.trace.json`), 'utf8')) as Trace;
const newPlayer = (): Player => new Player({ reducedMotion: () => true, internals: () => false });
const settle = async (): Promise<void> => {
  for (let i = 0; i < 200; i++) await new Promise((resolve) => setTimeout(resolve, 0));
};

describe('Player.load', () => {
  it('shows a short trace in the task it was built in', async () => {
    const player = newPlayer();
    let otherTaskRan = false;
    setTimeout(() => (otherTaskRan = true), 0);
    await player.load(fixture('queue'));
    expect(otherTaskRan).toBe(false);
    expect(player.length).toBeGreaterThan(0);
  });

  it('gives the event loop back while it builds a long trace', async () => {
    const player = newPlayer();
    let otherTaskRan = false;
    setTimeout(() => (otherTaskRan = true), 0);
    const long = syntheticTrace(100_000);
    await player.load(long);
    expect(otherTaskRan).toBe(true);
    expect(player.trace).toBe(long);
  });

  it('a shared link opened while the last program\'s long trace is built keeps its step', async () => {
    // Both long: the first program's build ends while the link's is still under way.
    const long = syntheticTrace(100_000);
    const linked: Trace = { ...syntheticTrace(100_000), source: `${long.source}# shared\n` };
    const first = { key: 'lesson:a/main.py', title: 'a', summary: '', filename: long.filename, source: long.source };
    const second = { key: 'lesson:b/main.py', title: 'b', summary: '', filename: linked.filename, source: linked.source };
    const player = newPlayer();
    const bridge = { onStatus: () => () => {}, run: async () => long } as unknown as LoopLabBridge;
    const traces = {
      find: async (input: { source: string }) => ({ key: 'k', from: 'shipped', trace: input.source === long.source ? long : linked }),
      remember: async () => {},
    } as unknown as TraceStore;
    const session = new Session(bridge, player, { traces });
    session.open(first);
    await new Promise((resolve) => setTimeout(resolve, 0)); // the long trace is being built
    session.open(second, { step: 3, trace: linked }); // a click on a shared link, at step 3
    await settle();
    expect(player.trace).toBe(linked);
    expect(player.step).toBe(3);
  });
});
