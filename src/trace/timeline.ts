/**
 * The timeline of a trace: for each task, the spans of steps it spent running, waiting in the
 * ready queue, and sleeping; where the virtual clock moved; and the task switches (the steps
 * at which the loop hands control to a task). Pure functions of the trace, computed once per
 * trace; the player only moves a cursor over them.
 *
 * Steps are columns: event i occupies [i, i + 1). A span that begins with event `from` and is
 * ended by event `to` covers columns from … to - 1, so it is drawn over [from, to).
 */
import type { Outcome, TaskId, Trace, TraceEvent, Wake } from '../shared/trace';
import { buildNow, type TraceBuilder } from './pass';

export type SpanState = 'running' | 'ready' | 'sleeping';

export interface Span {
  state: SpanState;
  /** The event that put the task in this state. */
  from: number;
  /** The event that took it out of this state (exclusive); the trace length if none did. */
  to: number;
  /** A `ready` span that began with a wake-up: why the task was woken. */
  wake?: Wake;
}

export interface TimelineRow {
  task: TaskId;
  /** The `task` event that created it. */
  created: number;
  /** The `done` event that ended it, if it ended. */
  done: number | null;
  outcome: Outcome | null;
  /** Every span, in step order, back to back and never overlapping. */
  spans: Span[];
  /** The same spans split by state: what the timeline draws from (src/renderer/lib/timeline-paths.ts). */
  byState: RowSpans;
}

/**
 * A row's spans split by state, each list in step order. Drawing a runaway program's row
 * (~75,000 spans) looks up only the few hundred a pixel can show in these, by binary search,
 * where one pass over all of them held the page's thread ~40 ms when its trace was first shown.
 */
export interface RowSpans {
  running: Span[];
  ready: Span[];
  sleeping: Span[];
  /** The `ready` spans that began with a wake-up by something other than a result. */
  woken: Span[];
  /** The first of `woken` for each kind of wake-up, in step order. */
  firstWoken: Span[];
}

/** A row's spans (in step order) split by state. */
export function rowSpans(spans: readonly Span[]): RowSpans {
  const by = emptyRowSpans();
  for (const span of spans) addSpan(by, span);
  return by;
}

function emptyRowSpans(): RowSpans {
  return { running: [], ready: [], sleeping: [], woken: [], firstWoken: [] };
}

function addSpan(by: RowSpans, span: Span): void {
  by[span.state].push(span);
  if (span.wake === undefined || span.wake === 'result') return;
  by.woken.push(span);
  if (!by.firstWoken.some((first) => first.wake === span.wake)) by.firstWoken.push(span);
}

export interface ClockMark {
  /** The `clock` event. */
  step: number;
  time: number;
}

export interface TaskSwitch {
  /** The `pop` event that hands control to the task (or `eager_start`/`eager_end`: control
   * passes to an eager task's first step and back, inside one step of the loop). */
  step: number;
  task: TaskId;
}

export interface Timeline {
  /** Number of steps (events). */
  length: number;
  /** One row per task, in the order the tasks were created. */
  rows: TimelineRow[];
  clock: ClockMark[];
  switches: TaskSwitch[];
}

export function buildTimeline(trace: Trace): Timeline {
  return buildNow(trace, timelineBuilder(trace));
}

/** The timeline, built as part of a shared pass over the trace (src/trace/pass.ts). */
export function timelineBuilder(trace: Trace): TraceBuilder<Timeline> {
  const length = trace.events.length;
  const rows = new Map<TaskId, TimelineRow>();
  const open = new Map<TaskId, Span>();
  const clock: ClockMark[] = [];
  const switches: TaskSwitch[] = [];

  const row = (task: TaskId, step: number): TimelineRow => {
    let r = rows.get(task);
    if (!r) {
      r = { task, created: trace.tasks[task]?.createdAt ?? step, done: null, outcome: null, spans: [], byState: emptyRowSpans() };
      rows.set(task, r);
    }
    return r;
  };
  const close = (task: TaskId, step: number): void => {
    const span = open.get(task);
    if (span) {
      span.to = step;
      if (span.to > span.from) {
        const r = row(task, step);
        r.spans.push(span);
        addSpan(r.byState, span);
      }
      open.delete(task);
    }
  };
  const enter = (task: TaskId, state: SpanState, step: number): void => {
    if (open.get(task)?.state === state) return;
    close(task, step);
    open.set(task, { state, from: step, to: length });
  };

  const visit = (event: TraceEvent, i: number): void => {
    switch (event.kind) {
      case 'task':
        row(event.task, i);
        break;
      case 'push':
        if (event.item.kind === 'task') {
          enter(event.item.task, 'ready', i);
          const span = open.get(event.item.task);
          if (span && span.from === i && event.wake !== undefined) span.wake = event.wake;
        }
        break;
      case 'pop':
        if (event.item.kind === 'task') {
          if (event.cancelled) close(event.item.task, i);
          else {
            enter(event.item.task, 'running', i);
            switches.push({ step: i, task: event.item.task });
          }
        }
        break;
      case 'eager_start':
        // Its first step runs inside its creator's: a switch, but not the loop's doing.
        enter(event.task, 'running', i);
        switches.push({ step: i, task: event.task });
        break;
      case 'eager_end':
        if (event.parent?.kind === 'task') switches.push({ step: i, task: event.parent.task });
        break;
      case 'suspend':
        // A bare yield (sleep(0)) puts the task back in the ready queue; it does not sleep.
        enter(event.task, event.wait.kind === 'yield' ? 'ready' : 'sleeping', i);
        break;
      case 'done': {
        close(event.task, i);
        const r = row(event.task, i);
        r.done = i;
        r.outcome = event.outcome;
        break;
      }
      case 'clock':
        clock.push({ step: i, time: event.time });
        break;
      default:
        break;
    }
  };
  const finish = (): Timeline => {
    for (const task of [...open.keys()]) close(task, length);
    for (const task of trace.tasks) row(task.id, task.createdAt);
    return {
      length,
      rows: [...rows.values()].sort((a, b) => a.task - b.task),
      clock,
      switches,
    };
  };
  return { visit, finish };
}

/** Index of the first element of a sorted list whose step is greater than `step`. */
function after(switches: readonly TaskSwitch[], step: number): number {
  let lo = 0;
  let hi = switches.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (switches[mid]!.step > step) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The step of the next task switch after `step`, among the tasks `keep` accepts; null when
 * there is none.
 */
export function nextSwitch(
  timeline: Timeline,
  step: number,
  keep: (task: TaskId) => boolean = () => true,
): number | null {
  for (let i = after(timeline.switches, step); i < timeline.switches.length; i++) {
    const s = timeline.switches[i]!;
    if (keep(s.task)) return s.step;
  }
  return null;
}

/** The step of the last task switch before `step`; null when there is none. */
export function previousSwitch(
  timeline: Timeline,
  step: number,
  keep: (task: TaskId) => boolean = () => true,
): number | null {
  for (let i = after(timeline.switches, step - 1) - 1; i >= 0; i--) {
    const s = timeline.switches[i]!;
    if (keep(s.task)) return s.step;
  }
  return null;
}

/** The virtual clock after event `step` (0 before any clock event). */
export function clockAt(timeline: Timeline, step: number): number {
  let lo = 0;
  let hi = timeline.clock.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (timeline.clock[mid]!.step > step) hi = mid;
    else lo = mid + 1;
  }
  return lo === 0 ? 0 : timeline.clock[lo - 1]!.time;
}
