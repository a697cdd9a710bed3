/** The lesson loader (src/lessons/loader.ts): files in, typed lessons or clear errors out. */
import { describe, expect, it } from 'vitest';
import { findLesson, loadCatalog, navigatorEntries, slugify } from '../src/lessons/loader';
import { formatProblem } from '../src/shared/lesson';

const PROGRAM = `import asyncio

async def worker(name):
    print(name)
    await asyncio.sleep(1)

async def main():
    await asyncio.gather(worker('a'), worker('b'))

asyncio.run(main())
`;

const LESSON_MD = `---
title: A lesson
summary: What it teaches.
---

The introduction.
`;

function folder(name: string, files: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(files).map(([file, text]) => [`lessons/${name}/${file}`, text]));
}

/** A valid lesson folder, with `overrides` replacing or adding files (undefined removes one). */
function lessonFiles(name: string, overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const files: Record<string, string | undefined> = {
    'lesson.md': LESSON_MD,
    'main.py': PROGRAM,
    'main.out': 'a\nb\n',
    'tour.md': '## First\nwhen: sleeps\ntask: worker\n\nIt sleeps.\n',
    ...overrides,
  };
  const present = Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => e[1] !== undefined));
  return folder(name, present);
}

/** The errors of the one lesson in the catalog (which must be broken). */
function errorsOf(files: Record<string, string>): string[] {
  const catalog = loadCatalog(files);
  expect(catalog.lessons).toEqual([]);
  expect(catalog.broken.length).toBe(1);
  return catalog.broken[0]!.problems.map(formatProblem);
}

function tourErrors(tour: string, extra: Record<string, string> = {}): string[] {
  return errorsOf(lessonFiles('01-x', { 'tour.md': tour, ...extra }));
}

