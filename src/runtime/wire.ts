/**
 * Decodes the tracer's compact wire form (see python/_looplab/wire.py) into the trace
 * contract. A chunk is JSON text, a list of events, plus the line numbers of LINE events (an
 * int32 array); in the list, a bare number N means "the LINE events up to the N-th line number
 * of the run come here". Stateful, because a LINE event belongs to whatever the loop is running
 * at that moment, which only the events before it tell.
 *
 * This runs in the host, on what a worker running a stranger's program sent: everything is
 * checked. Each event must have the shape the trace contract gives it (src/shared/trace.ts);
 * anything else throws a `TraceError`, and the host ends the run as damaged.
 */
import * as v from 'valibot';
import {
  type CallbackInfo,
  CallbackInfoSchema,
  DEFAULT_MAX_EVENTS,
  describeIssue,
  DEFAULT_MAX_OUTPUT_CHARS,
  DEFAULT_MAX_STEPS,
  type LimitReason,
  LineSteps,
  MAX_OBJECTS,
  MAX_TEXT,
  RECORDER_EVENTS_SLACK,
  type TaskInfo,
  TaskInfoSchema,
  TraceError,
  type TraceEvent,
  TraceEventSchema,
  type QueueItem,
} from '../shared/trace';
import { thousands } from '../shared/numbers';
import { MESSAGE_EVENTS, MESSAGE_LINES } from '../shared/runtime-protocol';
import { decodeNetEvent } from './wire-net';
import { jsonWeight } from './wire-weight';
import { ABORT_EARLY } from '../shared/abort-early';
import { TraceRules } from '../shared/trace-rules';

/** A wire event: a marker (line events up to this count), or `[code, ...fields]`. */
export type WireEvent = number | [string, ...unknown[]];

export interface DecodedChunk {
  events: TraceEvent[];
  tasks: TaskInfo[];
  callbacks: CallbackInfo[];
}

function item(raw: unknown): QueueItem {
  if (!Array.isArray(raw) || raw.length !== 2) throw new TraceError('wire: a queue item is malformed');
  const [kind, id] = raw as [unknown, unknown];
  return kind === 't' ? { kind: 'task', task: id as number } : { kind: 'callback', callback: id as number };
}

function items(raw: unknown): QueueItem[] {
  if (!Array.isArray(raw)) throw new TraceError('wire: a queue is malformed');
  return raw.map(item);
}

/**
 * The optional fields an event may carry at its end on the wire (inside.py): why a task woke,
 * its await chain, the asyncio object it waits on, the objects whose state changed. The
 * contract's schema checks their shapes once they are in the event.
 */
function extras(raw: unknown, maxLine: number): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new TraceError('wire: an event’s extra fields are malformed');
  const { wake, frames, sync, objects, ...rest } = raw as Record<string, unknown>;
  if (Object.keys(rest).length > 0) throw new TraceError('wire: an event has a field the tracer never writes');
  const out: Record<string, unknown> = {};
  if (wake !== undefined) out.wake = wake;
  if (sync !== undefined) out.sync = sync;
  if (objects !== undefined) {
    // More asyncio objects than a trace may name (MAX_OBJECTS) is too much trace, not a forged
    // one: refused as such before the schema, which would call it damaged.
    if (Array.isArray(objects) && (objects.length > MAX_OBJECTS || objects.some(pastLastObject))) {
      throw new TraceTooLarge('wire: the run used more asyncio objects than the host shows');
    }
    out.objects = objects;
  }
  if (frames !== undefined) {
    if (!Array.isArray(frames)) throw new TraceError('wire: frames are malformed');
    out.frames = frames.map((f: unknown) => {
      if (typeof f !== 'object' || f === null || Array.isArray(f)) throw new TraceError('wire: a frame is malformed');
      const frame = f as Record<string, unknown>;
      // The learner's frames are their code's (inside.py keeps only user_codes as user=1):
      // asyncio's own frames are on lines of asyncio's files, past the program's last.
      if (frame.user === 1 && typeof frame.line === 'number' && frame.line > maxLine) throw new TraceError(PAST_LAST_LINE);
      return { ...frame, user: frame.user === 1 };
    });
  }
  return out;
}

/** An object record whose id is past the most a trace may name (MAX_OBJECTS); its shape is the schema's to check. */
const pastLastObject = (record: unknown): boolean =>
  typeof record === 'object' && record !== null && typeof (record as { id?: unknown }).id === 'number' && (record as { id: number }).id >= MAX_OBJECTS;

const numOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : (value as number));

const PAST_LAST_LINE = 'wire: an event points at a line past the program’s last';

