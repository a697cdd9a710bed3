/**
 * The guided tour of the lesson on screen. Its stops are resolved against the run the player
 * shows (src/lessons resolveStops), so after an edit they follow the new run, and a stop whose
 * moment no longer happens says so. Playing pauses at each stop; Continue goes on. At a stop
 * with a checkpoint the player holds until the learner answers; then the answer is graded from
 * the run and shown on the board (the player moves to its reveal step and the guide says what
 * to highlight). Passed checkpoints and finished lessons go to the learner's progress.
 *
 * What the learner answered lasts as long as the run it was asked about.
 */
import { untrack } from 'svelte';
import {
  type CheckpointResult,
  gradeAnswer,
  type PreparedCheckpoint,
  prepareCheckpoint,
  type ResolvedStop,
  resolveStops,
  wrongPick,
} from '../../lessons';
import type { TourStop } from '../../shared/lesson';
import type { TaskId } from '../../shared/trace';
import { type Hidden, hiddenFor, NOTHING_HIDDEN } from '../lib/board-view';
import { breaksAt, nextShowable, placeAt, type RevealFocus, revealFocus, showable, stillOpen, tourEnded } from '../lib/tour';
import type { TraceView } from '../lib/trace-view';
import { type Course, lessonProgramKey } from './course.svelte';
import type { Player } from './player.svelte';
import type { Progress } from './progress.svelte';
import type { Session } from './session.svelte';

export interface Answer {
  given: string;
  right: boolean;
}

/** The stop the learner is at, with everything the lesson pane shows about it. */
export interface CurrentStop {
  /** Index in `guide.stops` (this program's stops). */
  index: number;
  resolved: ResolvedStop;
  /** Its number in the whole lesson (1-based) and the lesson's number of stops. */
  number: number;
  total: number;
  /** The player stands on the stop (or on the step that reveals its answer). */
  exact: boolean;
  /** Showing the answer of its checkpoint on the board. */
  revealing: boolean;
}

interface Revealing {
  view: TraceView;
  index: number;
  focus: RevealFocus;
}

export class Guide {
  #on = $state(true);
  /** Which of several stops on one step is open (an index into the stops of that run). */
  #pick = $state.raw<{ view: TraceView; index: number } | null>(null);
  #answers = $state.raw<Record<string, Answer>>({});
  /** Wrong choices tried at each stop, in this run. */
  #tried = $state.raw<Record<string, string[]>>({});
  /** The run the answers were given in. */
  #answersView = $state.raw<TraceView | null>(null);
  #revealing = $state.raw<Revealing | null>(null);
  /** A stop of another program the learner asked for: shown once that program is traced. */
  #pending = $state<string | null>(null);
  /** The learner pressed Continue at the lesson's last stop. */
  #finished = $state(false);
  /** A wrong choice just picked at a stop, its answer not shown yet (trying again can still teach). */
  #wrong = $state.raw<Record<string, string>>({});
  /** The stops the learner has been shown (stood on), in this run. */
  #opened = $state.raw<{ view: TraceView | null; ids: ReadonlySet<string> }>({ view: null, ids: new Set() });
  /** A stop an answer's reveal jumped past: going forward goes back to it first. */
  #owed = $state.raw<{ view: TraceView; id: string } | null>(null);
  readonly #checkpoints = new WeakMap<TraceView, Map<string, CheckpointResult>>();
  readonly #player: Player;
  readonly #session: Session;
  readonly #course: Course;
  readonly #progress: Progress;

