/**
 * The player's benchmarks, in Debian's Chromium against the built browser edition (out/web):
 *  - frame times while playing a 200-task program at 8× (requestAnimationFrame deltas, and the
 *    long animation frames Chromium reports), and a server with 200 clients × 10 messages;
 *  - the time to show an arbitrary step of a 100,000-step trace (seek, render, lay out);
 *  - the time from page load to ready-to-play (Python up, the first program traced and shown);
 *  - the longest UI frame while each of issue 5's bad programs runs and is shown.
 * Run it with `npx tsx bench/ui.ts`, or through `npm run bench`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { BAD_PROGRAMS } from '../e2e/bad-programs';
import { type LongFrame, longest, longFrames, watchLongFrames } from '../e2e/long-frames';
import { serveWeb } from '../scripts/web-server';
import type { CallbackInfo, TaskInfo, Trace, TraceEvent } from '../src/shared/trace';
import { TRACE_VERSION } from '../src/shared/trace';
import { SERVER_PROGRAM } from './runtime';
import { type BenchRow, formatBenchTable, median, percentile } from './table';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

/** 200 tasks that each sleep a few times: a busy board (Ready and Sleeping hold up to 200 cards). */
export const TWO_HUNDRED_TASKS = `import asyncio

async def worker(n):
    total = 0
    for i in range(3):
        total += i
        await asyncio.sleep(0.001 * (n % 7 + 1))
    print('worker', n, 'done')
    return total

async def main():
    results = await asyncio.gather(*(worker(n) for n in range(200)))
    print(sum(results))

asyncio.run(main())
`;

/**
 * A contract-valid trace of about `size` events: `tasks` tasks that print, sleep on a timer,
 * are woken by the timer's callback, and go round again; then they all finish.
 */
export function syntheticTrace(size: number, tasks = 50): Trace {
  const source = [
    'import asyncio',
    '',
    'async def worker(n):',
    '    while True:',
    "        print('tick', n)",
    '        await asyncio.sleep(0.001)',
    '',
    'async def main():',
    '    await asyncio.gather(*(worker(n) for n in range(50)))',
    '',
    'asyncio.run(main())',
    '',
  ].join('\n');
  const events: TraceEvent[] = [];
  const infos: TaskInfo[] = [];
  const callbacks: CallbackInfo[] = [];
  events.push({ kind: 'line', line: 1, task: null, callback: null });
  events.push({ kind: 'loop', loop: 0, action: 'new' });
  for (let t = 0; t < tasks; t++) {
    infos.push({ id: t, name: `Task-${t + 1}`, coro: `worker(${t})`, creator: null, loop: 0, internal: false, createdAt: events.length });
    events.push({ kind: 'task', task: t });
    events.push({ kind: 'push', loop: 0, item: { kind: 'task', task: t }, reason: 'start' });
  }
  events.push({ kind: 'loop', loop: 0, action: 'run' });
  let clock = 0;
  let handle = 0;
  while (events.length < size - tasks * 3 - 3) {
    const timers: number[] = [];
    for (let t = 0; t < tasks; t++) {
      events.push({ kind: 'pop', loop: 0, item: { kind: 'task', task: t }, cancelled: false });
      events.push({ kind: 'line', line: 5, task: t, callback: null });
      events.push({ kind: 'output', stream: 'stdout', text: `tick ${t}\n` });
      events.push({ kind: 'line', line: 6, task: t, callback: null });
      const when = Number((clock + 0.001).toFixed(6));
      callbacks.push({ id: handle, label: '_set_result_unless_cancelled', user: false, line: null });
      events.push({ kind: 'timer', loop: 0, timer: handle, when });
      events.push({ kind: 'suspend', task: t, wait: { kind: 'sleep', timer: handle, until: when }, line: 6 });
      timers.push(handle++);
    }
    clock = Number((clock + 0.001).toFixed(6));
    events.push({ kind: 'clock', time: clock });
    for (const h of timers) events.push({ kind: 'push', loop: 0, item: { kind: 'callback', callback: h }, reason: 'timer' });
    timers.forEach((h, t) => {
      events.push({ kind: 'pop', loop: 0, item: { kind: 'callback', callback: h }, cancelled: false });
      events.push({ kind: 'push', loop: 0, item: { kind: 'task', task: t }, reason: 'wake' });
      events.push({ kind: 'callback_end', callback: h });
    });
  }
  for (let t = 0; t < tasks; t++) {
    events.push({ kind: 'pop', loop: 0, item: { kind: 'task', task: t }, cancelled: false });
    events.push({ kind: 'line', line: 4, task: t, callback: null });
    events.push({ kind: 'done', task: t, outcome: 'result', text: 'None', line: null });
  }
  events.push({ kind: 'loop', loop: 0, action: 'stop' });
  events.push({ kind: 'loop', loop: 0, action: 'close' });
  const lineSteps = events.filter((e) => e.kind === 'line').length;
  return {
    version: TRACE_VERSION,
    filename: 'synthetic.py',
    source,
    tasks: infos,
    callbacks,
    events,
    end: { status: 'ok', exitCode: 0, clock, wallMs: 0, lineSteps, maxSteps: Math.max(lineSteps, 10_000) },
  };
}

