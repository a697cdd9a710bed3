/**
 * The scratchpad's starting program: lesson 2's printers (the tutorial's even and odd), under
 * a file name of its own. The build records its trace with the lessons' (scripts/record-traces.ts),
 * so the scratchpad plays at once too.
 */
export const SCRATCHPAD_STARTER = {
  /** The lesson folder and file the program comes from. */
  lessonFolder: '02-two-printers',
  file: 'main.py',
  /** The file name the scratchpad runs it under (tracebacks name it). */
  filename: 'scratchpad.py',
} as const;