function checked<T>(schema: v.GenericSchema<unknown, T>, value: unknown, what: string): T {
  const result = v.safeParse(schema, value, ABORT_EARLY);
  if (result.success) return result.output;
  // In the app's own words: the issue's message would quote the value, which the program chose.
  throw new TraceError(`wire: ${what} is malformed at ${describeIssue(result.issues[0])}`);
}

/**
 * What a run may send at most, as the tracer enforces it (recorder.py). The tracer shares its
 * interpreter with the program, so a program can write frames of its own to the trace device:
 * the host holds every run to these bounds itself, and a trace past them is damaged.
 */
export interface WireLimits {
  /** LINE steps: the run's step budget (maxSteps). */
  maxSteps: number;
  /** Characters of output (maxOutputChars), plus TRACEBACK_ALLOWANCE for the final traceback. */
  maxOutputChars: number;
  /** Events other than LINE steps (the tracer's maxEvents, DEFAULT_MAX_EVENTS). */
  maxEvents: number;
  /** The run asked for verify mode: only then do `push` and `pop` carry the `real` queue. */
  verify?: boolean;
  /**
   * The real seconds the tracer was given (its `wallSeconds`), and the host's own count of real
   * seconds since it sent the run: a `time` limit must name the first, and the second must have
   * reached it when the limit comes (the tracer counts from later, on a clock of the same kind).
   * Absent: a time limit is held to its words only.
   */
  wallSeconds?: number;
  elapsedSeconds?: () => number;
  /**
   * The interpreter's memory cap in bytes, as its worker said when it was ready (not the
   * program's to say): a `memory` limit must name it, in MB, and the worker's own peak reading,
   * which comes with `finished`, must have passed it (`finish`). Absent: any.
   */
  memoryLimitBytes?: number;
  /**
   * The program's last line (see `lastLineOf`): LINE steps are on lines of the learner's source
   * (only its code objects have LINE events), and so are the lines of callbacks, waits, ends,
   * blocks and the learner's frames (see sourceLine), so one past it is not the tracer's.
   * Absent: any.
   */
  maxLine?: number;
}

/**
 * A run sent more than the host keeps for one run (see MAX_CHUNK_WEIGHT): not a damaged trace
 * but too large a one. The host ends the run as the tracer ends one whose trace grew too long
 * (an `events` limit), keeping the steps it had checked.
 */
export class TraceTooLarge extends TraceError {}

/**
 * The most one chunk may weigh (see jsonWeight: values, and characters at CHARS_PER_VALUE), and
 * one run in all. What the tracer sends weighs far less (measured over the corpus, the tutorial,
 * the bench programs and the bad programs, the lessons: 136 programs): its heaviest chunk 29,914
 * values (server_200_clients.py: 4,092 events at once, the tracer's flush point under
 * MESSAGE_EVENTS; it also sends a chunk once the lists its events carry weigh FLUSH_WEIGHT,
 * 200,000: recorder.py), its heaviest run 1.29 million (a program of endless virtual time,
 * stopped at 200,000 events). Characters counted too (tsx, the real tracer, 122 programs of
 * tests/corpus, tests/tutorial, bench/programs and the heavy ones of tests/limits): 2,100 tasks
 * waiting on one gather of 300 weigh ~225,000 a chunk (188,000 values, its decode 98 ms here),
 * 24,000 tasks of 4,096-character names ~215,000 (5.6 million characters), a 2,000,000-character
 * print ~62,500. A chunk at the cap costs the host about the same to parse and check whatever it
 * is made of: ~0.15 s of task ids of gathers with the machine idle, and 0.2-0.28 s for each of
 * task ids, await chains, asyncio objects and names with it loaded (WireDecoder.decode, tsx).
 * The cap on a run keeps the trace the player holds to about a gigabyte at the very worst. Not
 * lowered to the measured figures: chunks up to FLUSH_WEIGHT and a few tens of thousands more
 * are genuine, and the tracer does not flush by characters. (A chunk held to ~50 ms would need
 * a cap near 100,000, and so the tracer to flush at about half that, characters counted.)
 */
export const MAX_CHUNK_WEIGHT = 400_000;
export const MAX_RUN_WEIGHT = 8_000_000;

/** Characters of output an uncaught exception's traceback may add past the output cap: the
 * tracer prints it whole up to TRACEBACK_CHARS (runner.py), a longer one cut in the middle with
 * a line of under 100 characters saying so. */
export const TRACEBACK_ALLOWANCE = 1_000_100;
/** Characters the program's objects may print as they are dropped at its end (runner.py,
 * TEARDOWN_CHARS): after its last event, past the cap. */
export const TEARDOWN_ALLOWANCE = 10_000;
/**
 * The characters of `text` as Python counts them, in code points: the tracer's output cap
 * (recorder.py, `len(text)`) counts a character past U+FFFF (an emoji) once, and a JavaScript
 * string holds it as two UTF-16 units (a surrogate pair). Counted by `length`, 1.99 million
 * emoji, which python3 prints and the tracer keeps under its 2,000,000 cap, were taken for
 * more output than a run may print, and the run was refused as damaged. A lone surrogate (which
 * a Python string may hold) counts once, as in Python.
 */