interface DebugHook {
  loadTrace(trace: Trace): number;
  showStep(step: number): number;
  step(): number;
  length(): number;
  playing(): boolean;
}

async function openPlayer(page: Page, url: string): Promise<void> {
  // tsx compiles the functions handed to page.evaluate with esbuild's keepNames helper.
  await page.addInitScript('globalThis.__name = (fn) => fn;');
  await page.goto(`${url}?debug#/scratchpad`);
  await page.locator('body[data-ready="true"]').waitFor({ timeout: 120_000 });
  await page.getByRole('button', { name: 'Run', exact: true }).waitFor();
}

async function readyToPlay(url: string): Promise<number[]> {
  const times: number[] = [];
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage();
      await page.goto(`${url}#/scratchpad`);
      await page.locator('body[data-ready="true"]').waitFor({ timeout: 120_000 });
      times.push(await page.evaluate(() => performance.getEntriesByName('loop-lab:ready-to-play')[0]?.startTime ?? NaN));
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return times;
}

interface Frames {
  intervals: number[];
  work: number[];
  long: number;
  steps: number;
  tasks: number;
}

async function framesWhilePlaying(url: string): Promise<Frames> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await openPlayer(page, url);
    // Type the program as a learner would paste it, and run it.
    const editor = page.getByRole('region', { name: 'Code', exact: true }).getByRole('textbox');
    await editor.click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(TWO_HUNDRED_TASKS);
    const serial = await page.locator('body').getAttribute('data-trace');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction((s) => document.body.dataset.trace !== s, serial, { timeout: 60_000 });
    return await playAt8(page);
  } finally {
    await browser.close();
  }
}

/**
 * Frame times while a trace recorded by the Node runtime plays at 8× (for programs past the
 * app's own run limits: the 200-client server takes ~15,000 line steps).
 */
async function framesPlayingTrace(url: string, trace: Trace): Promise<Frames & { load: number }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await openPlayer(page, url);
    const load = await page.evaluate((t) => (window as unknown as { loopLabDebug: DebugHook }).loopLabDebug.loadTrace(t), trace);
    return { ...(await playAt8(page)), load };
  } finally {
    await browser.close();
  }
}

