/**
 * Checkpoints: prediction questions graded from the trace. At a stop's step the learner is
 * asked what happens next; the run itself holds the answer.
 *
 * - next-task: the task of the next `pop` after the step that is not cancelled and is a task
 *   (plain callbacks, such as a timer's, are skipped: the question is about tasks).
 * - next-output: the first line of the next `output` event after the step.
 * - wake-time: the clock at the next `push` of the named task after the step with reason
 *   `wake` (what it waited for is done) or `cancel` (it is woken to be cancelled).
 * - choice: the answer the lesson gives.
 *
 * Each comes with the choices to offer (deterministic), the right answer, a one-sentence
 * explanation, and the step at which the answer shows on the board.
 */
import type { Checkpoint } from '../shared/lesson';
import type { TaskId, Trace } from '../shared/trace';
import { type Board, BoardIndex, readyOf } from '../trace/board';
import { callbackLabel, formatClock, waitOn } from '../trace/describe';
import { coroutineName, taskMatches } from './anchors';

export interface PreparedCheckpoint {
  kind: Checkpoint['kind'];
  question: string;
  /** What the learner picks from, in a fixed order. Always holds `answer`. */
  choices: string[];
  answer: string;
  /** One sentence saying why the answer is right. */
  explanation: string;
  /** The step at which the answer can be seen on the board (the player can jump there). */
  revealStep: number | null;
  /** Other spellings that also count as right (a task's bare name, a number's digits). */
  accepted: string[];
  /**
   * For each wrong choice, one sentence drawn from the run saying why it is wrong ("Task-3
   * sleeps until 0.0002 s: Task-2 runs before that."). Absent for `choice` questions, whose
   * answer the lesson gives. It may name the answer: it is shown once the question is answered.
   */
  why: Record<string, string>;
  /**
   * For each wrong choice, a reason it is wrong that does NOT give the answer away (no answer
   * named, no time or task that is the answer): what the learner is told while trying again.
   * A choice without one is not offered a second try (see `wrongPick`).
   */
  hint: Record<string, string>;
}

/**
 * What follows a wrong pick. The learner may try again only when a reason can be given that
 * does not reveal the answer (`hint`) and two choices at least are still left to weigh;
 * otherwise the question counts as answered (wrongly) and the answer is shown with its `why`.
 * `tried` holds every wrong choice picked so far, this one included.
 */
export function wrongPick(prepared: PreparedCheckpoint, choice: string, tried: readonly string[]): { again: true; hint: string } | { again: false } {
  const hint = prepared.hint[choice];
  const left = prepared.choices.filter((c) => !tried.includes(c));
  return hint !== undefined && hint !== '' && left.length >= 2 ? { again: true, hint } : { again: false };
}

export type CheckpointResult = { ok: true; checkpoint: PreparedCheckpoint } | { ok: false; problem: string };

/** The words that stand for "nothing else is printed" in a next-output question. */
export const NOTHING_MORE = '(nothing more)';

/**
 * How a task is offered as a choice: `print_nums (Task-2)`; a task the program named goes by
 * its name (`tea`). When several tasks of the run share a coroutine function, the whole call
 * tells them apart: `count('ant') (Task-2)`.
 */
export function taskLabel(trace: Trace, task: TaskId, board?: Board): string {
  const info = trace.tasks[task];
  if (!info) return `Task #${task}`;
  const name = board?.names[task] ?? info.name;
  if (!/^Task-\d+$/.test(name)) return name;
  const short = coroutineName(info.coro);
  const shared = trace.tasks.some((t) => t.id !== task && coroutineName(t.coro) === short);
  return `${shared ? info.coro : short} (${name})`;
}

/**
 * Prepares the checkpoint of a stop at `step`. Pass a BoardIndex of the trace when you have one
 * (the player does); otherwise one is built.
 */