export function codePoints(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return text.length - pairs;
}

/**
 * LINE steps of the program's own code and lines of code it compiled itself may together pass
 * the step budget by this much when the budget stops it: the tracer looks at the count of the
 * latter every `batch` of them (recorder.py, LINE_BATCH: 1,024 at most), and at the former
 * every batch too. Twice that, so a steps limit's count of compiled lines is the run's own,
 * within a batch or two, not a number the program made up.
 */
const BUDGET_OVERSHOOT = 2 * 1024;
/**
 * How much sooner than the host the tracer may see its time allowance run out, in seconds: the
 * tracer starts counting after the host has sent the run, so its count is the smaller, but a
 * browser coarsens performance.now() (to 100 µs without cross-origin isolation; Firefox's
 * resistFingerprinting to as much as 100 ms), and the page and the worker have their own.
 */
const CLOCK_SLACK_SECONDS = 0.1;

/** Events the tracer may record past maxEvents: its limit record and the run's last events. */
const EVENTS_SLACK = RECORDER_EVENTS_SLACK;
/** Characters of wire JSON one run may send in all: what the tracer writes for its largest runs
 * (a million steps' markers, 200,000 events with their await chains and objects, the output
 * cap and a traceback) is well under this. Past it, the run ends as a trace grown too long. A
 * program's own frames of strings in two-byte characters (U+0100 …) weigh little but cost two
 * bytes a character: a reviewer's 256 million characters of them took 611 MB of the host's heap;
 * this cap keeps that to ~256 MB. */
export const MAX_WIRE_CHARS = 128 * 1024 * 1024;

/**
 * Characters of wire JSON one chunk may hold, looked at before it is weighed: what it costs to
 * weigh and parse goes by its characters as written, and the weight counts an escape (`\\u0041`,
 * six) as one. A reviewer's (helper-140) frame of one name in 8 million escapes, 48 million
 * characters, weighed ~250,000 and held the page 254-279 ms to decode (tsx here; 76 million
 * characters, 331-404 ms). The largest real chunk is the output cap printed in characters past
 * U+FFFF, which the tracer's ASCII JSON writes as two escapes each: 2,000,000 emoji, ~24 million
 * characters (~140 ms to decode).
 */
export const MAX_CHUNK_CHARS = 25 * 1024 * 1024;

/**
 * The texts the tracer ends a run with (recorder.py, selector.py): a `limit` event's message
 * must be one of these, so that a program cannot put words of its own in the app's banner. A
 * deadlock's names the stuck tasks, whose names the program chose (as it may for any task).
 */
/** Where the program was (recorder.py, where()): a line of its own, numbered from 1, read only here,
 * at its place in the tracer's sentence (a deadlock's message quotes task names the program chose). */
const AT_LINE = String.raw`(?: \(it was at line (?<line>[1-9]\d*)\))?`;
const LIMIT_TEXTS: Record<string, RegExp> = {
  steps: new RegExp(String.raw`^The program ran [\d,]+ lines(?: \(with [\d,]+ lines of code it compiled and ran itself\))?, its step budget, and had not finished${AT_LINE}\. It may never end\. The steps so far are kept\.$`),
  time: new RegExp(String.raw`^The program ran for [\d.e+-]+ seconds of real time without finishing${AT_LINE}\. The steps so far are kept\.$`),
  memory: new RegExp(String.raw`^The program kept asking for memory, past the \d+ MB Loop Lab allows${AT_LINE}\. The steps so far are kept\.$`),
  output: new RegExp(String.raw`^The program printed more than [\d,]+ characters${AT_LINE}\. What it printed up to that limit is kept\.$`),
  events: new RegExp(String.raw`^The trace grew past [\d,]+ loop events \(task steps, timers, queue moves\), the most Loop Lab keeps for one run${AT_LINE}\. It may never end\. The steps so far are kept\.$`),
  crashed: /^The program closed the channel its steps are sent through, so the run cannot go on\. The steps so far are kept\.$/,
  deadlock: /^Every task is waiting[^]*\. Real Python would wait here forever\.$/,
};

/** "a clock event", "an output event": for the decoder's messages. */
const anEvent = (kind: string): string => `a${/^[aeiou]/.test(kind) ? 'n' : ''} ${kind} event`;

export class WireDecoder {
  /** The program's last line (WireLimits.maxLine), or Infinity: every line field is held to it. */
  private readonly maxLine: number;