/** Plays the trace on screen at 8× for up to 8 s and measures each frame. */
async function playAt8(page: Page): Promise<Frames> {
  const tasks = await page.evaluate(() => document.querySelectorAll('.timeline .rows g').length);
  await page.getByRole('combobox', { name: 'Speed' }).selectOption('8');
  await page.locator('#narration-title').click();
  return await page.evaluate(async () => {
    const debug = (window as unknown as { loopLabDebug: DebugHook }).loopLabDebug;
    let long = 0;
    const observer = new PerformanceObserver((list) => {
      long += list.getEntries().length;
    });
    try {
      observer.observe({ type: 'long-animation-frame', buffered: false });
    } catch {
      // Not supported: the other measures still tell.
    }
    const intervals: number[] = [];
    const work: number[] = [];
    const channel = new MessageChannel();
    let frameStart = 0;
    // A message posted from requestAnimationFrame arrives once the frame's rendering
    // (style, layout, paint) is done: its arrival minus the frame's start is the frame's work.
    channel.port1.onmessage = () => work.push(performance.now() - frameStart);
    const start = debug.step();
    (document.querySelector('button[aria-label="Play"]') as HTMLButtonElement).click();
    await new Promise<void>((resolve) => {
      let last = performance.now();
      const began = last;
      const frame = (now: number): void => {
        intervals.push(now - last);
        last = now;
        frameStart = now;
        channel.port2.postMessage(0);
        if (now - began < 8000 && debug.playing()) requestAnimationFrame(frame);
        else resolve();
      };
      requestAnimationFrame(frame);
    });
    await new Promise((r) => setTimeout(r, 50));
    observer.disconnect();
    return { intervals: intervals.slice(2), work: work.slice(2), long, steps: debug.step() - start };
  }).then((r) => ({ ...r, tasks }));
}

/** The 200-client server's trace, recorded by the built Node runtime (out/node). */
async function serverTrace(): Promise<Trace> {
  type NodeHost = typeof import('../src/runtime/node-host');
  const { createNodeRuntime, testSnapshotStore } = (await import(join(import.meta.dirname, '..', 'out/node/node-host.js'))) as NodeHost;
  const runtime = createNodeRuntime({ snapshots: testSnapshotStore(), stallMs: 120_000 });
  try {
    const source = readFileSync(SERVER_PROGRAM, 'utf8');
    return await runtime.run({ source, filename: 'server_200_clients.py', options: { maxSteps: 5_000_000, wallSeconds: 120 } });
  } finally {
    runtime.dispose();
  }
}

/** Runs each bad program in the scratchpad; the longest frame from pressing Run to its trace shown, its end and the step before. */
async function framesWithBadPrograms(url: string): Promise<{ name: string; frame: LongFrame }[]> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await watchLongFrames(page);
    await openPlayer(page, url);
    const out: { name: string; frame: LongFrame }[] = [];
    for (const bad of BAD_PROGRAMS) {
      if (bad.open) {
        const chooser = page.waitForEvent('filechooser');
        await page.getByRole('button', { name: /Open/ }).click();
        await (await chooser).setFiles({ name: 'big.py', mimeType: 'text/x-python', buffer: Buffer.from(bad.source) });
      } else {
        const editor = page.getByRole('region', { name: 'Code', exact: true }).getByRole('textbox');
        await editor.click();
        await page.keyboard.press('ControlOrMeta+a');
        await page.keyboard.press('Delete');
        await page.keyboard.insertText(bad.source);
      }
      await page.waitForTimeout(300);
      await longFrames(page); // typing and opening are not what this measures
      const serial = await page.locator('body').getAttribute('data-trace');
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await page.waitForFunction((s) => document.body.dataset.trace !== s, serial, { timeout: 60_000 });
      // Then what a learner does next: jump to where it ended, and step back from there.
      const jump = page.getByRole('button', { name: 'Jump to end', exact: true });
      if (await jump.isEnabled()) {
        await jump.click();
        await page.getByRole('button', { name: 'Step back', exact: true }).click();
      }
      out.push({ name: bad.name, frame: longest(await longFrames(page)) });
    }
    return out;
  } finally {
    await browser.close();
  }
}

