/**
 * What scripts/record-corpus.ts records for a corpus program and tests/corpus/harness.ts
 * compares against. Side-effect free: the recorder runs its main() on import, so the harness
 * cannot import from it; both import from here.
 */

export interface Expected {
  stdout: string;
  stderrLastLine: string;
  exitCode: number;
  /**
   * All of stderr, for a program with the header line `# Compare: all of stderr` (one whose
   * point is how an error is shown: its source lines and carets). Absent otherwise.
   */
  stderr?: string;
}

/** A program file of the corpus (or the tutorial): NN-name.py. */
export const PROGRAM_FILE = /^\d\d-[\w-]+\.py$/;

/** The last non-empty line of a stream, without its line ending; "" when there is none. */
export function lastNonEmptyLine(text: string): string {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  return lines[lines.length - 1] ?? '';
}