  constructor(private readonly limits: WireLimits = { maxSteps: DEFAULT_MAX_STEPS, maxOutputChars: DEFAULT_MAX_OUTPUT_CHARS, maxEvents: DEFAULT_MAX_EVENTS }) {
    this.maxLine = limits.maxLine ?? Infinity;
    this.rules = new TraceRules({ maxLine: this.maxLine });
  }

  /** How many events have been decoded so far: the index the next event will get. */
  private index = 0;
  /** Characters of output so far, and events other than LINE steps. */
  private outputChars = 0;
  private otherEvents = 0;
  private wireChars = 0;
  /** Values in all the chunks so far (jsonWeight). */
  private weight = 0;
  /** The run's last event, once it has come (only output may follow it): its limit or its uncaught exception. */
  endedBy: 'limit' | 'exception' | null = null;
  /** The limit that ended the run, once it has come (checked: see limitNumbersHold). */
  limitReason: LimitReason | null = null;
  /**
   * The output cap has been passed before the run's last event: what the tracer writes then is
   * its last text on stderr (runner.py, `_print_past_cap`: an uncaught exception's traceback or
   * an exit message, then what the program's objects print as they go), and nothing else.
   */
  private pastCap = false;
  /** Characters printed on stdout past the output cap (at most TEARDOWN_ALLOWANCE). */
  private stdoutPastCap = 0;
  /**
   * The rules of a sound trace (src/shared/trace-rules.ts), held event by event, and the state
   * they keep: what runs now (whose steps the line numbers are), each loop's ready queue, the
   * tasks done.
   */
  private readonly rules: TraceRules;
  /** How many `run`s of each loop have not yet had their `stop`: the loops running now. */
  private readonly runs = new Map<number, number>();
  /** Every loop the run's events have named. */
  private readonly loops = new Set<number>();
  /** The line events made so far, one per line of the running task or callback (LineSteps). */
  private readonly lineEvents = new LineSteps();
  /**
   * Line numbers received and not yet placed, in the pieces they came in (kept, never joined:
   * a flood of them costs what it weighs once, not once per message). The first unplaced one
   * is `linePieces[pieceIndex][pieceStart]`, and it is the run's LINE step number `lineSteps`.
   */
  private linePieces: Int32Array[] = [];
  /** The first piece not yet wholly placed (pieces before it are dropped now and then, not shifted one by one). */
  private pieceIndex = 0;
  private pieceStart = 0;
  /** How many line numbers `linePieces` holds past `pieceStart`. */
  private unplacedLines = 0;
  /** LINE events decoded so far, over the whole run. */
  lineSteps = 0;
  /** LINE steps the chunk being decoded has placed so far (at most MESSAGE_LINES). */
  private placedInChunk = 0;
  /**
   * The run's last event, if it is output: what the program writes next on the same stream,
   * with nothing between, continues it (see `continueOutput`). Null once anything else comes.
   */
  private openOutput: Extract<TraceEvent, { kind: 'output' }> | null = null;
  /** The chunk's continuations of output events, appended once the chunk is checked. */
  private continued: [Extract<TraceEvent, { kind: 'output' }>, string][] = [];
  /** Characters `continued` holds for `openOutput` (MAX_TEXT bounds the event they make). */
  private continuedLength = 0;

  /** Decodes one chunk: its wire JSON and the line numbers that came with it. Throws TraceError. */
  decode(wireJson: string, lines: ArrayLike<number>): DecodedChunk {
    if (wireJson.length > MAX_CHUNK_CHARS) throw new TraceTooLarge('wire: a chunk is longer than the host takes at once');
    this.wireChars += wireJson.length;
    if (this.wireChars > MAX_WIRE_CHARS) throw new TraceTooLarge('wire: more trace than the host keeps for one run');
    // Weighed before it is parsed: parsing a chunk of tiny values costs far more than its bytes.
    const weight = jsonWeight(wireJson, MAX_CHUNK_WEIGHT);
    if (weight > MAX_CHUNK_WEIGHT) throw new TraceTooLarge('wire: a chunk weighs more than the host takes at once');
    this.weight += weight;
    if (this.weight > MAX_RUN_WEIGHT) throw new TraceTooLarge('wire: the run sent more values than the host keeps for one run');
    let wire: unknown;
    try {
      wire = JSON.parse(wireJson);
    } catch {
      throw new TraceError('wire: a chunk is not JSON');
    }
    if (!Array.isArray(wire)) throw new TraceError('wire: a chunk is not a list of events');
    // Each event is checked against the contract in this one task: the tracer never sends more
    // than MESSAGE_EVENTS at once (recorder.py), whatever they weigh.
    if (wire.length > MESSAGE_EVENTS) throw new TraceError('wire: a chunk carries more events than the tracer ever sends at once');
    this.takeLines(lines);
    this.placedInChunk = 0;
    this.continued = [];
    this.continuedLength = 0;
    const out: DecodedChunk = { events: [], tasks: [], callbacks: [] };
    for (const raw of wire as unknown[]) {
      if (typeof raw === 'number') this.placeLines(out, raw);
      else if (Array.isArray(raw) && typeof raw[0] === 'string') this.decodeEvent(out, raw as [string, ...unknown[]]);
      else throw new TraceError('wire: an event is malformed');
    }
    for (const [event, text] of this.continued) event.text += text;
    this.continued = [];
    return out;
  }