export function prepareCheckpoint(trace: Trace, step: number, checkpoint: Checkpoint, index?: BoardIndex): CheckpointResult {
  const boards = index ?? new BoardIndex(trace);
  switch (checkpoint.kind) {
    case 'next-task':
      return nextTask(trace, step, checkpoint.question, boards);
    case 'next-output':
      return nextOutput(trace, step, checkpoint.question, boards);
    case 'wake-time':
      return wakeTime(trace, step, checkpoint.question, checkpoint.task, boards);
    case 'choice':
      return {
        ok: true,
        checkpoint: {
          kind: 'choice',
          question: checkpoint.question,
          choices: checkpoint.options.slice(),
          answer: checkpoint.answer,
          explanation: `The answer is: ${checkpoint.answer}`,
          revealStep: step,
          accepted: [],
          why: {},
          hint: {},
        },
      };
  }
}

function normalize(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * `text` without a unit of seconds at its end ("2 s", "2s", "2 seconds", "2 Second"), and the
 * spaces before it, as `/\s*s(econds?)?$/i` removed them, read by hand: that expression took
 * time as the square of the text's length (40 s and more for 1,000,000 characters of a pack's
 * answer, a reviewer's).
 */
function withoutSeconds(text: string): string {
  for (const unit of ['seconds', 'second', 's']) {
    if (text.length >= unit.length && text.slice(-unit.length).toLowerCase() === unit) return text.slice(0, -unit.length).trimEnd();
  }
  return text;
}

/** Is `given` the right answer? Case and extra spaces do not matter; numbers compare as numbers. */
export function gradeAnswer(prepared: PreparedCheckpoint, given: string): boolean {
  const wanted = [prepared.answer, ...prepared.accepted].map(normalize);
  if (wanted.includes(normalize(given))) return true;
  if (prepared.kind === 'wake-time') {
    const a = Number(withoutSeconds(given.trim()));
    const b = Number(prepared.answer);
    return Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
  }
  return false;
}

function nextTask(trace: Trace, step: number, question: string, boards: BoardIndex): CheckpointResult {
  const events = trace.events;
  let at = -1;
  for (let i = step + 1; i < events.length; i++) {
    const e = events[i]!;
    if (e.kind === 'pop' && !e.cancelled && e.item.kind === 'task') {
      at = i;
      break;
    }
  }
  if (at < 0) return { ok: false, problem: 'no task runs after this step, so there is no next task to predict.' };
  const popped = events[at]!;
  if (popped.kind !== 'pop' || popped.item.kind !== 'task') throw new Error('unreachable');
  const answerTask = popped.item.task;
  const board = boards.at(step);
  const atPop = boards.at(at);
  const answer = taskLabel(trace, answerTask, atPop);

  // The tasks that exist and are not done at this step, in the order they were created.
  const done = new Set(board.done.map((d) => d.task));
  const alive = trace.tasks.filter((t) => t.createdAt <= step && !done.has(t.id)).map((t) => t.id);
  if (!alive.includes(answerTask)) alive.push(answerTask);
  const choices = alive.map((t) => taskLabel(trace, t, board));
  if (!choices.includes(answer)) choices[alive.indexOf(answerTask)] = answer;
  if (choices.length < 2) {
    return { ok: false, problem: `only one task (${answer}) exists at this step, so the question has no real choice.` };
  }

  const why: Record<string, string> = {};
  const hint: Record<string, string> = {};
  alive.forEach((t, i) => {
    const choice = choices[i]!;
    if (t !== answerTask && choice !== answer) {
      why[choice] = whyNotNextTask(trace, board, atPop, t, answerTask, answer);
      hint[choice] = whyNotNextTask(trace, board, atPop, t, answerTask, null);
    }
  });
  const info = trace.tasks[answerTask]!;
  const accepted = [info.name, info.coro, atPop.names[answerTask] ?? info.name];
  if (!trace.tasks.some((t) => t.id !== answerTask && coroutineName(t.coro) === coroutineName(info.coro))) {
    accepted.push(coroutineName(info.coro));
  }
  return {
    ok: true,
    checkpoint: {
      kind: 'next-task',
      question,
      choices,
      answer,
      explanation: explainNextTask(trace, step, at, answerTask, board, boards),
      revealStep: at,
      accepted,
      why,
      hint,
    },
  };
}

/**
 * Why task `t` is not the next task the loop runs (`answer` is), in one sentence. With
 * `answer` null, the same reason told without naming the answer (nor the time it runs).
 */
function whyNotNextTask(trace: Trace, board: Board, atPop: Board, t: TaskId, answerTask: TaskId, answer: string | null): string {
  const label = taskLabel(trace, t, board);
  const running = board.running;
  if (running?.kind === 'task' && running.task === t) {
    return answer === null
      ? `${label} is the task running now; the question is which task the loop takes once it gives control back.`
      : `${label} is the task running now; when it gives control back, the loop takes ${answer} first.`;
  }
  const ready = readyOf(board);
  const place = ready.findIndex((item) => item.kind === 'task' && item.task === t);
  if (place >= 0) {
    return answer === null
      ? `${label} is not at the head of the ready queue, and the loop always takes the head of the queue first.`
      : `${label} is ${ordinalWord(place + 1)} in the ready queue, behind ${answer}: the loop always takes the head of the queue first.`;
  }
  const sleeper = board.sleeping.find((x) => x.task === t);
  if (sleeper?.wait.kind === 'sleep' && sleeper.wait.until !== null) {
    const until = sleeper.wait.until;
    const then = atPop.clock;
    if (answer === null) {
      return until > then + 1e-12
        ? `${label} is asleep, and another task is ready to run before its timer is due.`
        : `${label}’s timer is due at the same moment as another’s, and that other task is ahead of it in the ready queue.`;
    }
    if (until > then + 1e-12) return `${label} sleeps until ${formatClock(until)} s; ${answer} runs before that, at ${formatClock(then)} s.`;
    return `${label}’s timer is due at ${formatClock(until)} s too, but ${answer} is ahead of it in the ready queue when their timers fire.`;
  }
  if (sleeper) {
    return answer === null
      ? `${label} waits for ${waitOn(trace, sleeper.wait, board)}, which is not done before the loop runs its next task.`
      : `${label} waits for ${waitOn(trace, sleeper.wait, board)}, which is not done before ${answer} runs.`;
  }
  return answer === null
    ? `${label} cannot run yet: it is not what the loop takes next from its ready queue.`
    : `${label} cannot run yet: ${answer} is the next task the loop takes from its ready queue.`;
}

function ordinalWord(n: number): string {
  return ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'][n - 1] ?? `number ${n}`;
}

function explainNextTask(trace: Trace, step: number, at: number, task: TaskId, board: Board, boards: BoardIndex): string {
  const label = taskLabel(trace, task, board);
  const ready = readyOf(board);
  const firstTask = ready.find((item) => item.kind === 'task');
  if (firstTask && firstTask.kind === 'task' && firstTask.task === task) {
    const ahead = ready.indexOf(firstTask);
    return ahead === 0
      ? `${label} is at the head of the ready queue, and the loop always runs the head of the queue first.`
      : `${label} is the first task in the ready queue; the loop first runs the ${ahead === 1 ? 'callback' : `${ahead} callbacks`} ahead of it, then takes it.`;
  }
  // It joins the queue between now and then: say why.
  let reason: string | null = null;
  for (let i = step + 1; i < at; i++) {
    const e = trace.events[i]!;
    if (e.kind === 'push' && e.item.kind === 'task' && e.item.task === task) reason = e.reason;
  }
  const sleeping = board.sleeping.find((s) => s.task === task);
  const before = step > 0 ? boards.at(step - 1).clock : 0;
  const then = boards.at(at).clock;
  if (reason === 'wake' && sleeping?.wait.kind === 'sleep' && sleeping.wait.until !== null && then < sleeping.wait.until - 1e-12) {
    let pushAt = at;
    for (let i = step + 1; i < at; i++) {
      const e = trace.events[i]!;
      if (e.kind === 'push' && e.item.kind === 'task' && e.item.task === task) pushAt = i;
    }
    return `${label} was asleep until ${formatClock(sleeping.wait.until)}, but its sleep is cut short because ${canceller(trace, boards.at(pushAt))}: it joins the ready queue to meet its CancelledError, and is the next task to run.`;
  }
  if (reason === 'wake' && sleeping?.wait.kind === 'sleep' && then > before) {
    const others = board.sleeping.filter(
      (s) => s.task !== task && s.wait.kind === 'sleep' && s.wait.until !== null && Math.abs(s.wait.until - then) < 1e-12 && s.since > sleeping.since,
    );
    const tie = others.length > 0 ? `, and so is the timer of ${others.map((o) => taskLabel(trace, o.task, board)).join(' and ')}, set later` : '';
    return `Nothing else can run, so the loop moves the clock on to ${formatClock(then)}. The timer of ${label} is due then${tie}; so ${label} wakes first and is the first task to run.`;
  }
  if (reason === 'wake') {
    const waited = sleeping ? ` on ${waitOn(trace, sleeping.wait, board, task)}` : '';
    const moved = then > before ? ` when the loop moves the clock on to ${formatClock(then)}` : '';
    return `The wait of ${label}${waited} ends first${moved}, so it joins the ready queue and is the next task the loop runs.`;
  }
  if (reason === 'start') return `${label} is a new task: its first step joins the ready queue and it is the next task the loop runs.`;
  if (reason === 'cancel') return `${label} is cancelled, so it is put back in the ready queue to run and meet its CancelledError.`;
  if (reason === 'yield') return `${label} gives way and goes to the back of the ready queue, and it is still the next task to run.`;
  return `${label} is the next task the loop takes from its ready queue.`;
}

/** Who cancels a task, from what runs at the step where the task is woken. */
function canceller(trace: Trace, board: Board): string {
  const running = board.running;
  if (running?.kind === 'task') return `${taskLabel(trace, running.task, board)} cancels it`;
  if (running?.kind === 'callback') {
    const label = callbackLabel(trace, running.callback);
    if (/timeout/i.test(label)) return 'its timeout runs out';
    if (/TaskGroup/.test(label)) return 'its TaskGroup cancels it (another task of the group failed)';
    return `the callback ${label} cancels it`;
  }
  return 'it is cancelled';
}

interface PrintedLine {
  text: string;
  /** Offsets in the whole output: [start, end), the newline excluded. */
  start: number;
  end: number;
}

/** The program's output as one text, with the step that wrote each piece of it. */
function outputStream(trace: Trace): { text: string; pieces: { step: number; end: number }[]; lines: PrintedLine[] } {
  let text = '';
  const pieces: { step: number; end: number }[] = [];
  trace.events.forEach((e, i) => {
    if (e.kind !== 'output') return;
    text += e.text;
    pieces.push({ step: i, end: text.length });
  });
  const lines: PrintedLine[] = [];
  let start = 0;
  for (const part of text.split('\n')) {
    lines.push({ text: part, start, end: start + part.length });
    start += part.length + 1;
  }
  if (lines.length > 0 && lines[lines.length - 1]!.text === '') lines.pop(); // after the final newline
  return { text, pieces, lines };
}

function shown(line: string): string {
  return line === '' ? '(an empty line)' : line;
}

function nextOutput(trace: Trace, step: number, question: string, boards: BoardIndex): CheckpointResult {
  const { text, pieces, lines } = outputStream(trace);
  // How much had been printed by the end of this step.
  let printed = 0;
  for (const piece of pieces) if (piece.step <= step) printed = piece.end;
  // The next line: the line being printed (when the step is in the middle of one and more of it
  // is still to come), else the next line that starts after it.
  const index = lines.findIndex((l) => l.end > printed || (l.start >= printed && l.start < text.length));
  const next = index >= 0 && index < lines.length ? lines[index]! : null;
  const answer = next ? shown(next.text) : NOTHING_MORE;
  let revealStep: number | null = null;
  if (next) {
    const last = next.end > next.start ? next.end - 1 : next.end; // its last character, or its newline
    revealStep = pieces.find((p) => p.end > last)?.step ?? null;
  }

  const pool: string[] = [answer];
  for (const line of lines.slice(index >= 0 ? index + 1 : lines.length)) {
    if (pool.length >= 4) break;
    if (!pool.includes(shown(line.text))) pool.push(shown(line.text));
  }
  const earlier = lines.filter((l) => l.end <= printed && (next === null || l.start < next.start)).reverse();
  for (const line of earlier) {
    if (pool.length >= 3) break;
    if (!pool.includes(shown(line.text))) pool.push(shown(line.text));
  }
  if (pool.length < 3 && !pool.includes(NOTHING_MORE)) pool.push(NOTHING_MORE);
  if (pool.length < 2) return { ok: false, problem: 'the program prints nothing before or after this step, so there is nothing to predict.' };
  const choices = pool.slice().sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));

  let explanation: string;
  if (next === null || revealStep === null) {
    explanation = 'The program prints nothing more after this point.';
  } else {
    const board = boards.at(revealStep);
    const running = board.running;
    const who = running?.kind === 'task' ? taskLabel(trace, running.task, board) : 'the main program, outside any task';
    let line: number | null = null;
    for (let i = revealStep - 1; i >= 0; i--) {
      const e = trace.events[i]!;
      if (e.kind === 'line') {
        line = e.line;
        break;
      }
    }
    explanation = `The next line printed is "${answer}", written by ${who}${line !== null ? ` at line ${line}` : ''}.`;
  }
  const why: Record<string, string> = {};
  const hint: Record<string, string> = {};
  for (const choice of choices) {
    if (choice === answer) continue;
    if (choice === NOTHING_MORE) {
      why[choice] = `The program prints more: the next line is "${answer}".`;
      hint[choice] = 'The program prints more after this point.';
      continue;
    }
    const later = next === null ? -1 : lines.findIndex((l, i) => i > index && shown(l.text) === choice);
    const before = lines.some((l) => l.end <= printed && shown(l.text) === choice);
    const then = next === null ? 'the program prints nothing more after this point' : `the next line is "${answer}"`;
    if (later >= 0) {
      why[choice] = `"${choice}" is printed later, after "${answer}".`;
      hint[choice] = `"${choice}" is printed later, but another line comes first.`;
    } else if (before) {
      why[choice] = `"${choice}" was printed already, before this point; ${then}.`;
      hint[choice] = `"${choice}" was printed already, before this point.`;
    } else {
      why[choice] = `"${choice}" is not what comes next: ${then}.`;
      hint[choice] = `"${choice}" is not printed after this point.`;
    }
  }
  return {
    ok: true,
    checkpoint: { kind: 'next-output', question, choices, answer, explanation, revealStep, accepted: [], why, hint },
  };
}

