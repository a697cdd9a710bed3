/**
 * Where a program's trace comes from before Python is asked: the traces the app ships for its
 * lessons (recorded at build time, scripts/record-traces.ts), then the traces this computer
 * has already seen (trace-cache.ts). Both are found by the trace key, which only the same
 * source, file name and runtime can give, so a trace found is the trace a fresh run would give.
 */
import { parseTraceFile, type RuntimeId, sameRuntime, type Trace } from '../../shared/trace';
import { type TraceKeyInput, traceKey } from '../../shared/trace-key';
import { RUNTIME_ID } from '../../runtime/runtime-id';
import type { ShippedIndex } from '../../shared/shipped-traces';
import { fetchShippedTrace } from './shipped-fetch';
import type { TraceCache } from './trace-cache';

/** Limits no run of the same source ends the same way twice: those traces are never kept. */
const NOT_REPEATABLE = new Set(['time', 'stopped', 'crashed', 'damaged', 'memory']);
/**
 * Steps past which a trace is not kept: a runaway program's million steps would cost the page
 * a long pause to pack and store, for a run nobody needs twice.
 */
const MAX_KEPT_STEPS = 200_000;

export interface FoundTrace {
  key: string;
  trace: Trace;
  /** Shipped with the app, or kept from an earlier run on this computer. */
  from: 'shipped' | 'cache';
}

/** True when two inputs make the same trace key (what traceKey reads of them is equal). */
function sameKeyInput(a: TraceKeyInput, b: TraceKeyInput): boolean {
  const x = a.options ?? {};
  const y = b.options ?? {};
  return (
    a.source === b.source &&
    a.filename === b.filename &&
    x.maxSteps === y.maxSteps &&
    x.maxOutputChars === y.maxOutputChars &&
    x.verify === y.verify
  );
}

export class TraceStore {
  /** The keys of the traces the app ships (none if they were recorded by another runtime). */
  readonly #shipped: ReadonlySet<string>;

  constructor(
    private readonly cache: TraceCache | null,
    /** The index of the shipped traces (built in: `virtual:looplab/shipped-index`); null if none. */
    shipped: ShippedIndex | null,
    /** Where `traces/` is served from (the app's base URL). */
    private readonly base: string = document.baseURI,
    private readonly runtime: RuntimeId = RUNTIME_ID,
  ) {
    const current = shipped !== null && sameRuntime(shipped.runtime, runtime);
    this.#shipped = new Set(current ? Object.keys(shipped.traces) : []);
  }

  /** The last key worked out, and what it was made of (see `key`). */
  #last: { input: TraceKeyInput; key: string } | null = null;

  /**
   * The trace key of `input`. A run asks for it twice, when it starts (`find`) and when it is
   * kept (`remember`), with the same source: the last one is remembered, since hashing a long
   * program costs (a 1 MB source: 25–55 ms of SHA-256 on the UI thread, in the task that shows
   * its trace).
   */
  key(input: TraceKeyInput): string {
    const last = this.#last;
    if (last !== null && sameKeyInput(last.input, input)) return last.key;
    const key = traceKey(input, this.runtime);
    this.#last = { input, key };
    return key;
  }

  /** The recorded trace of this run, if the app ships it or this computer kept it; else null. */
  async find(input: TraceKeyInput): Promise<FoundTrace | null> {
    const key = this.key(input);
    if (this.#shipped.has(key)) {
      try {
        const file = await fetchShippedTrace(key, this.base);
        if (file !== null) return { key, trace: parseTraceFile(file), from: 'shipped' };
      } catch {
        // A missing or damaged file: the program runs instead.
      }
    }
    const kept = (await this.cache?.get(key)) ?? null;
    return kept ? { key, trace: kept, from: 'cache' } : null;
  }

  /** Keeps a fresh run's trace for next time, when another run would give the same one. */
  async remember(input: TraceKeyInput, trace: Trace): Promise<void> {
    const last = trace.events[trace.events.length - 1];
    if (last?.kind === 'limit' && NOT_REPEATABLE.has(last.reason)) return;
    if (trace.events.length > MAX_KEPT_STEPS) return;
    await this.cache?.put(this.key(input), trace, this.runtime);
  }
}