  /**
   * Checks the end of a run, once its `finished` came: every line number sent was placed by a
   * marker (the tracer sends each line with, or before, the marker that places it); and a
   * memory limit, if one ended it, passed the worker's own peak reading, `memoryPeakBytes`
   * (bytes; 0 if nobody read the memory device). Throws TraceError.
   */
  finish(memoryPeakBytes = 0): void {
    if (this.unplacedLines > 0) throw new TraceError(`wire: ${this.unplacedLines} line numbers were never placed`);
    // A memory limit is the tracer's reading of the worker's measure, which the program could
    // word for itself: the worker's own peak (RunFinished.memoryPeakBytes) must have passed the cap.
    const cap = this.limits.memoryLimitBytes;
    if (this.limitReason === 'memory' && cap !== undefined && !(memoryPeakBytes > cap)) {
      throw new TraceError('wire: a memory limit the interpreter never reached');
    }
  }

  private takeLines(lines: ArrayLike<number>): void {
    if (lines.length === 0) return;
    if (lines.length > MESSAGE_LINES) throw new TraceError('wire: a chunk carries more line numbers than the tracer ever sends at once');
    // No run places more lines than its step budget, so more than that is never placed: refused
    // at once, before it is kept (a program can write its own frames).
    if (this.lineSteps + this.unplacedLines + lines.length > this.limits.maxSteps) {
      throw new TraceError('wire: more line numbers than the run’s step budget');
    }
    // Kept as it came only if it is its whole buffer (the tracer's always are: engine.ts makes
    // each chunk's array, and the worker hands its buffer over). A forged chunk's view of one
    // number over a buffer of any size held all of it here until its line was placed, or 1,024
    // placed pieces were let go: a worker's 1 GiB per message, and the page ran out of memory
    // (atkb). A copy holds 4 bytes a line. So is a view of shared memory (a Node worker can make
    // one), which the worker could change after the checks.
    const whole = lines instanceof Int32Array && lines.buffer instanceof ArrayBuffer && lines.byteOffset === 0 && lines.byteLength === lines.buffer.byteLength;
    this.linePieces.push(whole ? lines : Int32Array.from(lines));
    this.unplacedLines += lines.length;
  }

  private placeLines(out: DecodedChunk, upTo: number): void {
    if (!Number.isSafeInteger(upTo) || upTo < this.lineSteps) throw new TraceError('wire: a line marker goes backwards');
    if (upTo > this.lineSteps + this.unplacedLines) throw new TraceError(`wire: line ${upTo} is missing from its chunk`);
    if (upTo > this.lineSteps && this.endedBy !== null) throw new TraceError('wire: steps came after the run’s last event');
    if (upTo > this.lineSteps && this.pastCap) throw new TraceError('wire: steps came after the output cap was passed');
    if (upTo > this.limits.maxSteps) throw new TraceError('wire: more steps than the run’s step budget');
    // Each chunk's steps are made into events in one task of the host's: the tracer never has
    // a chunk place more than MESSAGE_LINES (recorder.py), whatever lines came before it.
    this.placedInChunk += upTo - this.lineSteps;
    if (this.placedInChunk > MESSAGE_LINES) throw new TraceError('wire: a chunk places more line steps than the tracer ever sends at once');
    const maxLine = this.maxLine;
    const task = this.rules.runningTask;
    const callback = this.rules.runningCallback;
    const events = out.events;
    const lineSteps = this.lineEvents;
    let left = upTo - this.lineSteps;
    if (left > 0) this.closeOutput();
    while (left > 0) {
      const piece = this.linePieces[this.pieceIndex]!;
      const end = Math.min(piece.length, this.pieceStart + left);
      for (let i = this.pieceStart; i < end; i++) {
        const line = piece[i]!;
        if (line < 0) throw new TraceError('wire: a line number is negative');
        if (line > maxLine) throw new TraceError('wire: a step is on a line past the program’s last');
        events.push(lineSteps.at(line, task, callback));
      }
      left -= end - this.pieceStart;
      if (end === piece.length) {
        this.pieceIndex++;
        this.pieceStart = 0;
      } else {
        this.pieceStart = end;
      }
    }
    // Placed pieces are let go in batches: shifting them off one at a time costs the whole
    // array each time (a reviewer sent 400,000 one-line pieces: 74 s).
    if (this.pieceIndex >= 1024 && this.pieceIndex * 2 >= this.linePieces.length) {
      this.linePieces = this.linePieces.slice(this.pieceIndex);
      this.pieceIndex = 0;
    }
    this.index += upTo - this.lineSteps;
    this.unplacedLines -= upTo - this.lineSteps;
    this.lineSteps = upTo;
  }

