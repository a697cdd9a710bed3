/**
 * Checks a lesson against runs of its programs: the part of a lesson's correctness that only a
 * run can tell. The app's "Check this lesson" panel, the course's pack problem list and
 * `loop-lab lessons check` all use it, so they say the same thing.
 *
 * For each program: does it run to its end (within the step budget and the other limits), and
 * does it print what its recording (NAME.out) says? For each stop: the step it lands on (or why
 * it lands nowhere: a moment the run never reaches, a stop out of the run's order). For each
 * checkpoint: the answer the run gives, and whether it agrees with the answer the lesson
 * wrote (`answer:`), when it wrote one.
 */
import type { Lesson, LessonProblem, LessonProgram, TourStop } from '../shared/lesson';
import type { LimitReason, Trace } from '../shared/trace';
import { BoardIndex } from '../trace/board';
import { endedBy, limitSentence } from '../trace/limit-words';
import { describeAnchor, resolveStops } from './anchors';
import { gradeAnswer, prepareCheckpoint } from './checkpoints';
import { compareOutput, type OutputComparison } from './compare-output';

export interface ProgramCheck {
  file: string;
  /** How many steps the run has. */
  steps: number;
  /**
   * Why the run was ended before the program's end, in the app's words (src/trace/limit-words.ts:
   * never the trace's own message, which a pack's program can put words in), or null when it
   * ran to its end.
   */
  unfinished: string | null;
  /** The limit that ended it (null when it ran to its end). */
  endedBy: LimitReason | null;
  /** The run's output against the recording. */
  output: OutputComparison;
}

export interface StopCheck {
  stop: TourStop;
  /** The moment it waits for, in words ("the second time print_letters sleeps"). */
  moment: string;
  /** The step the player pauses at (an index into the trace's events), or null. */
  step: number | null;
  /** The steps in the run of its program. */
  of: number;
  /** Why the stop cannot be shown, or null. */
  problem: string | null;
  /** For a stop with a question: the answer the run gives (for `choice`, the lesson's). */
  answer: string | null;
  /** For a question: its choices, as the learner sees them. */
  choices: string[];
  /** For a question: the sentence that explains the answer. */
  explanation: string | null;
}

export interface LessonCheck {
  slug: string;
  programs: ProgramCheck[];
  stops: StopCheck[];
  /** Everything above that is wrong, by file and line. */
  problems: LessonProblem[];
}

/** The whole output of a run, stdout and stderr in the order written (as a terminal shows them). */
export function printedText(trace: Trace): string {
  let text = '';
  for (const event of trace.events) if (event.kind === 'output') text += event.text;
  return text;
}

/** Checks a lesson against one run of each of its programs (`traces`: file name → trace). */
export function checkLesson(lesson: Lesson, traces: ReadonlyMap<string, Trace>): LessonCheck {
  const problems: LessonProblem[] = [];
  const at = (file: string, line: number | null, message: string): void => {
    problems.push({ file: `${lesson.folder}/${file}`, line, message });
  };
  const programs: ProgramCheck[] = [];
  const stops: StopCheck[] = [];

  for (const program of lesson.programs) {
    const trace = traces.get(program.file);
    if (!trace) continue;
    const check = checkProgram(program, trace);
    programs.push(check);
    if (check.unfinished !== null) {
      at(program.file, lastLine(trace), `the program did not run to its end in Loop Lab: ${check.unfinished}`);
    }
    if (!check.output.same && check.unfinished === null) {
      const d = check.output.difference!;
      const outFile = program.file.replace(/\.py$/, '.out');
      at(
        outFile,
        d.line,
        `Loop Lab's run of ${program.file} prints ${shown(d.actual)} where the recording has ${shown(d.expected)}; record the output again if the program changed.`,
      );
    }

    const boards = new BoardIndex(trace);
    for (const resolved of resolveStops(lesson.stops, program.file, trace)) {
      const { stop, step } = resolved;
      const check: StopCheck = {
        stop,
        moment: describeAnchor(stop.anchor),
        step,
        of: trace.events.length,
        problem: resolved.problem,
        answer: null,
        choices: [],
        explanation: null,
      };
      if (resolved.problem !== null) at('tour.md', stop.line, resolved.problem);
      if (stop.checkpoint && step !== null) {
        const prepared = prepareCheckpoint(trace, step, stop.checkpoint, boards);
        if (!prepared.ok) {
          check.problem ??= prepared.problem;
          at('tour.md', stop.line, `the question of stop "${stop.title}" cannot be asked at step ${step + 1}: ${prepared.problem}`);
        } else {
          check.answer = prepared.checkpoint.answer;
          check.choices = prepared.checkpoint.choices;
          check.explanation = prepared.checkpoint.explanation;
          const expected = stop.checkpoint.kind === 'choice' ? undefined : stop.checkpoint.expected;
          if (expected !== undefined && !gradeAnswer(prepared.checkpoint, expected)) {
            const problem = `the answer written for stop "${stop.title}" is "${expected}", but the run says "${prepared.checkpoint.answer}": ${prepared.checkpoint.explanation}`;
            check.problem ??= problem;
            at('tour.md', stop.line, problem);
          }
        }
      }
      stops.push(check);
    }
  }
  // In tour order, whatever the program order.
  stops.sort((a, b) => lesson.stops.indexOf(a.stop) - lesson.stops.indexOf(b.stop));
  return { slug: lesson.slug, programs, stops, problems };
}

/** Runs each of the lesson's programs with `run`, one after another, and checks the lesson. */
export async function runAndCheckLesson(lesson: Lesson, run: (program: LessonProgram) => Promise<Trace>): Promise<LessonCheck> {
  const traces = new Map<string, Trace>();
  for (const program of lesson.programs) traces.set(program.file, await run(program));
  return checkLesson(lesson, traces);
}

function checkProgram(program: LessonProgram, trace: Trace): ProgramCheck {
  const ended = endedBy(trace);
  const unfinished = ended === null ? null : limitSentence(trace, ended);
  return { file: program.file, steps: trace.events.length, unfinished, endedBy: ended, output: compareOutput(printedText(trace), program.expectedOutput, program.file) };
}

/** The program's line the run was on last. */
function lastLine(trace: Trace): number | null {
  for (let i = trace.events.length - 1; i >= 0; i--) {
    const event = trace.events[i]!;
    if (event.kind === 'line') return event.line;
  }
  return null;
}

function shown(line: string | null): string {
  return line === null ? 'nothing more' : `"${line}"`;
}