describe('loading a valid lesson', () => {
  it('reads the frontmatter, the introduction and the programs', () => {
    const catalog = loadCatalog(
      lessonFiles('03-two-programs', {
        'lesson.md': '---\ntitle: "Two programs"\nsummary: Quoted or not.\n---\n\n# Intro\n\nText.\n',
        'fixed.py': 'print(1)\n',
        'fixed.out': '1\n',
        'another.py': 'print(2)\n',
        'another.out': '2\n',
      }),
    );
    expect(catalog.broken).toEqual([]);
    const [lesson] = catalog.lessons;
    expect(lesson).toMatchObject({ slug: 'two-programs', number: 3, title: 'Two programs', summary: 'Quoted or not.', body: '# Intro\n\nText.' });
    // main.py first, then the others by name.
    expect(lesson!.programs.map((p) => p.file)).toEqual(['main.py', 'another.py', 'fixed.py']);
    expect(lesson!.programs[0]).toEqual({ file: 'main.py', source: PROGRAM, expectedOutput: 'a\nb\n' });
  });

  it('takes the program order from "programs:" when given', () => {
    const catalog = loadCatalog(
      lessonFiles('01-x', {
        'lesson.md': '---\ntitle: T\nsummary: S\nprograms: fixed.py, main.py\n---\nBody\n',
        'fixed.py': 'print(1)\n',
        'fixed.out': '1\n',
        'tour.md': '## First\nwhen: end\n\nThe end.\n',
      }),
    );
    expect(catalog.broken).toEqual([]);
    expect(catalog.lessons[0]!.programs.map((p) => p.file)).toEqual(['fixed.py', 'main.py']);
    // Stops belong to the first program unless they say otherwise.
    expect(catalog.lessons[0]!.stops[0]!.program).toBe('fixed.py');
  });

  it('reads every stop setting', () => {
    const tour = [
      'A note for teachers, not shown.',
      '',
      '## The second sleep of b',
      'when: sleeps',
      'task: Task-3',
      'line: 5',
      'occurrence: second',
      '',
      'Body of the first stop,',
      'on two lines.',
      '',
      '## Printing',
      'when: prints',
      'text: b',
      'occurrence: 2nd',
      'id: printing-b',
      'ask: next-output',
      'question: What now?',
      '',
      'Second body.',
      '',
      '## Wake',
      'when: sleeps',
      'task: worker',
      'ask: wake-time',
      '',
      'Third.',
      '',
      '## Wake about another',
      'when: clock',
      'ask: wake-time',
      'about: main',
      '',
      'Fourth.',
      '',
      '## Choose',
      'when: end',
      'ask: choice',
      'option: One: yes',
      'option: Two: no',
      'answer: Two: no',
      '',
      'Fifth.',
      '',
      '## Next',
      'when: runs',
      'task: worker(\'a\')',
      'program: main.py',
      'ask: next-task',
      '',
      'Sixth.',
    ].join('\n');
    const catalog = loadCatalog(lessonFiles('01-x', { 'tour.md': tour }));
    expect(catalog.broken).toEqual([]);
    const stops = catalog.lessons[0]!.stops;
    expect(stops.map((s) => s.id)).toEqual(['the-second-sleep-of-b', 'printing-b', 'wake', 'wake-about-another', 'choose', 'next']);
    expect(stops[0]).toEqual({
      id: 'the-second-sleep-of-b',
      title: 'The second sleep of b',
      body: 'Body of the first stop,\non two lines.',
      program: 'main.py',
      anchor: { when: 'sleeps', task: 'Task-3', line: 5, occurrence: 2 },
      checkpoint: null,
      line: 3,
    });
    // Each stop knows the line of its heading in tour.md.
    expect(stops.map((s) => s.line)).toEqual([3, 12, 22, 29, 36, 45]);
    expect(stops[1]!.anchor).toEqual({ when: 'prints', text: 'b', occurrence: 2 });
    expect(stops[1]!.checkpoint).toEqual({ kind: 'next-output', question: 'What now?' });
    expect(stops[2]!.checkpoint).toEqual({ kind: 'wake-time', question: 'At what time on the clock will this task wake up?', task: 'worker' });
    expect(stops[3]!.checkpoint).toMatchObject({ kind: 'wake-time', task: 'main' });
    expect(stops[4]!.checkpoint).toEqual({ kind: 'choice', question: 'Which is right?', options: ['One: yes', 'Two: no'], answer: 'Two: no' });
    expect(stops[4]!.anchor).toEqual({ when: 'end', occurrence: 1 });
    expect(stops[5]!.anchor.task).toBe("worker('a')");
    expect(stops[5]!.checkpoint).toEqual({ kind: 'next-task', question: 'Which task will the loop run next?' });
  });

  it('keeps "##" lines inside code blocks in the explanation, and accepts CRLF files', () => {
    const tour = '## Stop\r\nwhen: end\r\n\r\nText\r\n```python\r\n## not a stop\r\n```\r\nMore.\r\n';
    const catalog = loadCatalog(lessonFiles('01-x', { 'tour.md': tour, 'lesson.md': LESSON_MD.replace(/\n/g, '\r\n') }));
    expect(catalog.broken).toEqual([]);
    expect(catalog.lessons[0]!.stops).toHaveLength(1);
    expect(catalog.lessons[0]!.stops[0]!.body).toBe('Text\n```python\n## not a stop\n```\nMore.');
  });

  it('a lesson without tour.md has no stops', () => {
    const catalog = loadCatalog(lessonFiles('01-x', { 'tour.md': undefined }));
    expect(catalog.lessons[0]!.stops).toEqual([]);
  });

  it('orders lessons by number and chains previous/next; files outside lesson folders are ignored', () => {
    const catalog = loadCatalog({
      ...lessonFiles('10-ten'),
      ...lessonFiles('2-two'),
      ...lessonFiles('01-one'),
      'lessons/README.md': '# not a lesson',
      'README.md': 'nor this',
    });
    expect(catalog.broken).toEqual([]);
    expect(catalog.lessons.map((l) => [l.number, l.slug, l.previous, l.next])).toEqual([
      [1, 'one', null, 'two'],
      [2, 'two', 'one', 'ten'],
      [10, 'ten', 'two', null],
    ]);
    expect(navigatorEntries(catalog).map((e) => e.slug)).toEqual(['one', 'two', 'ten']);
  });

  it('finds a lesson by its slug or by its folder’s whole name (for addresses like #/lesson/01-one)', () => {
    const catalog = loadCatalog({ ...lessonFiles('01-one'), ...lessonFiles('2-two') });
    expect(findLesson(catalog, 'one')?.number).toBe(1);
    expect(findLesson(catalog, '01-one')?.slug).toBe('one');
    expect(findLesson(catalog, '1-one')?.slug).toBe('one');
    expect(findLesson(catalog, '02-two')?.slug).toBe('two');
    expect(findLesson(catalog, '03-two')).toBeNull();
    expect(findLesson(catalog, '01-nothing')).toBeNull();
  });

  it('accepts paths as Vite gives them', () => {
    const files = Object.fromEntries(Object.entries(lessonFiles('01-x')).map(([k, v]) => [`../../${k}`, v]));
    expect(loadCatalog(files).lessons).toHaveLength(1);
  });

  it('makes ids from titles', () => {
    expect(slugify('The clock jumps — again!')).toBe('the-clock-jumps-again');
    expect(slugify('Café au lait')).toBe('cafe-au-lait');
  });
});