  /**
   * A line of the learner's source, or null: the tracer writes only lines of the program's own
   * code objects (user_codes, runner.py) in `cb`, `susp`, `done` and `block`, so one past its
   * last is not the tracer's. (An `exc` line is the program's too: the rules check it, trace-rules.ts.)
   */
  private sourceLine(value: unknown): number | null {
    const line = numOrNull(value);
    if (typeof line === 'number' && line > this.maxLine) throw new TraceError(PAST_LAST_LINE);
    return line;
  }

  private decodeEvent(out: DecodedChunk, raw: [string, ...unknown[]]): void {
    const [code, a, b, c, d, e, f] = raw;
    // Only output continues output: anything else between (a callback's details too, which are
    // no event of the trace's) begins a new one, as the tracer's `last` does (recorder.py).
    if (code !== 'out') this.closeOutput();
    switch (code) {
      case 'task':
        // Its creator was running as it was made: a task made before it.
        if (typeof d === 'number' && d >= this.rules.tasksMade) throw new TraceError('wire: a task names as its creator a task not yet made');
        out.tasks.push(
          checked(
            TaskInfoSchema,
            { id: a, name: b, coro: c, creator: numOrNull(d), loop: e, internal: f === 1, createdAt: this.index },
            'a task',
          ),
        );
        this.push(out, { kind: 'task', task: a as number });
        break;
      case 'rename':
        this.push(out, { kind: 'rename', task: a as number, name: b as string });
        break;
      case 'cb':
        // Not a step of its own: the callback's details, first seen here. The tracer counts it
        // with the events (recorder.py, emit) and, its recorder let go, writes none after the end.
        if (this.endedBy !== null) throw new TraceError('wire: a callback came after the run’s last event');
        this.countEvent();
        {
          const info = checked(CallbackInfoSchema, { id: a, label: b, user: c === 1, line: this.sourceLine(d) }, 'a callback');
          this.obey(this.rules.callback(info.id));
          out.callbacks.push(info);
        }
        break;
      case 'push': {
        const event: TraceEvent = { kind: 'push', loop: a as number, item: item(b), reason: c as 'start', ...extras(e, this.maxLine) };
        if (d !== undefined && d !== null) event.real = this.realQueue(d);
        this.push(out, event);
        this.loops.add(event.loop);
        break;
      }
      case 'pop': {
        const popped = item(b);
        const event: TraceEvent = { kind: 'pop', loop: a as number, item: popped, cancelled: c === 1 };
        if (d !== undefined) event.real = this.realQueue(d);
        this.push(out, event);
        this.loops.add(event.loop);
        break;
      }
      case 'eager': {
        // An eager task's first step, run inside the running step: its lines are its own.
        this.push(out, { kind: 'eager_start', task: a as number, parent: this.rules.runningItem() });
        break;
      }
      case 'eagerend': {
        const open = this.rules.openEager();
        if (open === undefined || open.task !== a) throw new TraceError('wire: an eager step ends that did not begin');
        this.push(out, { kind: 'eager_end', task: a as number, parent: open.parent });
        break;
      }
      case 'susp':
        this.push(out, { kind: 'suspend', task: a as number, wait: b as never, line: this.sourceLine(c), ...extras(d, this.maxLine) });
        break;
      case 'cbend':
        this.push(out, { kind: 'callback_end', callback: a as number, ...extras(b, this.maxLine) });
        break;
      case 'done':
        this.push(out, { kind: 'done', task: a as number, outcome: b as 'result', text: c as string, line: this.sourceLine(d), ...extras(e, this.maxLine) });
        break;
      case 'timer':
        this.push(out, { kind: 'timer', loop: a as number, timer: b as number, when: numOrNull(c) });
        break;
      case 'tcan':
        this.push(out, { kind: 'timer_cancel', loop: a as number, timer: b as number });
        break;
      case 'clock':
        this.push(out, { kind: 'clock', time: a as number });
        break;
      case 'out':
        if (this.openOutput !== null && this.openOutput.stream === a) this.continueOutput(b, c);
        else this.push(out, { kind: 'output', stream: a as 'stdout', text: b as string, ...extras(c, this.maxLine) });
        break;
      case 'loop':
        this.push(out, { kind: 'loop', loop: a as number, action: b as 'new' });
        this.loops.add(a as number);
        if (b === 'run') this.runs.set(a as number, (this.runs.get(a as number) ?? 0) + 1);
        if (b === 'stop') this.runs.set(a as number, Math.max(0, (this.runs.get(a as number) ?? 0) - 1));
        break;
      case 'block':
        if (raw.length > 5) throw new TraceError('wire: a block event with more than the tracer writes');
        this.push(out, {
          kind: 'block',
          seconds: a as number,
          line: this.sourceLine(b),
          ...(c === undefined || c === null ? {} : { call: c as string }),
          ...extras(raw[4], this.maxLine),
        });
        break;
      case 'exc':
        this.push(out, { kind: 'exception', type: a as string, message: b as string, line: numOrNull(c) });
        break;
      case 'limit':
        // A deadlock is found between steps (deadlockHolds): checked before the rules set the run idle.
        this.push(out, { kind: 'limit', reason: a as 'steps', message: b as string });
        break;
      case 'net':
        this.push(out, decodeNetEvent(raw) as TraceEvent);
        break;
      default:
        throw new TraceError('wire: an event of a kind the tracer never writes');
    }
  }

