/**
 * A lesson as a printed handout: its text, each program's code, and for each stop of the tour
 * its explanation, its question (the choices, not the answer) and the board at that step, read
 * from the program's recorded run; the answers come last, on their own, for the teacher.
 *
 * A pure function of the lesson and the runs it is given (one TraceView per program); a program
 * whose run is not at hand gets its stops without a board, and says so.
 */
import { type CheckpointResult, prepareCheckpoint, resolveStops } from '../../lessons';
import type { Lesson } from '../../shared/lesson';
import type { TaskId } from '../../shared/trace';
import { formatClock } from '../../trace/describe';
import { stepOf } from './step-of';
import { boardView, type CardModel, type Hidden, hiddenFor, NOTHING_HIDDEN } from './board-view';
import type { TraceView } from './trace-view';

export interface HandoutBoard {
  /** "Step 23 of 180". */
  step: string;
  clock: string;
  /** What the loop just did, as the player says it. */
  narration: string;
  /** Each lane's cards in words: `Task-2 (task1()): sleeps until 0.0001 s`. */
  lanes: { name: 'Running' | 'Ready' | 'Waiting' | 'Done'; cards: string[]; empty: string }[];
  /** The last lines printed by then (at most four). */
  printed: string[];
}

export interface HandoutStop {
  number: number;
  title: string;
  program: string;
  body: string;
  question: { text: string; choices: string[] } | null;
  /** The board at the stop's step; null when the run is not at hand or the stop does not happen in it. */
  board: HandoutBoard | null;
  /** Why there is no board. */
  missing: string | null;
}

export interface Handout {
  title: string;
  number: number;
  summary: string;
  body: string;
  programs: { file: string; lines: string[] }[];
  stops: HandoutStop[];
  /** For the teacher: the answer to each question, by stop number. */
  answers: { number: number; answer: string }[];
}

function cardWords(card: CardModel): string {
  const name = card.kind === 'task' && card.coro ? `${card.name} (${card.coro})` : card.name;
  const detail = [card.detail, card.extra, card.kind === 'task' ? card.object : ''].filter(Boolean).join('; ');
  return detail ? `${name}: ${detail}` : name;
}

function printedBy(view: TraceView, step: number): string[] {
  let text = '';
  for (let i = 0; i <= step && i < view.trace.events.length; i++) {
    const e = view.trace.events[i]!;
    if (e.kind === 'output') text += e.text;
  }
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.slice(-4);
}

/**
 * The board at `step` of a run, in words. `hidden`: what a question asked here must not give
 * away, as on screen (the head's "runs next", the asked task's wake-up time).
 */
export function handoutBoard(view: TraceView, step: number, hidden: Hidden = NOTHING_HIDDEN): HandoutBoard {
  const board = view.index.at(step);
  const lanes = boardView(view, board, false, hidden);
  return {
    step: stepOf(step, view.length),
    clock: `${formatClock(board.clock)} s`,
    narration: view.narrator.narrate(step, board, hidden.wakeOf),
    lanes: [
      { name: 'Running', cards: lanes.running.map(cardWords), empty: '(none)' },
      { name: 'Ready', cards: lanes.ready.map(cardWords), empty: lanes.readyHidden ? `(no task: ${lanes.readyHidden.words})` : '(none)' },
      { name: 'Waiting', cards: lanes.waiting.map(cardWords), empty: '(none)' },
      { name: 'Done', cards: lanes.done.map(cardWords), empty: '(none)' },
    ],
    printed: printedBy(view, step),
  };
}

/** The task a wake-time question asks about (the one its answer's step wakes), else null. */
function wakeTask(view: TraceView, prepared: CheckpointResult | null): TaskId | null {
  if (!prepared?.ok || prepared.checkpoint.kind !== 'wake-time' || prepared.checkpoint.revealStep === null) return null;
  const event = view.trace.events[prepared.checkpoint.revealStep];
  return event?.kind === 'push' && event.item.kind === 'task' ? event.item.task : null;
}

/** The handout of a lesson, with the boards of the programs whose runs are in `views` (by file). */
export function handoutOf(lesson: Lesson, views: Readonly<Record<string, TraceView | undefined>>): Handout {
  const stops: HandoutStop[] = [];
  const answers: Handout['answers'] = [];
  const resolved = new Map(
    lesson.programs.flatMap((p) => {
      const view = views[p.file];
      return view ? resolveStops(lesson.stops, p.file, view.trace).map((r) => [r.stop.id, { ...r, view }] as const) : [];
    }),
  );
  lesson.stops.forEach((stop, i) => {
    const number = i + 1;
    const found = resolved.get(stop.id);
    let board: HandoutBoard | null = null;
    let missing: string | null = null;
    let prepared: CheckpointResult | null = null;
    if (!found) missing = `The board at this stop: open ${stop.program} in Loop Lab.`;
    else if (found.step === null || found.problem !== null) missing = found.problem ?? 'This stop does not happen in the run.';
    else {
      if (stop.checkpoint) prepared = prepareCheckpoint(found.view.trace, found.step, stop.checkpoint, found.view.index);
      board = handoutBoard(found.view, found.step, stop.checkpoint ? hiddenFor(stop.checkpoint.kind, wakeTask(found.view, prepared)) : NOTHING_HIDDEN);
    }
    let question: HandoutStop['question'] = null;
    if (stop.checkpoint) {
      const seconds = stop.checkpoint.kind === 'wake-time';
      const choices = prepared?.ok ? prepared.checkpoint.choices.map((c) => (seconds ? `${c} s` : c)) : stop.checkpoint.kind === 'choice' ? stop.checkpoint.options : [];
      const about = stop.checkpoint.kind === 'wake-time' ? ` (the task: ${stop.checkpoint.task})` : '';
      question = { text: `${stop.checkpoint.question}${about}`, choices };
      const answer = prepared?.ok ? prepared.checkpoint.answer : stop.checkpoint.kind === 'choice' ? stop.checkpoint.answer : null;
      if (answer !== null) answers.push({ number, answer: seconds ? `${answer} s` : answer });
    }
    stops.push({ number, title: stop.title, program: stop.program, body: stop.body, question, board, missing });
  });
  return {
    title: lesson.title,
    number: lesson.number,
    summary: lesson.summary,
    body: lesson.body,
    programs: lesson.programs.map((p) => ({ file: p.file, lines: p.source.replace(/\n$/, '').split('\n') })),
    stops,
    answers,
  };
}