describe('lesson.md mistakes', () => {
  it('no frontmatter', () => {
    expect(errorsOf(lessonFiles('01-x', { 'lesson.md': '# Title\n' }))).toEqual([
      '01-x/lesson.md, line 1: the file must begin with frontmatter: a line "---", then "title: …" and "summary: …", then "---".',
    ]);
  });

  it('missing title and summary', () => {
    expect(errorsOf(lessonFiles('01-x', { 'lesson.md': '---\n---\nBody\n' }))).toEqual([
      '01-x/lesson.md: the frontmatter needs a title, e.g. "title: Two printers take turns".',
      '01-x/lesson.md: the frontmatter needs a summary: one sentence saying what the lesson teaches.',
    ]);
  });

  it('an unknown setting, a malformed line and a repeated one, each with its line', () => {
    expect(errorsOf(lessonFiles('01-x', { 'lesson.md': '---\ntitle: T\nsumary: S\n---\n' }))).toEqual([
      '01-x/lesson.md, line 3: unknown frontmatter setting "sumary"; the settings are title, summary, programs.',
    ]);
    expect(errorsOf(lessonFiles('01-x', { 'lesson.md': '---\ntitle: T\nsummary: S\njust words\n---\n' }))).toEqual([
      '01-x/lesson.md, line 4: expected "name: value" in the frontmatter, found "just words".',
    ]);
    expect(errorsOf(lessonFiles('01-x', { 'lesson.md': '---\ntitle: T\nsummary: S\ntitle: again\n---\n' }))).toEqual([
      '01-x/lesson.md, line 4: "title" is set twice in the frontmatter.',
    ]);
  });

  it('frontmatter is YAML: a value holding ": " needs quotes, and the message shows how', () => {
    expect(errorsOf(lessonFiles('01-x', { 'lesson.md': '---\ntitle: TaskGroup: together\nsummary: S\n---\n' }))).toEqual([
      '01-x/lesson.md, line 2: the value of "title" must be put in quotes (it holds ": " or starts with a sign YAML reserves): title: "TaskGroup: together"',
    ]);
    const catalog = loadCatalog(
      lessonFiles('01-x', { 'lesson.md': "---\ntitle: 'TaskGroup: together'\nsummary: S # a comment\nprograms: [fixed.py, main.py]\n---\nBody\n", 'fixed.py': 'print(1)\n', 'fixed.out': '1\n', 'tour.md': '## First\nwhen: end\n\nThe end.\n' }),
    );
    expect(catalog.broken).toEqual([]);
    expect(catalog.lessons[0]).toMatchObject({ title: 'TaskGroup: together', summary: 'S' });
    expect(catalog.lessons[0]!.programs.map((p) => p.file)).toEqual(['fixed.py', 'main.py']);
    expect(errorsOf(lessonFiles('01-x', { 'lesson.md': '---\ntitle: [a, b]\nsummary: S\n---\n' }))).toEqual([
      '01-x/lesson.md, line 2: "title" must be text, not a list.',
      '01-x/lesson.md: the frontmatter needs a title, e.g. "title: Two printers take turns".',
    ]);
  });

  it('images and links: only images inside the lesson folder, only web links', () => {
    const md = '---\ntitle: T\nsummary: S\n---\n\nSee ![the queue](queue.png) and\n![remote](https://example.com/x.png).\n\n[run it](javascript:alert(1)) [docs](https://docs.python.org/)\n';
    expect(errorsOf(lessonFiles('01-x', { 'lesson.md': md }))).toEqual([
      '01-x/lesson.md, line 6: the image "queue.png" is not in the lesson folder.',
      '01-x/lesson.md, line 7: the image "https://example.com/x.png" is not inside the lesson folder; Loop Lab never fetches images: put the file next to lesson.md and write its name, e.g. ![a diagram](diagram.png).',
      '01-x/lesson.md, line 9: the link to "javascript:alert(1)" would not work: a lesson can link only to web pages (http:// or https:// addresses).',
    ]);
    expect(tourErrors('## A\nwhen: end\n\nText with ![a picture](pic.svg).\n')).toEqual([
      '01-x/tour.md, line 4: the image "pic.svg" is not a kind Loop Lab shows; use png, jpg, jpeg, gif, webp.',
    ]);
  });

  it('missing lesson.md', () => {
    expect(errorsOf(lessonFiles('01-x', { 'lesson.md': undefined }))).toEqual([
      '01-x/lesson.md: the file is missing; every lesson needs one (title, summary, introduction).',
    ]);
  });

  it('programs: naming a file that is not there', () => {
    expect(errorsOf(lessonFiles('01-x', { 'lesson.md': '---\ntitle: T\nsummary: S\nprograms: gone.py\n---\n' }))).toEqual([
      '01-x/lesson.md: "programs:" lists gone.py, but the folder has no such file.',
    ]);
  });

  it('a folder name without a number, and two lessons with one number', () => {
    const catalog = loadCatalog({ ...lessonFiles('intro'), ...lessonFiles('03-a'), ...lessonFiles('03-b'), ...lessonFiles('04-a') });
    expect(catalog.lessons.map((l) => l.slug)).toEqual(['a']);
    expect(catalog.broken.map((b) => [b.slug, b.problems.map(formatProblem)])).toEqual([
      ['intro', ['intro: a lesson folder\'s name is its number, a dash and a short name in lower case, like "07-await".']],
      ['b', ['03-b: number 3 is already used by 03-a; give each lesson its own number.']],
      ['a', ['04-a: the name "a" is already used by 03-a; give each lesson its own name.']],
    ]);
  });
});