async function showSteps(url: string, trace: Trace): Promise<{ load: number; times: number[] }> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await openPlayer(page, url);
    const load = await page.evaluate((t) => (window as unknown as { loopLabDebug: DebugHook }).loopLabDebug.loadTrace(t), trace);
    const times = await page.evaluate((n) => {
      const debug = (window as unknown as { loopLabDebug: DebugHook }).loopLabDebug;
      // A fixed pseudo-random walk over the whole trace, far jumps every time.
      let seed = 12345;
      const out: number[] = [];
      for (let i = 0; i < 40; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        out.push(debug.showStep(seed % n));
      }
      return out;
    }, trace.events.length);
    return { load, times: times.slice(5) };
  } finally {
    await browser.close();
  }
}

export async function benchUi(): Promise<BenchRow[]> {
  const server = await serveWeb({ port: 0 });
  try {
    const rows: BenchRow[] = [];

    const ready = await readyToPlay(server.url);
    rows.push({
      name: 'page load → ready to play',
      value: median(ready),
      unit: 'ms',
      note: `median of ${ready.length} fresh pages: Python starts, the scratchpad's program is traced and shown`,
    });

    const frames = await framesWhilePlaying(server.url);
    const p95 = percentile(frames.work, 95);
    const dropped = frames.intervals.filter((d) => d > 1.5 * (1000 / 60)).length;
    rows.push({
      name: `frame time, ${frames.tasks} tasks playing at 8× (p95)`,
      value: p95,
      unit: 'ms',
      goal: '≤ 16.7 ms',
      ok: p95 <= 16.7,
      note:
        `${frames.work.length} frames over ${frames.steps} steps: frame start → rendering done; median ${median(frames.work).toFixed(1)} ms, ` +
        `max ${Math.max(...frames.work).toFixed(1)} ms; rAF interval p95 ${percentile(frames.intervals, 95).toFixed(1)} ms, ` +
        `${dropped} frames late; ${frames.long} long animation frames`,
    });

    const network = await framesPlayingTrace(server.url, await serverTrace());
    const netP95 = percentile(network.work, 95);
    rows.push({
      name: 'frame time, a server with 200 clients × 10 messages at 8× (p95)',
      value: netP95,
      unit: 'ms',
      goal: '≤ 16.7 ms',
      ok: netP95 <= 16.7,
      note:
        `${network.work.length} frames over ${network.steps} steps, ${network.tasks} tasks, the Network lane showing; ` +
        `median ${median(network.work).toFixed(1)} ms, max ${Math.max(...network.work).toFixed(1)} ms; ` +
        `${network.long} long animation frames; loading the trace took ${Math.round(network.load)} ms`,
    });

    const bad = await framesWithBadPrograms(server.url);
    const worstBad = bad.reduce((a, b) => (b.frame.duration > a.frame.duration ? b : a));
    rows.push({
      name: `longest frame while a bad program runs (${bad.length} programs)`,
      value: worstBad.frame.duration,
      unit: 'ms',
      goal: '≤ 100 ms',
      ok: worstBad.frame.duration <= 100,
      note:
        `worst: ${worstBad.name}${worstBad.frame.scripts.length ? ` (${worstBad.frame.scripts.join(', ')})` : ''}; ` +
        `each: ${bad.map((b) => Math.round(b.frame.duration)).join(', ')} ms (0 = no frame over 50 ms)`,
    });

    const trace = syntheticTrace(100_000);
    const shown = await showSteps(server.url, trace);
    const worst = percentile(shown.times, 95);
    rows.push({
      name: `show any step of a ${trace.events.length.toLocaleString('en')}-step trace (p95)`,
      value: worst,
      unit: 'ms',
      goal: '≤ 16 ms',
      ok: worst <= 16,
      note: `${shown.times.length} far jumps: seek, render, lay out; median ${median(shown.times).toFixed(1)} ms`,
    });
    rows.push({
      name: `load that trace into the player`,
      value: shown.load,
      unit: 'ms',
      note: 'board snapshots, timeline, console, first render (once per run)',
    });
    return rows;
  } finally {
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(formatBenchTable('Player (browser edition in Chromium)', await benchUi()));
}
