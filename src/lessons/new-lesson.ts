/**
 * A new lesson folder from a program ("Save as lesson…" in the scratchpad): the program as
 * main.py, the output a run of it printed as main.out, and a lesson.md and a tour.md to fill
 * in. It loads as it is (one stop, at the end of the run), so the teacher can open it at once
 * and write from there. The format is lessons/README.md's.
 */
import { slugify } from './loader';

export interface NewLesson {
  /** The folder's name: `01-` and a short name from the program's file name. */
  folder: string;
  files: { name: string; text: string }[];
}

/** `output` is what the program printed (stdout and stderr as written), run as main.py. */
export function newLessonFolder(filename: string, source: string, output: string): NewLesson {
  const stem = filename.replace(/\.py$/i, '');
  const name = slugify(stem) || 'my-lesson';
  const title = stem.replace(/[_-]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase()).trim() || 'My lesson';
  const lesson = [
    '---',
    `title: ${JSON.stringify(title)}`,
    'summary: "One sentence: what this lesson teaches."',
    '---',
    '',
    'The introduction, in markdown: what the program does and what to watch on the board.',
    '',
    '- the **Ready** lane: …',
    '- the **Sleeping** lane: …',
    '',
  ].join('\n');
  const tour = [
    'Notes for teachers (not shown): add a stop for each moment worth a look, above the last one.',
    'Each stop is a "## Heading", its settings ("when:", "task:" …), a blank line, then the',
    'explanation. lessons/README.md lists the settings; "Check this lesson" shows where each lands.',
    '',
    '## The end',
    'when: end',
    '',
    'The program has finished. Say what the learner should have seen.',
    '',
  ].join('\n');
  return {
    folder: `01-${name}`,
    files: [
      { name: 'lesson.md', text: lesson },
      { name: 'main.py', text: source },
      { name: 'main.out', text: output },
      { name: 'tour.md', text: tour },
    ],
  };
}

/** `name`, or `name-2`, `name-3` … : the first that `taken` says is free. */
export function freeFolderName(name: string, taken: (name: string) => boolean): string {
  if (!taken(name)) return name;
  for (let n = 2; ; n++) if (!taken(`${name}-${n}`)) return `${name}-${n}`;
}
