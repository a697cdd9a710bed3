/**
 * The player: which step of which trace is on screen, whether it plays, and how fast. What the
 * board shows is `view.index.at(step)`, a pure function of the trace and the step, so stepping
 * back is exact and any step opens directly. Playing advances one step at a time on animation
 * frames, each step staying on screen for its dwell time divided by the speed.
 */
import type { Board } from '../../trace/board';
import { nextSwitch, previousSwitch } from '../../trace/timeline';
import type { TaskId, Trace } from '../../shared/trace';
import { setMotionDuration } from '../lib/motion';
import { TraceView } from '../lib/trace-view';

export const SPEEDS = [0.25, 0.5, 1, 2, 4, 8] as const;

/** A card's move between lanes at 1×, in ms (scaled by speed; 0 under reduced motion). */
export const MOVE_MS = 300;

export interface PlayerOptions {
  /** Whether the learner asked for reduced motion (read on every move). */
  reducedMotion: () => boolean;
  /** Whether Loop internals are shown (quiet bookkeeping steps then get full time). */
  internals: () => boolean;
  speed?: number;
  onSpeed?: (speed: number) => void;
  /** Playing pauses when it reaches a step for which this says true (a guided tour's stops). */
  breakAt?: (step: number) => boolean;
  /** While this says true, the player does not go forward (a checkpoint waits for an answer). */
  held?: () => boolean;
  /** A task whose wake-up time an open question asks for: the narration does not tell it. */
  secret?: () => TaskId | null;
  /**
   * Before going forward (Step forward, the next switch, Play): may move the player somewhere
   * else instead (a guided tour's stop that was passed by a jump); true when it did.
   */
  detour?: () => boolean;
  /** Playing reached the last step. */
  onEnd?: () => void;
}

export class Player {
  #view = $state.raw<TraceView | null>(null);
  #step = $state(-1);
  #playing = $state(false);
  #speed = $state(1);
  #bySlot = $state(true);
  readonly #options: PlayerOptions;
  #frame = 0;
  #loads = 0;
  #last = 0;
  #owed = 0;