  /** Adds an event after checking it has the contract's shape (the casts above are checked here). */
  private push(out: DecodedChunk, event: TraceEvent): void {
    // After the run's last event only output may follow: what is printed as the program is torn
    // down ("sys:1: RuntimeWarning: coroutine … was never awaited", a __del__'s print).
    if (this.endedBy !== null && event.kind !== 'output') {
      throw new TraceError(`wire: ${anEvent(event.kind)} came after the run’s last one`);
    }
    // Past the output cap, before the run's last event, the tracer writes only its last text on
    // stderr and then that event (an uncaught exception's), or nothing more (an exit message).
    if (this.pastCap && this.endedBy === null && event.kind !== 'output' && event.kind !== 'exception') {
      throw new TraceError(`wire: ${anEvent(event.kind)} came after the output cap was passed`);
    }
    // What is kept is the checked form (names and messages cut to the contract's lengths), and
    // what follows checks that form, not the one the worker sent.
    const kept = checked(TraceEventSchema, event, `a ${event.kind} event`);
    out.events.push(kept);
    this.index++;
    this.countEvent();
    if (kept.kind === 'output') {
      // A new output event: what continues it comes next (decodeEvent closed the one before).
      this.closeOutput();
      this.openOutput = kept;
      this.countOutput(kept.stream, kept.text);
    } else if (kept.kind === 'limit') {
      const words = LIMIT_TEXTS[kept.reason]?.exec(kept.message);
      if (!words || !this.limitNumbersHold(kept.reason, kept.message, words.groups?.line)) {
        throw new TraceError(`wire: a ${kept.reason} limit with words the tracer never writes`);
      }
      if (kept.reason === 'deadlock' && !this.deadlockHolds()) {
        throw new TraceError('wire: a deadlock while the loop had something to run');
      }
      this.endedBy = 'limit';
      this.limitReason = kept.reason;
    } else if (event.kind === 'exception') {
      this.endedBy = 'exception';
    }
    this.obey(this.rules.event(kept));
  }

  /** Refuses the run when an event broke a rule of a sound trace (`problem`: what, in words). */
  private obey(problem: string | null): void {
    if (problem !== null) throw new TraceError(`wire: ${problem}`);
  }

  /**
   * Output on the stream of the run's last event, itself output, with nothing between: the same
   * write continued, as the tracer writes it (recorder.py, `write`: one event for a stream's
   * output until something else comes, whether or not a chunk was sent in between, so that where
   * real time happened to end a chunk changes nothing of the trace). It is appended to that
   * event, already kept (by the host alone until the run ends), and counted as output, not as an
   * event. A continuation carries no fields of its own: the tracer writes them only on an
   * output's first piece.
   */
  private continueOutput(text: unknown, extra: unknown): void {
    const open = this.openOutput!;
    if (extra !== undefined && extra !== null) throw new TraceError('wire: output that continues the last event carries fields of its own');
    if (typeof text !== 'string') throw new TraceError('wire: an output event’s text is not a string');
    this.countOutput(open.stream, text);
    if (open.text.length + this.continuedLength + text.length > MAX_TEXT) throw new TraceError('wire: an output event longer than a trace holds');
    this.continuedLength += text.length;
    // Appended once the whole chunk is checked (decode): a chunk refused, for this text or for
    // anything after it, leaves nothing of itself in an event the host already holds.
    this.continued.push([open, text]);
  }

  /** The run's last event is no longer output that may go on. */
  private closeOutput(): void {
    this.openOutput = null;
    this.continuedLength = 0;
  }

