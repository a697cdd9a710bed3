/**
 * Guided lessons, driven as a learner drives them, in the browser edition: the course's lesson
 * navigator (and a broken lesson in it), one whole lesson walked in guided mode with every
 * checkpoint answered (wrong, then right) and its answer shown on the board, progress kept
 * across a reload, Edit & Run in a lesson with "Reset to original", and a screenshot at the
 * first stop of every lesson. No request may leave the app's origin; no page error may happen.
 *
 * The lessons are read from lessons/ with the app's own loader, and what the checkpoints must
 * say is worked out from a run of the same program through the app's bridge: the test knows
 * the right answer before it picks a wrong one.
 */
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { loadCatalog, type PreparedCheckpoint, prepareCheckpoint, resolveStops } from '../src/lessons';
import type { Lesson, LessonProgram } from '../src/shared/lesson';
import type { Trace } from '../src/shared/trace';
import { readLessonFiles } from '../tests/lesson-files';
import { LessonPage } from './pages/lesson-page';

const LESSONS = resolve(import.meta.dirname, '..', 'lessons');

const catalog = loadCatalog(readLessonFiles(LESSONS));
/** The course's size, and its checkpoints in all: the navigator's totals say these. */
const LESSON_COUNT = catalog.lessons.length;
const CHECKPOINT_COUNT = catalog.lessons.reduce((n, l) => n + l.stops.filter((s) => s.checkpoint).length, 0);
/** A lesson folder with a mistake, numbered after the last lesson. */
const BROKEN_FOLDER = `${LESSON_COUNT + 1}-broken-lesson`;
const lessonBySlug = (slug: string): Lesson => {
  const lesson = catalog.lessons.find((l) => l.slug === slug);
  if (!lesson) throw new Error(`no lesson ${slug}`);
  return lesson;
};

/** The run the app makes of a program, made through the same bridge, for the test to read. */
async function traceIn(page: Page, program: LessonProgram, source = program.source): Promise<Trace> {
  return page.evaluate(({ source, filename }) => window.loopLab!.run({ source, filename }), { source, filename: program.file });
}

test('the navigator lists every lesson in order, with its summary and progress; a broken lesson says what is wrong', async ({ page }, testInfo) => {
  const learner = new LessonPage(page);
  await page.goto('/?debug');
  await expect(learner.navigator()).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('asyncio, one step at a time');
  expect(LESSON_COUNT).toBeGreaterThanOrEqual(23);
  expect(catalog.broken).toEqual([]);

  const links = learner.navigator().getByRole('link');
  await expect(links).toHaveCount(LESSON_COUNT);
  const names = catalog.lessons.map((l) => `${l.number}. ${l.title}`);
  for (let i = 0; i < names.length; i++) {
    await expect(links.nth(i)).toHaveAccessibleName(names[i]!);
    await expect(links.nth(i)).toHaveAccessibleDescription(new RegExp(`^${escapeRegExp(catalog.lessons[i]!.summary)} not finished yet`));
  }
  expect(catalog.lessons.map((l) => l.number)).toEqual(Array.from({ length: LESSON_COUNT }, (_, i) => i + 1));
  await expect(page.getByText(`0 of ${LESSON_COUNT} lessons finished`)).toBeVisible();
  await shot(page, testInfo, '00-course');

  // A lesson folder with a mistake (added for this test only, through the debug hook): listed in
  // its place with what is wrong, and not openable; every other lesson is still there.
  await page.evaluate((folder) => {
    const debug = (window as unknown as { loopLabDebug: { addLessonFiles: (files: Record<string, string>) => void } }).loopLabDebug;
    debug.addLessonFiles({
      [`lessons/${folder}/lesson.md`]: 'title: No frontmatter here\n\nSome text.\n',
      [`lessons/${folder}/main.py`]: 'print("hi")\n',
    });
  }, BROKEN_FOLDER);
  await expect(learner.entries()).toHaveCount(LESSON_COUNT + 1);
  await expect(links).toHaveCount(LESSON_COUNT);
  const broken = learner.entries().nth(LESSON_COUNT);
  await expect(broken).toContainText('This lesson cannot be opened.');
  await expect(broken).toContainText(`${BROKEN_FOLDER}/lesson.md, line 1: the file must begin with frontmatter`);
  await expect(broken).toContainText('main.out');
  await expect(broken.getByRole('link')).toHaveCount(0);
  await expect(broken.getByRole('note', { name: `Why lesson ${LESSON_COUNT + 1} cannot be opened` })).toBeVisible();
  await broken.scrollIntoViewIfNeeded();
  await shot(page, testInfo, '00-course-with-a-broken-lesson');
  // Its address says it cannot be opened, instead of breaking.
  await page.evaluate(() => (location.hash = '#/lesson/broken-lesson'));
  await expect(page.getByRole('alert')).toContainText('cannot be opened');

  // Keyboard: the lessons are links in tab order; Enter opens one.
  await links.first().focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: catalog.lessons[0]!.title })).toBeVisible();
  await learner.waitUntilReady();
  await learner.showLessons();
});