  /** The board at the current step. */
  readonly board: Board | null = $derived.by(() => this.#view?.index.at(this.#step) ?? null);
  /** The sentence for the current step. */
  readonly narration: string = $derived.by(() => {
    const view = this.#view;
    const board = this.board;
    return view && board ? view.narrator.narrate(this.#step, board, this.#options.secret?.() ?? null) : '';
  });

  constructor(options: PlayerOptions) {
    this.#options = options;
    const speed = SPEEDS.find((s) => s === options.speed);
    if (speed) this.#speed = speed;
  }

  get view(): TraceView | null {
    return this.#view;
  }

  get trace(): Trace | null {
    return this.#view?.trace ?? null;
  }

  /** The current step: -1 before the first event, else the index of the last event shown. */
  get step(): number {
    return this.#step;
  }

  /** Number of steps (events) of the trace. */
  get length(): number {
    return this.#view?.length ?? 0;
  }

  get atStart(): boolean {
    return this.#step <= -1;
  }

  get atEnd(): boolean {
    return this.#step >= this.length - 1;
  }

  get playing(): boolean {
    return this.#playing;
  }

  /** True while going forward waits for something (a checkpoint's answer). */
  get held(): boolean {
    return this.#options.held?.() ?? false;
  }

  /**
   * How the lanes key their cards. After a jump (scrubbing, Home/End, reduced motion) cards
   * are keyed by their place in the lane, so the next jump rewrites them in place instead of
   * building new ones; while stepping they are keyed by task, so that a card can travel.
   */
  get cardsBySlot(): boolean {
    return this.#bySlot;
  }

  get speed(): number {
    return this.#speed;
  }

  set speed(speed: number) {
    const known = SPEEDS.find((s) => s === speed);
    if (!known) return;
    this.#speed = known;
    this.#options.onSpeed?.(known);
  }

  /**
   * Shows a new trace from its start; speed and the toggles stay as they are. The view is
   * built in slices, so that a long trace (a runaway program's) never holds up a frame; a
   * newer trace arriving meanwhile wins.
   */
  async load(trace: Trace, options: { play?: boolean } = {}): Promise<void> {
    const ticket = ++this.#loads;
    this.pause();
    const view = await TraceView.build(trace);
    if (ticket !== this.#loads) return;
    this.loadView(view);
    if (options.play) this.play();
  }

  /** Builds and shows a trace at once (the bench times this). */
  loadNow(trace: Trace): void {
    ++this.#loads;
    this.loadView(new TraceView(trace));
  }

  /** Shows nothing (a new program is on its way). */
  unload(): void {
    ++this.#loads;
    this.pause();
    this.#view = null;
    this.#step = -1;
  }

  /** Shows an already built view (the bench and tests use it to skip the build). */
  loadView(view: TraceView): void {
    this.pause();
    this.#view = view;
    this.#move(-1, false);
  }

  /** Shows a step as it stands, with no card moving (an export draws each step this way). */
  showStill(step: number): void {
    this.pause();
    this.#move(step, false);
  }

  seek(step: number): void {
    this.#move(step, Math.abs(step - this.#step) === 1);
  }

  /**
   * A seek by the learner's hand (the scrubber, the timeline, a banner's step link): while a
   * checkpoint holds the player, going forward past the open stop is refused, as Step forward
   * is; going back is allowed. True when the player moved.
   */
  seekByHand(step: number): boolean {
    if (this.held && step > this.#step) return false;
    this.seek(step);
    return true;
  }

  stepForward(): void {
    if (this.held || this.#options.detour?.()) return;
    if (!this.atEnd) this.#move(this.#step + 1, true);
  }

  stepBack(): void {
    if (!this.atStart) this.#move(this.#step - 1, true);
  }

  restart(): void {
    this.pause();
    this.#move(-1, false);
  }

  /** Jumps to the last step; refused while a checkpoint holds the player (it would pass the open stop). */
  toEnd(): void {
    if (this.held) return;
    this.pause();
    this.#move(this.length - 1, false);
  }

  nextSwitch(): void {
    const view = this.#view;
    if (!view || this.held || this.#options.detour?.()) return;
    const internals = this.#options.internals();
    const next = nextSwitch(view.timeline, this.#step, (t) => internals || !view.internal(t));
    // A stop on the way comes first.
    const target = this.#firstBreak(this.#step, next ?? this.length - 1);
    this.#move(target, target === this.#step + 1);
  }

  /** The first step in (from, to] where playing would pause, else `to`. */
  #firstBreak(from: number, to: number): number {
    const breakAt = this.#options.breakAt;
    if (!breakAt) return to;
    for (let step = from + 1; step < to; step++) if (breakAt(step)) return step;
    return to;
  }

  previousSwitch(): void {
    const view = this.#view;
    if (!view) return;
    const internals = this.#options.internals();
    const previous = previousSwitch(view.timeline, this.#step, (t) => internals || !view.internal(t));
    this.#move(previous ?? -1, previous === this.#step - 1);
  }

  toggle(): void {
    if (this.#playing) this.pause();
    else this.play();
  }

  play(): void {
    if (this.#playing || !this.#view || this.length === 0 || this.held || this.#options.detour?.()) return;
    if (this.atEnd) this.#move(-1, false);
    this.#playing = true;
    this.#last = performance.now();
    this.#owed = 0;
    this.#frame = requestAnimationFrame(this.#tick);
  }

  pause(): void {
    this.#playing = false;
    if (this.#frame) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }

  /** Stops the frame loop for good (the component that owns the player is going away). */
  dispose(): void {
    this.pause();
  }

  readonly #tick = (now: number): void => {
    if (!this.#playing || !this.#view) return;
    this.#owed += Math.min(now - this.#last, 250);
    this.#last = now;
    const dwell = this.#view.dwell(this.#step + 1, this.#options.internals()) / this.#speed;
    if (this.#owed >= dwell) {
      this.#owed -= dwell;
      // One step per frame at most: the eye follows one move at a time.
      this.#owed = Math.min(this.#owed, dwell);
      this.#move(this.#step + 1, true);
      if (this.#options.breakAt?.(this.#step)) {
        this.pause();
        return;
      }
      if (this.atEnd) {
        this.pause();
        this.#options.onEnd?.();
        return;
      }
    }
    this.#frame = requestAnimationFrame(this.#tick);
  };

  #move(step: number, animate: boolean): void {
    const target = Math.max(-1, Math.min(Math.round(step), this.length - 1));
    const moving = animate && !this.#options.reducedMotion();
    let move = moving ? MOVE_MS / this.#speed : 0;
    if (moving && this.#bySlot) {
      // The first step after a jump re-keys the cards by task: that one happens instantly.
      this.#bySlot = false;
      move = 0;
    } else if (!moving) {
      this.#bySlot = true;
    }
    // While playing, never longer than the time the step stays on screen.
    const dwell = this.#view && this.#playing ? this.#view.dwell(target, this.#options.internals()) / this.#speed : Infinity;
    setMotionDuration(Math.min(move, dwell * 0.9));
    this.#step = target;
  }
}
