/**
 * The built-in example programs the player offers until lessons replace them: the tutorial's
 * even/odd printers run with gather (the default), numbers and letters, a hand-made loop with
 * create_task, and asyncio.run() called inside a running loop.
 */
import evenOdd from './gather_even_odd.py?raw';
import handMadeLoop from './hand_made_loop.py?raw';
import numbersLetters from './numbers_letters.py?raw';
import runInsideRun from './run_inside_run.py?raw';

export interface Example {
  id: string;
  title: string;
  /** One or two sentences for the lesson column. */
  summary: string;
  filename: string;
  source: string;
}

export const EXAMPLES: readonly Example[] = [
  {
    id: 'gather-even-odd',
    title: 'Even and odd printers with gather',
    summary:
      'Two coroutines print the even and the odd numbers from 0 to 9. gather() wraps each in a task; ' +
      'every asyncio.sleep() hands control back to the loop, so the two take turns.',
    filename: 'gather_even_odd.py',
    source: evenOdd,
  },
  {
    id: 'numbers-letters',
    title: 'Numbers and letters',
    summary: 'print_nums and print_letters run under gather: watch the ready queue decide who prints next.',
    filename: 'numbers_letters.py',
    source: numbersLetters,
  },
  {
    id: 'hand-made-loop',
    title: 'A hand-made loop with create_task',
    summary:
      'No asyncio.run(): the program makes its own loop, schedules two tasks with create_task, ' +
      'gathers them and runs the loop until the group is done.',
    filename: 'hand_made_loop.py',
    source: handMadeLoop,
  },
  {
    id: 'run-inside-run',
    title: 'asyncio.run() inside a running loop',
    summary:
      'main() calls asyncio.run() while the loop is already running: Python refuses with a RuntimeError. ' +
      'Follow the traceback’s links into the code.',
    filename: 'run_inside_run.py',
    source: runInsideRun,
  },
];

export const DEFAULT_EXAMPLE: Example = EXAMPLES[0]!;

export function exampleById(id: string): Example | undefined {
  return EXAMPLES.find((e) => e.id === id);
}