test('lesson 9, walked in guided mode: every stop, every checkpoint (wrong and told why, then right), finished, kept after a reload', async ({ page }, testInfo) => {
  const lesson = lessonBySlug('numbers-and-letters');
  const program = lesson.programs[0]!;
  const learner = new LessonPage(page);
  await page.goto('/');
  await learner.openLesson(lesson.title);
  await expect(learner.guidedTour()).toBeChecked();
  await expect(learner.tour()).toHaveAccessibleName(/^Guided tour · 7 stops/);
  await expect(learner.code().getByRole('heading', { name: 'main.py' })).toBeVisible();

  // What the app must show, worked out from the same run.
  const trace = await traceIn(page, program);
  const resolved = resolveStops(lesson.stops, program.file, trace);
  expect(resolved.every((r) => r.problem === null)).toBe(true);
  const checkpoints = lesson.stops.filter((s) => s.checkpoint !== null).length;
  expect(checkpoints).toBe(5);

  await learner.setSpeed(8);
  for (let i = 0; i < resolved.length; i++) {
    const { stop, step } = resolved[i]!;
    // Play (the first time) or Continue: the player plays and pauses at the next stop. Once,
    // Space instead: stop 3's answer shows later in the run than stop 4, and Play at an open
    // stop goes on as Continue does, back to stop 4 rather than past it.
    if (i === 0) await learner.button('Play').click();
    else if (i === 3) {
      expect(resolved[3]!.step!).toBeLessThan(prepareCheckpointOk(trace, resolved[2]!.step!, resolved[2]!.stop.checkpoint!).revealStep!);
      await learner.focusPage();
      await page.keyboard.press('Space');
    } else await learner.continueButton().click();
    await learner.expectAtStop(i + 1, resolved.length, stop.title);
    await expect(learner.button('Play')).toBeVisible();
    await learner.expectStep(step! + 1);
    await expect(learner.stopButtons().nth(i)).toHaveAttribute('aria-current', 'step');

    if (!stop.checkpoint) {
      await expect(learner.choices()).toHaveCount(0);
      continue;
    }
    const result = prepareCheckpoint(trace, step!, stop.checkpoint);
    if (!result.ok) throw new Error(result.problem);
    const prepared = result.checkpoint;
    const label = (choice: string): string => (prepared.kind === 'wake-time' ? `${choice} s` : choice);

    // The learner predicts before seeing: the player holds.
    await expect(learner.question()).toHaveAccessibleName(new RegExp(escapeRegExp(prepared.question)));
    await expect(learner.choices()).toHaveText(prepared.choices.map((c) => new RegExp(escapeRegExp(label(c)))));
    await expect(learner.continueButton()).toHaveCount(0);
    await expect(learner.button('Step forward')).toBeDisabled();
    await page.keyboard.press('ArrowRight');
    await learner.expectStep(step! + 1);
    if (i === 0) await shot(page, testInfo, '01-lesson-9-first-checkpoint');

    // A wrong answer: told why it is wrong, in a sentence from the run; the answer stays hidden
    // while two choices at least are left, and the player still holds.
    expect(prepared.choices.length).toBeGreaterThanOrEqual(3);
    const wrong = prepared.choices.find((c) => c !== prepared.answer)!;
    await learner.choices().filter({ hasText: label(wrong) }).first().click();
    await expect(learner.feedback()).toContainText('Not quite');
    // … a reason that does not give the answer away.
    await expect(learner.feedback()).toContainText(prepared.hint[wrong]!);
    await expect(learner.feedback()).not.toContainText('the answer is');
    await learner.expectStep(step! + 1);
    await expect(learner.continueButton()).toHaveCount(0);
    await expect(learner.button('Step forward')).toBeDisabled();
    await expect(learner.tour().getByRole('button', { name: 'Show the answer' })).toBeVisible();
    if (i === 0) await shot(page, testInfo, '02-lesson-9-wrong-answer-why');

    // Try again, and the right answer this time.
    await learner.tour().getByRole('button', { name: 'Try again' }).click();
    await learner.expectStep(step! + 1);
    await expect(learner.continueButton()).toHaveCount(0);
    await expect(learner.choices().filter({ hasText: label(wrong) }).first()).toHaveAccessibleName(/not right/);
    await learner.choices().filter({ hasText: label(prepared.answer) }).first().click();
    await expect(learner.feedback()).toContainText('✓ Right!');
    await expectRevealed(learner, prepared);
    await expect(learner.continueButton()).toBeEnabled();
    await expect(learner.continueButton()).toBeFocused();
    if (prepared.kind === 'wake-time') await shot(page, testInfo, '03-lesson-9-wake-time-answered');
  }

  // The last stop: Continue finishes the lesson (Enter does what Continue does).
  await expect(learner.tour()).toContainText('The last stop: Continue finishes the lesson.');
  await learner.focusPage();
  await page.keyboard.press('Enter');
  await expect(learner.tour().getByRole('status')).toContainText('Lesson 9 finished');
  await expect(learner.tour().getByRole('button', { name: /^Next lesson: 10\./ })).toBeVisible();
  await shot(page, testInfo, '04-lesson-9-finished');

  // The navigator shows it: finished, 5 of 5 checkpoints.
  await learner.showLessons();
  const entry = learner.entry(lesson.title);
  await expect(entry).toContainText('✓ Finished');
  await expect(entry).toContainText('5/5 checkpoints');
  await expect(entry.getByRole('link')).toHaveAccessibleDescription(/finished, 5 of 5 checkpoints passed/);
  await expect(page.getByText(`1 of ${LESSON_COUNT} lessons finished`)).toBeVisible();
  await expect(page.getByText(`5 of ${CHECKPOINT_COUNT} checkpoints passed`)).toBeVisible();

  // Kept across a reload.
  await page.reload();
  await expect(learner.entry(lesson.title)).toContainText('✓ Finished');
  await expect(learner.entry(lesson.title)).toContainText('5/5 checkpoints');
  await expect(learner.entry(lessonBySlug('two-printers').title)).toContainText('0/4 checkpoints');
  await shot(page, testInfo, '05-progress-after-reload');

  // Reset progress asks first, then forgets.
  await page.getByRole('button', { name: 'Reset progress…' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('Forget every finished lesson');
  await expect(page.getByRole('checkbox', { name: /Also put back the original code/ })).toHaveCount(0); // no code was changed
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(learner.entry(lesson.title)).toContainText('✓ Finished');
  await page.getByRole('button', { name: 'Reset progress…' }).click();
  await page.getByRole('button', { name: 'Yes, reset my progress' }).click();
  await expect(learner.entry(lesson.title)).not.toContainText('Finished');
  await expect(learner.entry(lesson.title)).toContainText('0/5 checkpoints');
  await page.reload();
  await expect(learner.entry(lesson.title)).toContainText('0/5 checkpoints');
});

test('a two-choice question answered wrongly can be asked again, and then passed, in the same run', async ({ page }) => {
  const lesson = lessonBySlug('meet-asyncio');
  const asking = lesson.stops.find((s) => s.checkpoint?.kind === 'choice')!;
  const checkpoint = asking.checkpoint!;
  expect(checkpoint.kind === 'choice' && checkpoint.options.length).toBe(2);
  const right = checkpoint.kind === 'choice' ? checkpoint.answer : '';
  const wrong = checkpoint.kind === 'choice' ? checkpoint.options.find((o) => o !== right)! : '';
  const learner = new LessonPage(page);
  await page.goto('/');
  await learner.openLesson(lesson.title);
  await learner.setSpeed(8);
  // Play stops at the first stop; Continue goes on to the one that asks.
  const at = lesson.stops.indexOf(asking);
  await learner.button('Play').click();
  for (let i = 0; i < at; i++) {
    await learner.expectAtStop(i + 1, lesson.stops.length, lesson.stops[i]!.title);
    await learner.continueButton().click();
  }
  await learner.expectAtStop(at + 1, lesson.stops.length, asking.title);
  await expect(learner.choices()).toHaveCount(2);

  // Two choices: one wrong pick answers it (wrongly), and the answer is shown.
  await learner.choices().filter({ hasText: wrong }).click();
  await expect(learner.feedback()).toContainText('the answer is');
  for (const choice of await learner.choices().all()) await expect(choice).toHaveAttribute('aria-disabled', 'true');

  // Asked again: every choice open; the right one passes the checkpoint.
  await learner.tour().getByRole('button', { name: 'Ask me again' }).click();
  for (const choice of await learner.choices().all()) await expect(choice).toHaveAttribute('aria-disabled', 'false');
  await expect(learner.choices().first()).toBeFocused();
  await learner.choices().filter({ hasText: right }).click();
  await expect(learner.feedback()).toContainText('✓ Right!');
  await expect(learner.tour().getByRole('button', { name: 'Ask me again' })).toHaveCount(0);
  await learner.showLessons();
  await expect(learner.entry(lesson.title)).toContainText('1/1 checkpoints');
});

test('Reset progress can put the lessons’ code back as it came, when asked', async ({ page }) => {
  const lesson = lessonBySlug('two-printers');
  const original = lesson.programs[0]!.source;
  const learner = new LessonPage(page);
  await page.goto('/');
  await expect(page.getByRole('button', { name: 'Reset progress…' })).toBeDisabled(); // nothing to reset yet
  await learner.openLesson(lesson.title);
  const edited = original.replace("print('Started:')", "print('Off we go:')");
  await learner.replaceCode(edited);
  await learner.showLessons();

  // Back to the same lesson from the list: its program is still the one on screen (no new run).
  const backToLesson = async (): Promise<void> => {
    await page.getByRole('navigation', { name: 'Lessons', exact: true }).getByRole('link', { name: `2. ${lesson.title}` }).click();
    await expect(page.getByRole('heading', { level: 1, name: lesson.title, exact: true })).toBeVisible();
    await expect(learner.button('Run')).toBeEnabled();
  };

  // Not ticked, the code is kept.
  await page.getByRole('button', { name: 'Reset progress…' }).click();
  await page.getByRole('button', { name: 'Yes, reset my progress' }).click();
  await backToLesson();
  expect(await learner.codeText()).toBe(edited);

  // Ticked, it goes back as it came: on screen, and after a reload.
  await learner.showLessons();
  await page.getByRole('button', { name: 'Reset progress…' }).click();
  await page.getByRole('checkbox', { name: 'Also put back the original code of the lesson program you changed' }).check();
  await page.getByRole('button', { name: 'Yes, reset my progress' }).click();
  await expect(page.getByRole('button', { name: 'Reset progress…' })).toBeDisabled();
  await backToLesson();
  expect(await learner.codeText()).toBe(original);
  await page.reload();
  await learner.waitUntilReady();
  expect(await learner.codeText()).toBe(original);
});

function prepareCheckpointOk(trace: Trace, step: number, checkpoint: NonNullable<Lesson['stops'][number]['checkpoint']>): PreparedCheckpoint {
  const result = prepareCheckpoint(trace, step, checkpoint);
  if (!result.ok) throw new Error(result.problem);
  return result.checkpoint;
}

/** The answer is on the board: the player stands at its reveal step and the right thing is marked. */
async function expectRevealed(learner: LessonPage, prepared: PreparedCheckpoint): Promise<void> {
  await learner.expectStep(prepared.revealStep! + 1);
  switch (prepared.kind) {
    case 'next-task': {
      const task = /\((Task-\d+)\)$/.exec(prepared.answer)?.[1] ?? prepared.answer;
      await expect(learner.card('Running', task)).toHaveAccessibleName(/, the answer$/);
      await expect(learner.card('Running', task)).toContainText(task);
      break;
    }
    case 'next-output':
      await expect(learner.console().locator('.answer .now')).toHaveText(prepared.answer);
      break;
    case 'wake-time':
      await expect(learner.page.getByRole('group', { name: 'Virtual clock, the answer' })).toContainText(prepared.answer);
      await expect(learner.lane('Ready').getByRole('listitem', { name: /, the answer$/ })).toHaveCount(1);
      break;
    case 'choice':
      break;
  }
}

test('Edit & Run in a lesson: the tour follows the new run, stops that no longer happen say so; the edit is kept; Reset to original', async ({ page }, testInfo) => {
  const lesson = lessonBySlug('two-printers');
  const learner = new LessonPage(page);
  await page.goto('/');
  await learner.openLesson(lesson.title);
  await expect(learner.code().getByRole('button', { name: 'Reset to original' })).toHaveCount(0);

  // Only task1 now, awaited directly: no gather, so the stops about it cannot happen.
  const original = await learner.codeText();
  const edited = original.replace('await asyncio.gather(task1(), task2())', 'await task1()');
  await learner.replaceCode(edited);
  await expect(learner.code()).toContainText('Edited: press Run');
  await learner.run();
  await expect(learner.code()).not.toContainText('Edited');
  await expect(learner.code()).toContainText('Your version is on the board');
  const problems = page.getByRole('note', { name: 'Stops that cannot be shown' });
  await expect(problems).toContainText('of this tour cannot be shown in this run');
  await expect(problems).toContainText('The stop "gather creates two tasks" waits for the first time task2 joins the ready queue, but in this run that never happens.');
  await expect(problems).toContainText('You changed the code');
  await expect(learner.stopButtons().filter({ hasText: 'gather creates two tasks' })).toBeDisabled();

  // Guided play still pauses at the stops that do happen, and skips the others.
  await learner.setSpeed(8);
  await learner.button('Play').click();
  await learner.expectAtStop(1, lesson.stops.length, 'main runs first');
  await learner.continueButton().click();
  await expect(learner.tour()).toHaveAccessibleName(/^Stop [4-8] of 8/);
  await shot(page, testInfo, '06-edited-run-with-missing-stops');
  await learner.button('Jump to end').click();
  expect(await learner.consoleLines()).toEqual(['Started:', '0', '2', '4', '6', '8', 'Finished!']);

  // The edit is kept: through another lesson and back, and across a reload.
  const other = lessonBySlug('numbers-and-letters');
  await learner.openLesson(other.title);
  expect(await learner.codeText()).toBe(other.programs[0]!.source);
  await learner.openLesson(lesson.title);
  expect(await learner.codeText()).toBe(edited);
  await expect(learner.code()).toContainText('Your version is on the board');
  await page.reload();
  await learner.waitUntilReady();
  expect(await learner.codeText()).toBe(edited);

  // Reset to original: the lesson's program, traced again, every stop back.
  await learner.resetToOriginal();
  expect(await learner.codeText()).toBe(original);
  await expect(learner.code()).not.toContainText('Your version');
  await expect(learner.code().getByRole('button', { name: 'Reset to original' })).toHaveCount(0);
  await expect(problems).toHaveCount(0);
  await expect(learner.stopButtons().filter({ hasText: 'gather creates two tasks' })).toBeEnabled();
  await learner.button('Jump to end').click();
  expect(await learner.consoleLines()).toEqual(['Started:', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'Finished!']);
  await page.reload();
  await learner.waitUntilReady();
  expect(await learner.codeText()).toBe(original);

  // A stop can be jumped to from the list.
  await learner.stopButtons().filter({ hasText: 'task1 is done' }).click();
  await learner.expectAtStop(6, 8, 'task1 is done');
  await expect(learner.card('Done', 'Task-2')).toBeVisible();
});

test('a lesson with two programs: tabs, the tour goes on into the second, a stop of the other program can be jumped to', async ({ page }, testInfo) => {
  const lesson = lessonBySlug('await');
  const learner = new LessonPage(page);
  await page.goto('/');
  await learner.openLesson(lesson.title);
  const tabs = learner.code().getByRole('tab');
  await expect(tabs).toHaveText(['main.py', 'pause.py']);
  await expect(tabs.first()).toHaveAttribute('aria-selected', 'true');

  // Jump to the last stop of main.py, answer nothing (it asks nothing), Continue: pause.py opens and plays to its first stop.
  const lastOfMain = lesson.stops.filter((s) => s.program === 'main.py').at(-1)!;
  const firstOfPause = lesson.stops.find((s) => s.program === 'pause.py')!;
  await learner.setSpeed(8);
  await learner.stopButtons().filter({ hasText: lastOfMain.title }).click();
  await learner.expectAtStop(lesson.stops.indexOf(lastOfMain) + 1, lesson.stops.length, lastOfMain.title);
  await expect(learner.tour()).toContainText(`Next: ${firstOfPause.title} (in pause.py)`);
  const serial = await learner.traceSerial();
  await learner.continueButton().click();
  await learner.waitForNewTrace(serial);
  await learner.expectAtStop(lesson.stops.indexOf(firstOfPause) + 1, lesson.stops.length, firstOfPause.title);
  await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(page).toHaveURL(/#\/lesson\/await\/pause\.py$/);
  await shot(page, testInfo, '07-second-program');

  // A stop of main.py, from pause.py: main.py opens at that stop.
  const secondStop = lesson.stops[1]!;
  await learner.stopButtons().filter({ hasText: secondStop.title }).click();
  await learner.expectAtStop(2, lesson.stops.length, secondStop.title);
  await expect(tabs.first()).toHaveAttribute('aria-selected', 'true');

  // The tabs themselves: the other program, from its start; the keyboard's arrows move between them.
  await tabs.nth(1).click();
  await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
  await learner.waitUntilReady();
  await expect(learner.tour()).toHaveAccessibleName(/^Guided tour/);
  await tabs.nth(1).focus();
  await page.keyboard.press('ArrowLeft');
  await expect(tabs.first()).toHaveAttribute('aria-selected', 'true');
  await expect(tabs.first()).toBeFocused();
});

test('every lesson, at its first stop', async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  const learner = new LessonPage(page);
  await page.goto('/');
  await expect(learner.navigator()).toBeVisible();
  for (const lesson of catalog.lessons) {
    await learner.openLesson(lesson.title);
    await learner.setSpeed(8);
    const first = lesson.stops[0]!;
    await learner.button('Play').click();
    await learner.expectAtStop(1, lesson.stops.length, first.title);
    await learner.settle();
    await shot(page, testInfo, `lesson-${String(lesson.number).padStart(2, '0')}-${lesson.slug}-first-stop`);
  }
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