function wakeTime(trace: Trace, step: number, question: string, name: string, boards: BoardIndex): CheckpointResult {
  const events = trace.events;
  let at = -1;
  let task: TaskId | null = null;
  let reason: string | null = null;
  for (let i = step + 1; i < events.length; i++) {
    const e = events[i]!;
    if (e.kind === 'push' && e.item.kind === 'task' && (e.reason === 'wake' || e.reason === 'cancel') && taskMatches(trace, e.item.task, name)) {
      at = i;
      task = e.item.task;
      reason = e.reason;
      break;
    }
  }
  if (at < 0 || task === null) return { ok: false, problem: `${name} does not wake up after this step.` };
  const board = boards.at(step);
  const wakeBoard = boards.at(at);
  const when = wakeBoard.clock;
  const answer = formatClock(when);

  // Choices: the clock now, the times on the board's timers and sleepers, and the answer.
  const numbers = new Set<number>([Number(answer), Number(formatClock(board.clock))]);
  for (const s of board.sleeping) if (s.wait.kind === 'sleep' && s.wait.until !== null) numbers.add(Number(formatClock(s.wait.until)));
  for (const q of Object.values(board.loops)) for (const t of q.timers) if (t.when !== null) numbers.add(Number(formatClock(t.when)));
  const span = when - board.clock;
  if (numbers.size < 3 && span > 0) numbers.add(Number(formatClock(board.clock + 2 * span)));
  if (numbers.size < 3) numbers.add(Number(formatClock(when + (span > 0 ? span : 1))));
  const near = [...numbers].filter((n) => n !== Number(answer)).sort((a, b) => Math.abs(a - when) - Math.abs(b - when) || a - b);
  const choices = [Number(answer), ...near.slice(0, 3)].sort((a, b) => a - b).map((n) => formatClock(n));

  const label = taskLabel(trace, task, board);
  let sleptAt: number | null = null;
  let sleptUntil: number | null = null;
  let waited: string | null = null;
  for (let i = at - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind === 'suspend' && e.task === task) {
      const b = boards.at(i);
      sleptAt = b.clock;
      if (e.wait.kind === 'sleep') sleptUntil = e.wait.until;
      else waited = waitOn(trace, e.wait, b, task);
      break;
    }
  }
  // Woken only to be cancelled: it finishes cancelled without waiting again.
  let cancelled = reason === 'cancel';
  for (let i = at + 1; i < events.length && !cancelled; i++) {
    const e = events[i]!;
    if (e.kind === 'suspend' && e.task === task) break;
    if (e.kind === 'done' && e.task === task) {
      cancelled = e.outcome === 'cancelled';
      break;
    }
  }
  let explanation: string;
  const by = canceller(trace, wakeBoard);
  if (cancelled) {
    explanation = `${label} is woken at ${answer} to be cancelled: ${by}.`;
  } else if (sleptUntil !== null && sleptAt !== null && when < sleptUntil - 1e-12) {
    explanation = `${label} went to sleep until ${formatClock(sleptUntil)}, but is woken early, at ${answer}, because its wait is cancelled: ${by}.`;
  } else if (sleptUntil !== null && sleptAt !== null) {
    const late = when > sleptUntil + 1e-12 ? `; nothing could run before ${answer}, so that is when it wakes` : '';
    explanation = `${label} went to sleep at ${formatClock(sleptAt)} for ${formatClock(sleptUntil - sleptAt)} s, so its timer is due at ${formatClock(sleptUntil)}${late}.`;
  } else {
    explanation = `${label} wakes at ${answer}, when what it waits for${waited ? ` (${waited})` : ''} is done.`;
  }
  const why: Record<string, string> = {};
  const hint: Record<string, string> = {};
  for (const choice of choices) {
    const t = Number(choice);
    if (choice === answer || Math.abs(t - when) <= 1e-9 * Math.max(1, Math.abs(when))) continue;
    if (t < when) {
      const now = Math.abs(t - board.clock) < 1e-12 ? ' (that is the clock now)' : '';
      const timer = sleptUntil !== null && when >= sleptUntil - 1e-12;
      const reason = timer
        ? `its timer is due at ${formatClock(sleptUntil!)} s${when > sleptUntil! + 1e-12 ? `, and the loop gets to it only at ${answer} s` : ''}`
        : `nothing wakes it before ${answer} s`;
      why[choice] = `At ${choice} s${now} ${label} is still waiting: ${reason}.`;
      hint[choice] = `At ${choice} s${now} ${label} is still waiting: ${timer ? 'its timer is not due yet' : 'what it waits for is not done yet'}.`;
    } else {
      const cut = sleptUntil !== null && when < sleptUntil - 1e-12;
      const early = cut ? `: its sleep is cut short by a cancellation (${by})` : '';
      why[choice] = `${label} wakes before ${choice} s, at ${answer} s${early}.`;
      hint[choice] = `${label} is woken before ${choice} s${cut ? ': something cuts its sleep short' : ''}.`;
    }
  }
  return {
    ok: true,
    checkpoint: { kind: 'wake-time', question, choices, answer, explanation, revealStep: at, accepted: [`${answer} s`], why, hint },
  };
}