describe('tour.md mistakes', () => {
  it('a stop without when:', () => {
    expect(tourErrors('## Stop\ntask: worker\n\nText.\n')).toEqual([
      '01-x/tour.md, line 1: stop "Stop" needs a "when:" line saying which moment it waits for (line, runs, suspends, sleeps, waits, wakes, joins, finishes, created, prints, clock, blocks, error, end).',
    ]);
  });

  it('an unknown setting, with a hint about blank lines', () => {
    expect(tourErrors('## Stop\nwhen: end\nwen: sleeps\n\nText.\n')).toEqual([
      '01-x/tour.md, line 3: unknown setting "wen" in stop "Stop". The settings are: when, task, line, text, occurrence, program, id, ask, question, option, answer, about. (If this line is meant as explanation, leave a blank line above it.)',
    ]);
  });

  it('an unknown when-word far from any real one gets no guess', () => {
    const [error] = tourErrors('## Stop\nwhen: teleports\n\nText.\n');
    expect(error).toBe(
      '01-x/tour.md, line 2: unknown when-word "teleports". The words are: line, runs, suspends, sleeps, waits, wakes, joins, finishes, created, prints, clock, blocks, error, end.',
    );
  });

  it('settings that do not fit the moment', () => {
    expect(tourErrors('## A\nwhen: clock\nline: 3\n\nText.\n')).toEqual(['01-x/tour.md, line 3: "line:" does not apply to "when: clock".']);
    expect(tourErrors('## A\nwhen: sleeps\ntext: hi\n\nText.\n')).toEqual([
      '01-x/tour.md, line 3: "text:" only applies to "when: prints", "finishes" and "error", not to "sleeps".',
    ]);
    expect(tourErrors('## A\nwhen: end\ntask: worker\n\nText.\n')).toEqual(['01-x/tour.md, line 3: "task:" does not apply to "when: end".']);
    expect(tourErrors('## A\nwhen: end\noccurrence: 2\n\nText.\n')).toEqual(['01-x/tour.md, line 3: a run has only one end.']);
  });

  it('bad values', () => {
    expect(tourErrors('## A\nwhen: line\nline: 99\n\nText.\n')).toEqual(['01-x/tour.md, line 3: line 99 is past the end of main.py.']);
    expect(tourErrors('## A\nwhen: line\nline: three\n\nText.\n')).toEqual(['01-x/tour.md, line 3: "line:" must be a line number, found "three".']);
    expect(tourErrors('## A\nwhen: runs\noccurrence: often\n\nText.\n')).toEqual([
      '01-x/tour.md, line 3: "occurrence:" must be 1, 2, 3 … (or first, second, 2nd …), found "often".',
    ]);
    expect(tourErrors('## A\nwhen: runs\ntask: wroker\n\nText.\n')).toEqual([
      '01-x/tour.md, line 3: task "wroker": main.py has no function or task of that name.',
    ]);
    expect(tourErrors('## A\nwhen: runs\nwhen: sleeps\n\nText.\n')).toEqual(['01-x/tour.md, line 3: "when:" is given twice in stop "A".']);
  });

  it('a stop without an explanation, and two stops with one id', () => {
    expect(tourErrors('## A\nwhen: end\n')).toEqual(['01-x/tour.md, line 1: stop "A" has no explanation; write a few sentences under its settings.']);
    expect(tourErrors('## A\nwhen: end\n\nText.\n\n## A!\nwhen: end\n\nMore.\n')).toEqual([
      '01-x/tour.md, line 6: two stops have the id "a" (the other is on line 1); give one of them its own "id:" or title.',
    ]);
  });

  it('checkpoint mistakes', () => {
    expect(tourErrors('## A\nwhen: end\nask: guess\n\nText.\n')).toEqual([
      '01-x/tour.md, line 3: unknown question kind "ask: guess". The kinds are: next-task, next-output, wake-time, choice.',
    ]);
    expect(tourErrors('## A\nwhen: end\nask: next-tsk\n\nText.\n')[0]).toContain('did you mean "next-task"?');
    expect(tourErrors('## A\nwhen: clock\nask: wake-time\n\nText.\n')).toEqual([
      '01-x/tour.md, line 3: "ask: wake-time" needs to know which task: add "about: NAME" (or a "task:" for the stop).',
    ]);
    expect(tourErrors('## A\nwhen: end\nask: choice\noption: only\nanswer: only\n\nText.\n')).toEqual([
      '01-x/tour.md, line 3: "ask: choice" needs at least two "option:" lines.',
    ]);
    expect(tourErrors('## A\nwhen: end\nask: choice\noption: x\noption: y\n\nText.\n')).toEqual([
      '01-x/tour.md, line 3: "ask: choice" needs an "answer:" line, the same words as the right option.',
    ]);
    expect(tourErrors('## A\nwhen: end\noption: x\nanswer: x\n\nText.\n')).toEqual([
      '01-x/tour.md, line 4: "answer:" belongs to a question: add "ask: choice".',
      '01-x/tour.md, line 3: "option:" belongs to a question: add "ask: choice".',
    ]);
    expect(tourErrors('## A\nwhen: end\nask: next-task\nanswer:\n\nText.\n')).toEqual([
      '01-x/tour.md, line 4: "answer:" is empty; write the answer you expect the run to give, or leave the line out.',
    ]);
  });

  it('keeps the answer a teacher expects for a question the run answers, for a lesson check to compare', () => {
    const catalog = loadCatalog(lessonFiles('01-x', { 'tour.md': '## A\nwhen: sleeps\ntask: worker\nask: next-task\nanswer: worker\n\nText.\n' }));
    expect(catalog.lessons[0]!.stops[0]!.checkpoint).toEqual({ kind: 'next-task', question: 'Which task will the loop run next?', expected: 'worker' });
  });

  it('only the lesson with the mistake breaks', () => {
    const catalog = loadCatalog({ ...lessonFiles('01-a'), ...lessonFiles('02-b', { 'tour.md': '## A\nwhen: nope\n\nText.\n' }), ...lessonFiles('03-c') });
    expect(catalog.lessons.map((l) => [l.slug, l.previous, l.next])).toEqual([
      ['a', null, 'c'],
      ['c', 'a', null],
    ]);
    expect(catalog.broken.map((b) => b.slug)).toEqual(['b']);
  });
});

describe('the shipped lessons’ words', () => {
  it('call the lanes by the names the board shows (Waiting, not the old Sleeping lane)', async () => {
    const { lessonFiles } = await import('../src/lessons/bundled');
    const texts = Object.entries(lessonFiles).filter(([path]) => /\.md$/.test(path));
    expect(texts.length).toBeGreaterThan(20);
    // A sleeping task may still be called sleeping; only the lane's name changed.
    const oldLane = /\*\*Sleeping\*\*|\bSleeping (lane|card)|\bin Sleeping\b|\bthe Sleeping\b/;
    expect(texts.filter(([, text]) => oldLane.test(text)).map(([path]) => path)).toEqual([]);
  });
});