  /** Counts `text`, written on `stream`, against the run's output cap and what may follow it. */
  private countOutput(stream: 'stdout' | 'stderr', text: string): void {
    const chars = codePoints(text);
    this.outputChars += chars;
    if (this.outputChars > this.limits.maxOutputChars + TRACEBACK_ALLOWANCE + TEARDOWN_ALLOWANCE) throw new TraceError('wire: more output than the run may print');
    if (this.outputChars > this.limits.maxOutputChars) {
      if (this.endedBy === null) this.pastCap = true;
      // Past the cap, stdout has only what the program's objects print as they go: a
      // traceback and an exit message are stderr's.
      if (stream === 'stdout') {
        this.stdoutPastCap += Math.min(chars, this.outputChars - this.limits.maxOutputChars);
        if (this.stdoutPastCap > TEARDOWN_ALLOWANCE) throw new TraceError('wire: more output than the run may print');
      }
    }
  }

  /** Counts an event other than a LINE step (callbacks' details too, as the tracer counts them). */
  private countEvent(): void {
    if (++this.otherEvents > this.limits.maxEvents + EVENTS_SLACK) throw new TraceError('wire: more events than the tracer ever records');
  }

  /**
   * A limit's message names the bound that was reached: it must be this run's (the tracer
   * writes them with Python's `{:,}`), not one a program made up ("ran 5 lines, its step budget"),
   * and the trace must have reached it, as the tracer stops only then (recorder.py): its steps
   * (with the lines of code the program compiled itself, which the host never sees, as the
   * message counts them), its events, its output; and the line it names is the program's. A
   * program that set the tracer's `stopped` by hand had a run of 12 lines end as one that "may
   * never end".
   */
  private limitNumbersHold(reason: string, message: string, atLine: string | undefined): boolean {
    // Where the program was: a line of its own, like every line field.
    if (atLine !== undefined && Number(atLine) > this.maxLine) return false;
    if (reason === 'steps') {
      if (!message.startsWith(`The program ran ${thousands(this.limits.maxSteps)} lines`)) return false;
      const compiled = /\(with ([\d,]+) lines of code it compiled/.exec(message);
      const foreign = compiled === null ? 0 : Number(compiled[1]!.replaceAll(',', ''));
      const total = this.lineSteps + foreign;
      return total >= this.limits.maxSteps && total <= this.limits.maxSteps + BUDGET_OVERSHOOT;
    }
    if (reason === 'time') {
      // The tracer writes its allowance to a tenth of a second (recorder.py: `round(…, 1)`,
      // then Python's `{:g}`), so a moment's allowance is "0".
      const seconds = Number(/ran for ([\d.e+-]+) seconds/.exec(message)?.[1]);
      if (!(seconds >= 0)) return false;
      const { wallSeconds, elapsedSeconds } = this.limits;
      if (wallSeconds !== undefined && Math.abs(seconds - wallSeconds) > 0.05 + wallSeconds * 1e-9) return false;
      return elapsedSeconds === undefined || elapsedSeconds() + CLOCK_SLACK_SECONDS >= seconds;
    }
    if (reason === 'memory') {
      const megabytes = Number(/past the (\d+) MB/.exec(message)?.[1]);
      const cap = this.limits.memoryLimitBytes;
      return cap === undefined || megabytes === Math.floor(cap / (1024 * 1024));
    }
    if (reason === 'events') {
      // This limit record is counted already; the tracer stops past maxEvents.
      return message.startsWith(`The trace grew past ${thousands(this.limits.maxEvents)} loop events`) && this.otherEvents > this.limits.maxEvents;
    }
    if (reason === 'output') {
      return message.startsWith(`The program printed more than ${thousands(this.limits.maxOutputChars)} characters`) && this.outputChars >= this.limits.maxOutputChars;
    }
    return true;
  }

  /**
   * A deadlock as selector.py finds one: between steps (nothing running, no eager step open; a
   * step of a task already done, a watchdog's `call_later(2, t.cancel)` after t ended, runs none
   * of its code and has no end of its own), with nothing in the ready queue of a loop that may be
   * the deadlocked one: one of the running loops (between their `run` and `stop`), or, with none
   * running, one of the loops the run made (a program may turn a loop by hand, `loop._run_once()`,
   * which sends no `run`). With no loop at all there is no deadlock.
   */
  private deadlockHolds(): boolean {
    const { rules } = this;
    const task = rules.runningTask;
    if ((task !== null && !rules.isDone(task)) || rules.runningCallback !== null || rules.eagerOpen()) return false;
    const running = [...this.runs].filter(([, runs]) => runs > 0).map(([loop]) => loop);
    const candidates = running.length > 0 ? running : [...this.loops];
    return candidates.some((loop) => rules.readySize(loop) === 0);
  }

  /** The ready queue as the loop holds it: only verify mode sends it (observe.py). */
  private realQueue(raw: unknown): QueueItem[] {
    if (this.limits.verify !== true) throw new TraceError('wire: a ready queue the run never asked for');
    return items(raw);
  }
}
