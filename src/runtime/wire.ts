/**
 * Decodes the tracer's compact wire form (see python/_looplab/wire.py) into the trace
 * contract. A chunk is a list of events plus the line numbers of its LINE events (an int32
 * array); in the list, a bare number N means "the LINE events up to the N-th line number of
 * the run come here". Stateful, because a LINE event belongs to whatever the loop is running
 * at that moment, which only the events before it tell.
 */
import type {
  CallbackInfo,
  LimitReason,
  LoopAction,
  Outcome,
  PushReason,
  QueueItem,
  TaskInfo,
  TraceEvent,
  Wait,
} from '../shared/trace';

/** A wire event: a marker (line events up to this count), or `[code, ...fields]`. */
export type WireEvent = number | [string, ...unknown[]];

/** The line numbers of a chunk's LINE events, in order. */
export type WireLines = ArrayLike<number>;

export interface DecodedChunk {
  events: TraceEvent[];
  tasks: TaskInfo[];
  callbacks: CallbackInfo[];
}

type WireItem = ['t' | 'c', number];

function item(raw: unknown): QueueItem {
  const [kind, id] = raw as WireItem;
  return kind === 't' ? { kind: 'task', task: id } : { kind: 'callback', callback: id };
}

function items(raw: unknown): QueueItem[] {
  return (raw as unknown[]).map(item);
}

const num = (v: unknown): number => v as number;
const str = (v: unknown): string => v as string;
const numOrNull = (v: unknown): number | null => (typeof v === 'number' ? v : null);

export class WireDecoder {
  /** How many events have been decoded so far: the index the next event will get. */
  private index = 0;
  private runningTask: number | null = null;
  private runningCallback: number | null = null;
  /** LINE events decoded so far, over the whole run. */
  lineSteps = 0;

  decode(wire: WireEvent[], lines: WireLines): DecodedChunk {
    const out: DecodedChunk = { events: [], tasks: [], callbacks: [] };
    const chunkStart = this.lineSteps;
    for (const raw of wire) {
      if (typeof raw === 'number') {
        const task = this.runningTask;
        const callback = this.runningCallback;
        const events = out.events;
        for (let n = this.lineSteps; n < raw; n++) {
          const line = lines[n - chunkStart];
          if (line === undefined) throw new Error(`wire: line ${n} is missing from its chunk`);
          events.push({ kind: 'line', line, task, callback });
        }
        if (raw > this.lineSteps) {
          this.index += raw - this.lineSteps;
          this.lineSteps = raw;
        }
        continue;
      }
      const [code, a, b, c, d, e, f] = raw;
      switch (code) {
        case 'task':
          out.tasks.push({
            id: num(a),
            name: str(b),
            coro: str(c),
            creator: numOrNull(d),
            loop: num(e),
            internal: f === 1,
            createdAt: this.index,
          });
          this.push(out, { kind: 'task', task: num(a) });
          break;
        case 'rename':
          this.push(out, { kind: 'rename', task: num(a), name: str(b) });
          break;
        case 'cb':
          // Not a step of its own: the callback's details, first seen here.
          out.callbacks.push({ id: num(a), label: str(b), user: c === 1, line: numOrNull(d) });
          break;
        case 'push': {
          const event: TraceEvent = { kind: 'push', loop: num(a), item: item(b), reason: c as PushReason };
          if (d !== undefined) event.real = items(d);
          this.push(out, event);
          break;
        }
        case 'pop': {
          const popped = item(b);
          const event: TraceEvent = { kind: 'pop', loop: num(a), item: popped, cancelled: c === 1 };
          if (d !== undefined) event.real = items(d);
          this.push(out, event);
          if (c !== 1) {
            this.runningTask = popped.kind === 'task' ? popped.task : null;
            this.runningCallback = popped.kind === 'callback' ? popped.callback : null;
          }
          break;
        }
        case 'susp':
          this.push(out, { kind: 'suspend', task: num(a), wait: b as Wait, line: numOrNull(c) });
          this.idle();
          break;
        case 'cbend':
          this.push(out, { kind: 'callback_end', callback: num(a) });
          this.idle();
          break;
        case 'done':
          this.push(out, {
            kind: 'done',
            task: num(a),
            outcome: b as Outcome,
            text: str(c),
            line: numOrNull(d),
          });
          if (this.runningTask === num(a)) this.idle();
          break;
        case 'timer':
          this.push(out, { kind: 'timer', loop: num(a), timer: num(b), when: numOrNull(c) });
          break;
        case 'tcan':
          this.push(out, { kind: 'timer_cancel', loop: num(a), timer: num(b) });
          break;
        case 'clock':
          this.push(out, { kind: 'clock', time: num(a) });
          break;
        case 'out':
          this.push(out, { kind: 'output', stream: a === 'stderr' ? 'stderr' : 'stdout', text: str(b) });
          break;
        case 'loop':
          this.push(out, { kind: 'loop', loop: num(a), action: b as LoopAction });
          if (b === 'stop') this.idle();
          break;
        case 'block':
          this.push(out, { kind: 'block', seconds: num(a), line: numOrNull(b) });
          break;
        case 'exc':
          this.idle();
          this.push(out, { kind: 'exception', type: str(a), message: str(b), line: numOrNull(c) });
          break;
        case 'limit':
          this.idle();
          this.push(out, { kind: 'limit', reason: a as LimitReason, message: str(b) });
          break;
        default:
          throw new Error(`unknown wire event ${JSON.stringify(code)}`);
      }
    }
    return out;
  }

  private push(out: DecodedChunk, event: TraceEvent): void {
    out.events.push(event);
    this.index++;
  }

  private idle(): void {
    this.runningTask = null;
    this.runningCallback = null;
  }
}