  /** This program's stops, resolved against the run on the board (empty while it is not this program's). */
  readonly stops: ResolvedStop[] = $derived.by(() => {
    const lesson = this.#course.lesson;
    const file = this.#course.file;
    const view = this.#player.view;
    if (!lesson || !file || !view || this.#session.tracedKey !== lessonProgramKey(lesson.slug, file)) return [];
    return resolveStops(lesson.stops, file, view.trace);
  });

  /** The stop the player is at or has last passed, or null before the first one. */
  readonly current: CurrentStop | null = $derived.by(() => {
    const lesson = this.#course.lesson;
    const stops = this.stops;
    if (!lesson || stops.length === 0) return null;
    const step = this.#player.step;
    const r = this.#revealing;
    let index: number;
    let exact: boolean;
    let revealing = false;
    if (r && r.view === this.#player.view && r.focus.step === step && stops[r.index]) {
      index = r.index;
      exact = true;
      revealing = true;
    } else {
      const pick = this.#pick?.view === this.#player.view ? this.#pick.index : null;
      const place = placeAt(stops, step, pick);
      if (!place) return null;
      index = place.index;
      exact = place.exact;
    }
    const resolved = stops[index]!;
    return { index, resolved, number: lesson.stops.indexOf(resolved.stop) + 1, total: lesson.stops.length, exact, revealing };
  });

  /** The checkpoint of the current stop, prepared from the run (null when it asks nothing). */
  readonly checkpoint: CheckpointResult | null = $derived.by(() => {
    const current = this.current;
    const view = this.#player.view;
    if (!current || !view || !current.resolved.stop.checkpoint || current.resolved.step === null) return null;
    return this.#prepare(view, current.resolved);
  });

  constructor(deps: { player: Player; session: Session; course: Course; progress: Progress }) {
    this.#player = deps.player;
    this.#session = deps.session;
    this.#course = deps.course;
    this.#progress = deps.progress;

    // A stop the player stands on has been shown: note it (and it is no longer owed).
    $effect(() => {
      const current = this.current;
      const view = this.#player.view;
      if (!current?.exact || !view) return;
      const id = current.resolved.stop.id;
      untrack(() => {
        const opened = this.#opened.view === view ? this.#opened.ids : new Set<string>();
        if (!opened.has(id)) this.#opened = { view, ids: new Set([...opened, id]) };
        if (this.#owed?.id === id) this.#owed = null;
      });
    });

    // Going past the last stop to the end of the run ends the tour as Continue there does.
    $effect(() => {
      const lesson = this.#course.lesson;
      if (!this.on || !lesson || this.finished || !this.ended) return;
      untrack(() => {
        this.#progress.markFinished(lesson.slug);
        this.#finished = true;
      });
    });

    // A stop of another program was asked for: go to it once that program's run is here.
    $effect(() => {
      const id = this.#pending;
      if (id === null) return;
      const index = this.stops.findIndex((s) => s.stop.id === id);
      if (index < 0) return;
      const stop = this.stops[index]!;
      untrack(() => {
        this.#pending = null;
        if (showable(stop)) this.#goTo(index, stop.step);
      });
    });
  }

  /** Guided mode: playing pauses at the stops and the lesson pane shows them. */
  get on(): boolean {
    return this.#on && this.#course.lesson !== null;
  }

  set on(on: boolean) {
    this.#on = on;
    if (!on) this.#revealing = null;
  }

  /** The lesson was opened afresh: guided, from the start. */
  reset(): void {
    this.#on = true;
    this.#pick = null;
    this.#answers = {};
    this.#tried = {};
    this.#answersView = null;
    this.#revealing = null;
    this.#pending = null;
    this.#finished = false;
    this.#wrong = {};
    this.#owed = null;
  }

  /** Does playing pause at this step? */
  breakAt(step: number): boolean {
    return this.on && breaksAt(this.stops, step);
  }

  /** The player waits for the learner's answer to the open stop's checkpoint. */
  get held(): boolean {
    const current = this.current;
    const prepared = this.checkpoint;
    return (
      this.on &&
      current !== null &&
      current.exact &&
      !current.revealing &&
      prepared !== null &&
      prepared.ok &&
      this.answerTo(current.resolved.stop.id) === null
    );
  }

  /** The learner's answer at a stop, in this run. */
  answerTo(stopId: string): Answer | null {
    if (this.#answersView !== this.#player.view) return null;
    return this.#answers[stopId] ?? null;
  }

  /** The wrong choice just picked at a stop whose answer is not shown yet, or null. */
  wrongPick(stopId: string): string | null {
    if (this.#answersView !== this.#player.view) return null;
    return this.#wrong[stopId] ?? null;
  }

  /** Has the learner been shown this stop (stood on it) in this run? */
  opened(stopId: string): boolean {
    return this.#opened.view === this.#player.view && this.#opened.ids.has(stopId);
  }

  /**
   * What the board must not show while the open question waits for its answer, by its kind:
   * the queue's "runs next" always; every queue position for "which task runs next?"; every
   * wake-up time and time left for a wake-time question (board-view.ts `Hidden`).
   */
  get hidden(): Hidden {
    if (!this.held) return NOTHING_HIDDEN;
    const prepared = this.checkpoint;
    return prepared?.ok ? hiddenFor(prepared.checkpoint.kind, this.secret) : NOTHING_HIDDEN;
  }

  /** The task whose wake-up time the open question asks for (null when none does). */
  get secret(): TaskId | null {
    if (!this.held) return null;
    const prepared = this.checkpoint;
    const view = this.#player.view;
    if (!prepared?.ok || prepared.checkpoint.kind !== 'wake-time' || !view) return null;
    const reveal = prepared.checkpoint.revealStep;
    const event = reveal === null ? undefined : view.trace.events[reveal];
    return event?.kind === 'push' && event.item.kind === 'task' ? event.item.task : null;
  }

  /** Wrong choices already tried at a stop, in this run. */
  triedAt(stopId: string): readonly string[] {
    if (this.#answersView !== this.#player.view) return [];
    return this.#tried[stopId] ?? [];
  }

  /** What to highlight on the board: the answer, while its step is on screen. */
  get focus(): RevealFocus | null {
    const r = this.#revealing;
    if (!r || !this.on || r.view !== this.#player.view || r.focus.step !== this.#player.step) return null;
    return r.focus;
  }

  /** The lesson's last stop was reached and Continued: the lesson is finished. */
  get finished(): boolean {
    const lesson = this.#course.lesson;
    return this.#finished && lesson !== null && this.#progress.isFinished(lesson.slug);
  }

  /**
   * The tour is over: Continue was pressed at the lesson's last stop, or the player went past
   * it to the end of the run (stepping, End, the scrubber). The lesson then counts as finished.
   */
  get ended(): boolean {
    const lesson = this.#course.lesson;
    const current = this.current;
    if (!lesson) return false;
    const at = current ? { stop: current.resolved.stop, exact: current.exact } : null;
    return tourEnded(lesson.stops.at(-1), at, this.#player.atEnd, this.finished);
  }

  /** The lesson's stops whose question is not answered right yet (numbered), for the end of the tour. */
  get stillOpen(): { number: number; stop: TourStop }[] {
    const lesson = this.#course.lesson;
    if (!lesson) return [];
    return stillOpen(lesson.stops, (id) => this.#progress.hasPassed(lesson.slug, id));
  }

  /** The stop that Continue goes to next, if any (in this program or the next one). */
  get upcoming(): TourStop | null {
    const lesson = this.#course.lesson;
    const current = this.current;
    if (!lesson) return null;
    if (!current) {
      const first = this.stops.find((s) => showable(s));
      return first?.stop ?? null;
    }
    const next = nextShowable(this.stops, current.index);
    if (next !== null) return this.stops[next]!.stop;
    return this.#laterProgramStop(current.resolved.stop);
  }

  /** Picks a choice at the open checkpoint: graded, recorded, and the answer shown on the board. */
  answer(choice: string): void {
    const current = this.current;
    const prepared = this.checkpoint;
    const view = this.#player.view;
    const lesson = this.#course.lesson;
    if (!current || !prepared?.ok || !view || !lesson || current.resolved.step === null) return;
    const stop = current.resolved.stop;
    if (this.#answersView !== view) {
      this.#answers = {};
      this.#tried = {};
      this.#wrong = {};
      this.#answersView = view;
    }
    if (this.#answers[stop.id]) return;
    const right = gradeAnswer(prepared.checkpoint, choice);
    this.#player.pause();
    if (!right) {
      const tried = [...(this.#tried[stop.id] ?? []), choice];
      this.#tried = { ...this.#tried, [stop.id]: tried };
      // Trying again can teach something when the reason this pick is wrong can be told
      // without giving the answer away, and two choices at least are left to weigh: say why,
      // keep the answer hidden. Otherwise the question is answered (wrongly).
      if (wrongPick(prepared.checkpoint, choice, tried).again) {
        this.#wrong = { ...this.#wrong, [stop.id]: choice };
        return;
      }
    }
    const { [stop.id]: _was, ...wrong } = this.#wrong;
    this.#wrong = wrong;
    this.#answers = { ...this.#answers, [stop.id]: { given: choice, right } };
    if (right) this.#progress.markPassed(lesson.slug, stop.id);
    this.#reveal(view, current.index, prepared.checkpoint.revealStep);
  }

  /** After a wrong pick, the learner gives up: the answer, shown on the board. */
  showAnswer(): void {
    const current = this.current;
    const prepared = this.checkpoint;
    const view = this.#player.view;
    if (!current || !prepared?.ok || !view) return;
    const id = current.resolved.stop.id;
    const given = this.#wrong[id];
    if (given === undefined) return;
    const { [id]: _was, ...wrong } = this.#wrong;
    this.#wrong = wrong;
    this.#answers = { ...this.#answers, [id]: { given, right: false } };
    this.#reveal(view, current.index, prepared.checkpoint.revealStep);
  }

  #reveal(view: TraceView, index: number, reveal: number | null): void {
    if (reveal === null) return;
    this.#revealing = { view, index, focus: revealFocus(view.trace, reveal) };
    // Stops between this one and the answer's step would be passed by the jump: the first of
    // them is owed, and going forward goes back to it.
    const owed = this.stops.find((s, i) => i > index && showable(s) && s.step <= reveal && !this.opened(s.stop.id));
    this.#owed = owed ? { view, id: owed.stop.id } : null;
    this.#player.seek(reveal);
  }

  /** After a wrong pick: the question again, the wrong choice marked. */
  tryAgain(): void {
    this.#reopen((id) => {
      const { [id]: _was, ...wrong } = this.#wrong;
      this.#wrong = wrong;
    });
  }

  /**
   * After a wrong answer was shown: the question asked afresh, every choice open again, so that
   * a question answered wrongly (a two-choice one is, at the first wrong pick) can still be
   * passed, in this run, without running the program again (a newcomer's: the end of the tour
   * sent them back to a stop whose choices were all disabled).
   */
  askAgain(): void {
    const id = this.current?.resolved.stop.id;
    if (id === undefined || this.#answers[id]?.right !== false) return;
    this.#reopen(() => {
      const { [id]: _tried, ...tried } = this.#tried;
      this.#tried = tried;
    });
  }

  /** The open stop's question unanswered again (and whatever `forget` drops of it), the player back at the stop. */
  #reopen(forget: (id: string) => void): void {
    const current = this.current;
    if (!current || current.resolved.step === null) return;
    const id = current.resolved.stop.id;
    const { [id]: _dropped, ...rest } = this.#answers;
    this.#answers = rest;
    forget(id);
    this.#revealing = null;
    this.#goTo(current.index, current.resolved.step);
  }

  /**
   * Before the player goes forward by the learner's hand (Step forward, the next switch, Play):
   * a stop an answer's reveal jumped past is shown first. True when it moved the player there.
   */
  detour(): boolean {
    const owed = this.#owed;
    const view = this.#player.view;
    if (!this.on || !owed || owed.view !== view) return false;
    const index = this.stops.findIndex((s) => s.stop.id === owed.id);
    const stop = this.stops[index];
    if (!stop || !showable(stop) || stop.step > this.#player.step) {
      // Gone, or the learner went back before it: stepping on meets it.
      this.#owed = null;
      return false;
    }
    this.#goTo(index, stop.step);
    return true;
  }

  /** Playing reached the end of this program's run: a tour that goes on in another program moves there. */
  onPlayEnd(): void {
    const lesson = this.#course.lesson;
    if (!this.on || !lesson) return;
    const later = this.#nextProgramStop();
    if (later) this.#course.openLesson(lesson.slug, later.program, { play: true });
  }

  /** The first stop of a program after the one on screen (in the lesson's order of programs). */
  #nextProgramStop(): TourStop | null {
    const lesson = this.#course.lesson;
    const file = this.#course.file;
    if (!lesson || !file) return null;
    const order = lesson.programs.map((p) => p.file);
    const here = order.indexOf(file);
    return lesson.stops.find((s) => order.indexOf(s.program) > here) ?? null;
  }

  /**
   * Goes on from the open stop: to the next stop on the same step, back to a stop the answer's
   * reveal went past, or plays on to the next one; into the lesson's next program when this
   * one's stops are done. Continuing from the lesson's last stop finishes the lesson.
   */
  continue(): void {
    const lesson = this.#course.lesson;
    if (!lesson || this.held) return;
    const current = this.current;
    if (!current) {
      this.#player.play(); // before the first stop: start the tour
      return;
    }
    if (!current.exact) {
      if (this.#player.atEnd) {
        // This program's run is over: the tour goes on in the next program, if it does.
        const later = this.#nextProgramStop();
        if (later) this.#course.openLesson(lesson.slug, later.program, { play: true });
        return;
      }
      this.#player.play();
      return;
    }
    const stop = current.resolved.stop;
    if (stop === lesson.stops.at(-1)) {
      this.#progress.markFinished(lesson.slug);
      this.#finished = true;
    }
    this.#revealing = null;
    const next = nextShowable(this.stops, current.index);
    if (next !== null) {
      const step = this.stops[next]!.step!;
      if (step <= this.#player.step) this.#goTo(next, step);
      else {
        this.#pick = null;
        this.#player.play();
      }
      return;
    }
    const later = this.#laterProgramStop(stop);
    if (later) {
      this.#course.openLesson(lesson.slug, later.program, { play: true });
      return;
    }
    if (!this.#player.atEnd) this.#player.play();
  }

  /**
   * Play / Pause in a guided lesson: at an open stop, Play goes on as Continue does (so a stop
   * that an answer's reveal went past is not skipped); anywhere else it plays.
   */
  toggle(): void {
    if (this.#player.playing) this.#player.pause();
    else if (this.on && this.current?.exact && !this.held) this.continue();
    else if (this.on && this.#player.atEnd && this.#nextProgramStop()) this.onPlayEnd();
    else this.#player.play();
  }

  /** Shows a stop of the lesson (by its place in the lesson's tour), switching program if need be. */
  jumpTo(stop: TourStop): void {
    const lesson = this.#course.lesson;
    if (!lesson) return;
    this.#on = true;
    if (stop.program !== this.#course.file) {
      this.#pending = stop.id;
      this.#course.openLesson(lesson.slug, stop.program);
      return;
    }
    const index = this.stops.findIndex((s) => s.stop === stop);
    const resolved = this.stops[index];
    if (resolved && showable(resolved)) this.#goTo(index, resolved.step);
  }

  #goTo(index: number, step: number): void {
    this.#player.pause();
    this.#revealing = null;
    const view = this.#player.view;
    this.#pick = view ? { view, index } : null;
    this.#player.seek(step);
  }

  /** The first stop after `stop` that belongs to another of the lesson's programs. */
  #laterProgramStop(stop: TourStop): TourStop | null {
    const lesson = this.#course.lesson;
    if (!lesson) return null;
    const after = lesson.stops.slice(lesson.stops.indexOf(stop) + 1);
    return after.find((s) => s.program !== stop.program) ?? null;
  }

  #prepare(view: TraceView, resolved: ResolvedStop): CheckpointResult | null {
    const checkpoint = resolved.stop.checkpoint;
    if (!checkpoint || resolved.step === null) return null;
    let cache = this.#checkpoints.get(view);
    if (!cache) {
      cache = new Map();
      this.#checkpoints.set(view, cache);
    }
    let result = cache.get(resolved.stop.id);
    if (!result) {
      result = prepareCheckpoint(view.trace, resolved.step, checkpoint, view.index);
      cache.set(resolved.stop.id, result);
    }
    return result;
  }
}

export type { PreparedCheckpoint };
