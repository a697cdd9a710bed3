/**
 * Issue 11's proof in the browser edition: every lesson's tour driven with the keys alone
 * (Enter, Space, arrows, Tab), stepping past stops by hand as well as continuing, through every
 * stop and every program; an open question shows no answer (the DOM is searched); lesson 18's
 * await chain and locals; a wrong answer told why; the narration always in sight; the error
 * banner that points at the traceback's step; lessons opened by their folder's name; the
 * printed handout. Screenshots at 1440×900 and 1280×720.
 *
 * What each question's answer is comes from the app's own run of the program (through its
 * bridge, as lessons.spec.ts does): the test knows it before it presses a key.
 */
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { loadCatalog, type PreparedCheckpoint, prepareCheckpoint, resolveStops } from '../src/lessons';
import type { Lesson, LessonProgram, TourStop } from '../src/shared/lesson';
import type { Trace } from '../src/shared/trace';
import { readLessonFiles } from '../tests/lesson-files';
import { LessonPage } from './pages/lesson-page';

const catalog = loadCatalog(readLessonFiles(resolve(import.meta.dirname, '..', 'lessons')));
const lessonBySlug = (slug: string): Lesson => {
  const lesson = catalog.lessons.find((l) => l.slug === slug);
  if (!lesson) throw new Error(`no lesson ${slug}`);
  return lesson;
};
const folderOf = (lesson: Lesson): string => `${String(lesson.number).padStart(2, '0')}-${lesson.slug}`;

async function traceIn(page: Page, program: LessonProgram): Promise<Trace> {
  return page.evaluate(({ source, filename }) => window.loopLab!.run({ source, filename }), { source: program.source, filename: program.file });
}

/** Where the tour stands: "Stop k of N" (k, and whether it is open) or null before the first stop. */
async function tourAt(learner: LessonPage): Promise<{ at: number; open: boolean } | null> {
  const where = await learner.page.locator('#tour-where').innerText();
  const match = /Stop (\d+) of \d+/i.exec(where);
  if (!match) return null;
  const open = (await learner.continueButton().count()) + (await learner.question().count()) > 0 && !/passed/.test(where);
  return { at: Number(match[1]), open };
}

/** Tabs through the page until `target` has the focus (the keyboard's way to a control). */
async function tabTo(page: Page, target: ReturnType<Page['locator']>): Promise<void> {
  for (let i = 0; i < 120; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === document.activeElement)) return;
  }
  throw new Error('Tab never reached the control');
}

/** Lets go of the focus, as a learner's click on empty page would (setup, not a step of the test). */
async function blur(page: Page): Promise<void> {
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

/** Tabs through the page until a choice of the open question has the focus. */
async function tabToChoices(learner: LessonPage): Promise<void> {
  // From the lesson's first control (the Guided tour switch): the choices come after it and
  // before the code editor, which keeps Tab for itself.
  await learner.guidedTour().focus();
  for (let i = 0; i < 80; i++) {
    await learner.page.keyboard.press('Tab');
    if (await learner.page.evaluate(() => document.activeElement?.getAttribute('role') === 'radio')) return;
  }
  throw new Error('Tab never reached the question’s choices');
}

/** Picks `choice` with the arrow keys and Enter (the focus is on the first untried choice). */
async function pickWithKeys(learner: LessonPage, choices: readonly string[], choice: string, label: (c: string) => string): Promise<void> {
  await tabToChoices(learner);
  const names = await learner.choices().locator('.text').allInnerTexts();
  expect(names, `choice ${choice}`).toContain(label(choice));
  for (let i = 0; i < choices.length + 1; i++) {
    const focused = await learner.page.evaluate(() => document.activeElement?.querySelector('.text')?.textContent ?? '');
    if (focused === label(choice)) break;
    await learner.page.keyboard.press('ArrowDown');
  }
  await learner.page.keyboard.press('Enter');
}

function prepared(trace: Trace, step: number, stop: TourStop): PreparedCheckpoint {
  const result = prepareCheckpoint(trace, step, stop.checkpoint!);
  if (!result.ok) throw new Error(result.problem);
  return result.checkpoint;
}

test('every lesson’s tour, driven by the keys alone: stepping past stops by hand never skips one, and every program is reached', async ({ page }, testInfo) => {
  test.setTimeout(1_500_000);
  const learner = new LessonPage(page);
  await page.goto('/');
  await expect(learner.navigator()).toBeVisible();
  for (const lesson of catalog.lessons) {
    // Opened by the folder's name; the address comes back as the lesson's name.
    const serial = await learner.traceSerial();
    await page.evaluate((hash) => (location.hash = hash), `#/lesson/${folderOf(lesson)}`);
    await expect(page.getByRole('heading', { level: 1, name: lesson.title, exact: true })).toBeVisible();
    await expect(page).toHaveURL(new RegExp(`#/lesson/${lesson.slug}$`));
    if (serial === null) await learner.waitUntilReady();
    else await learner.waitForNewTrace(serial);
    await learner.setSpeed(8);
    const traces = new Map<string, Trace>();
    for (const program of lesson.programs) traces.set(program.file, await traceIn(page, program));
    const steps = new Map(lesson.programs.flatMap((p) => resolveStops(lesson.stops, p.file, traces.get(p.file)!).map((r) => [r.stop.id, r.step] as const)));

    await blur(page);
    await page.keyboard.press('Space');
    let from = 0;
    for (let k = 0; k < lesson.stops.length; k++) {
      const stop = lesson.stops[k]!;
      const number = k + 1;
      // Playing there at 8× shows a step every ~40 ms, slower on a busy machine: lesson 20's
      // second round is hundreds of steps from its fourth stop.
      const played = Math.max(0, steps.get(stop.id)! - from);
      await learner.expectAtStop(number, lesson.stops.length, stop.title, 20_000 + played * 150);
      from = steps.get(stop.id)!;
      await learner.expectStep(steps.get(stop.id)! + 1);
      if (lesson.programs.length > 1) await expect(learner.code().getByRole('tab', { name: stop.program })).toHaveAttribute('aria-selected', 'true');

      if (stop.checkpoint) {
        const c = prepared(traces.get(stop.program)!, steps.get(stop.id)!, stop);
        const label = (x: string): string => (c.kind === 'wake-time' ? `${x} s` : x);
        // Held: the arrow keys cannot go past an open question.
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('Shift+ArrowRight');
        await learner.expectStep(steps.get(stop.id)! + 1);
        await pickWithKeys(learner, c.choices, c.answer, label);
        await expect(learner.feedback()).toContainText('✓ Right!');
        await expect(learner.continueButton()).toBeFocused();
      }
      const last = k === lesson.stops.length - 1;
      if (last) {
        await page.keyboard.press('Enter');
        await expect(learner.tour().getByRole('status')).toContainText(`Lesson ${lesson.number} finished`);
        break;
      }
      const next = lesson.stops[k + 1]!;
      if (k % 2 === 1 || next.program !== stop.program) {
        // Continue (Enter): plays on to the next stop, in this program or the next one.
        await page.keyboard.press('Enter');
        continue;
      }
      // By hand: the next task switch, again and again (and single steps now and then). The
      // player must stop at the next stop, open, and never show one further on.
      for (let press = 0; ; press++) {
        expect(press, `reaching stop ${number + 1} of ${lesson.title} by hand`).toBeLessThan(600);
        await page.keyboard.press(press % 5 === 4 ? 'ArrowRight' : 'Shift+ArrowRight');
        const where = await tourAt(learner);
        expect(where?.at ?? 0, 'a stop was skipped').toBeLessThanOrEqual(number + 1);
        if (where?.at === number + 1) {
          expect(where.open, `stop ${number + 1} opened, not passed`).toBe(true);
          break;
        }
      }
    }
    if (lesson.number === 17) await shot(page, testInfo, 'tour-17-finished-in-failure-py');
  }
});

test('lesson 17: after stop 2’s answer, → opens stop 3 (the answer went past it), and the tour goes on into failure.py', async ({ page }) => {
  const lesson = lessonBySlug('taskgroup');
  const learner = new LessonPage(page);
  await page.goto(`/#/lesson/${lesson.slug}`);
  await learner.waitUntilReady();
  const trace = await traceIn(page, lesson.programs[0]!);
  const resolved = resolveStops(lesson.stops, 'main.py', trace);
  await learner.setSpeed(8);
  await blur(page);
  await tabTo(page, learner.stopButtons().filter({ hasText: lesson.stops[1]!.title }));
  await page.keyboard.press('Enter');
  await learner.expectAtStop(2, lesson.stops.length, lesson.stops[1]!.title);
  const c = prepared(trace, resolved[1]!.step!, lesson.stops[1]!);
  expect(c.revealStep!).toBeGreaterThanOrEqual(resolved[2]!.step!); // the answer is shown on (or past) stop 3’s step
  await pickWithKeys(learner, c.choices, c.answer, (x) => `${x} s`);
  await learner.expectStep(c.revealStep! + 1);
  await page.keyboard.press('ArrowRight');
  await learner.expectAtStop(3, lesson.stops.length, lesson.stops[2]!.title);
  await learner.expectStep(resolved[2]!.step! + 1);
  // Answer stop 3, then play past main.py's end: failure.py opens at its first stop.
  const c3 = prepared(trace, resolved[2]!.step!, lesson.stops[2]!);
  await pickWithKeys(learner, c3.choices, c3.answer, (x) => x);
  await page.keyboard.press('End');
  const serial = await learner.traceSerial();
  await page.keyboard.press('Space');
  await learner.waitForNewTrace(serial);
  await learner.expectAtStop(4, lesson.stops.length, lesson.stops[3]!.title);
  await expect(page).toHaveURL(/failure\.py$/);
  // Any stop can be gone back to from the list, in either program, with the keyboard.
  await tabTo(page, learner.stopButtons().filter({ hasText: lesson.stops[0]!.title }));
  await page.keyboard.press('Enter');
  await learner.expectAtStop(1, lesson.stops.length, lesson.stops[0]!.title);
  await blur(page);
  await tabTo(page, learner.stopButtons().filter({ hasText: lesson.stops[5]!.title }));
  await page.keyboard.press('Enter');
  await learner.expectAtStop(6, lesson.stops.length, lesson.stops[5]!.title);
});

for (const viewport of [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
]) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    test.use({ viewport });

    test('an open question gives nothing away; its answer comes back once answered', async ({ page }, testInfo) => {
      const lesson = lessonBySlug('numbers-and-letters');
      const learner = new LessonPage(page);
      await page.goto(`/#/lesson/${lesson.slug}`);
      await learner.waitUntilReady();
      const trace = await traceIn(page, lesson.programs[0]!);
      const resolved = resolveStops(lesson.stops, 'main.py', trace);

      // Stop 1 asks which task runs next: no "runs next" anywhere, no future on the timeline.
      await learner.setSpeed(8);
      await learner.button('Play').click();
      await learner.expectAtStop(1, lesson.stops.length, lesson.stops[0]!.title);
      await expect(learner.question()).toBeVisible();
      await expect(page.locator('.app')).not.toContainText('runs next');
      // "Which task runs next?": no place in the queue on any card, nor "head first".
      await expect(learner.card('Ready', 'Task-2')).toHaveAccessibleName(/, in the queue/);
      await expect(learner.lane('Ready')).not.toContainText(/1st|2nd|3rd|head/);
      await expect(page.locator('[data-future]')).toHaveCount(1);
      await expect(learner.region('Timeline')).toContainText('The rest is hidden until you answer.');
      // The narration stays on screen with the question open.
      await expectInView(page, learner.narration());
      await shot(page, testInfo, `question-open-next-task-${viewport.width}`);

      // Stop 3 asks when print_letters wakes: its card, the narration and the timeline keep it.
      const stop = lesson.stops[2]!;
      await learner.stopButtons().filter({ hasText: stop.title }).click();
      await learner.expectAtStop(3, lesson.stops.length, stop.title);
      const c = prepared(trace, resolved[2]!.step!, stop);
      const card = learner.card('Waiting', 'Task-3');
      await expect(card).toContainText('your prediction');
      await expect(card).not.toContainText('until');
      await expect(card).not.toContainText('left');
      await expect(learner.narration()).not.toContainText(`${c.answer} s`);
      await expect(learner.narration()).toContainText('sleeps on a timer');
      await expect(page.locator('[data-future]')).toHaveCount(1);
      await expectInView(page, learner.narration());
      await shot(page, testInfo, `question-open-wake-time-${viewport.width}`);

      // A wrong pick: why, in a sentence from the run; the answer still hidden.
      const wrong = c.choices.find((x) => x !== c.answer)!;
      await learner.choices().filter({ hasText: `${wrong} s` }).first().click();
      await expect(learner.feedback()).toContainText(c.hint[wrong]!);
      await expect(learner.feedback()).not.toContainText(`${c.answer} s`);
      await expect(card).not.toContainText('until');
      // Show the answer: shown on the board, and the hidden things come back.
      await learner.tour().getByRole('button', { name: 'Show the answer' }).click();
      await expect(learner.feedback()).toContainText(`the answer is “${c.answer} s”`);
      await expect(learner.tour().getByRole('button', { name: 'Try again' })).toHaveCount(0);
      await expect(page.locator('[data-future]')).toHaveCount(0);
      await learner.stopButtons().filter({ hasText: stop.title }).click();
      await expect(learner.card('Waiting', 'Task-3')).toContainText(`sleeps until ${c.answer} s`);
    });

    test('lessons 16 and 17: the stop’s text, its question and choices in sight together; what holds the player says why; End and the scrubber hold too', async ({ page }, testInfo) => {
      const lesson = lessonBySlug('timeouts-and-cancelling');
      const learner = new LessonPage(page);
      await page.goto(`/#/lesson/${lesson.slug}`);
      await learner.waitUntilReady();
      const trace = await traceIn(page, lesson.programs[0]!);
      const resolved = resolveStops(lesson.stops, 'timeout.py', trace);
      const big = viewport.height >= 900;
      for (const k of [0, 1]) {
        const stop = lesson.stops[k]!;
        await learner.stopButtons().filter({ hasText: stop.title }).click();
        await learner.expectAtStop(k + 1, lesson.stops.length, stop.title);
        await expect(learner.question()).toBeVisible();
        // Every choice in sight, nothing over it; at 1440×900 the stop's text as well, and the question under it.
        for (const choice of await learner.choices().all()) await expectInView(page, choice);
        const boxes = await page.evaluate(() => {
          const column = document.querySelector('[data-scroll-column]')!.getBoundingClientRect();
          const paragraphs = [...document.querySelectorAll('.tour .md > *')].filter((p) => !p.closest('.act'));
          const text = paragraphs.map((p) => p.getBoundingClientRect());
          const title = document.querySelector('#tour-title')!.getBoundingClientRect();
          const question = document.querySelector('.tour .act')!.getBoundingClientRect();
          return { column: [column.top, column.bottom], text: text.map((r) => [r.top, r.bottom]), title: [title.top, title.bottom], question: [question.top, question.bottom] };
        });
        for (const [, bottom] of boxes.text) expect(bottom, 'the text ends above the question').toBeLessThanOrEqual(boxes.question[0]! + 0.5);
        expect(boxes.question[1]).toBeLessThanOrEqual(boxes.column[1]! + 0.5);
        if (big) {
          expect(boxes.title[0]).toBeGreaterThanOrEqual(boxes.column[0]! - 0.5);
          for (const [top, bottom] of boxes.text) {
            expect(top).toBeGreaterThanOrEqual(boxes.column[0]! - 0.5);
            expect(bottom).toBeLessThanOrEqual(boxes.column[1]! + 0.5);
          }
        }
        // Play, Step forward, Next switch and End are off, and say why.
        for (const name of ['Play', 'Step forward', 'Next switch', 'Jump to end']) {
          await expect(learner.button(name)).toBeDisabled();
          await expect(learner.button(name)).toHaveAccessibleDescription(/Answer the question to go on/);
        }
        await expect(page.getByText('Answer the question to go on', { exact: false }).first()).toBeVisible();
        await shot(page, testInfo, `l16-stop${k + 1}-question-${viewport.width}`);
      }

      // Stop 2 is open: End (the key) and the scrubber cannot pass it; going back can.
      const at = resolved[1]!.step!;
      await learner.focusPage();
      await page.keyboard.press('End');
      await learner.expectStep(at + 1);
      const scrubber = page.getByRole('slider', { name: 'Step', exact: true });
      await scrubber.fill(String(trace.events.length - 1));
      await learner.expectStep(at + 1);
      await expect(learner.question()).toBeVisible();
      await expect(page.locator('#tour-where')).not.toContainText('passed');
      await scrubber.fill(String(at - 3));
      await learner.expectStep(at - 2);

      // Lesson 17, stop 2 asks when main wakes: no wake-up time, no time left anywhere on the board.
      const l17 = lessonBySlug('taskgroup');
      await page.goto(`/#/lesson/${l17.slug}`);
      await learner.waitUntilReady();
      const wake = l17.stops[1]!;
      expect(wake.checkpoint?.kind).toBe('wake-time');
      await learner.stopButtons().filter({ hasText: wake.title }).click();
      await learner.expectAtStop(2, l17.stops.length, wake.title);
      await expect(page.locator('section.right')).not.toContainText(/until|\bleft\b|timeout at/);
      await shot(page, testInfo, `l17-stop2-wake-time-${viewport.width}`);
    });

    test('the end of a tour says the lesson is finished, and which stops’ questions are still open', async ({ page }, testInfo) => {
      const lesson = lessonBySlug('timeouts-and-cancelling');
      const learner = new LessonPage(page);
      await page.goto(`/#/lesson/${lesson.slug}`);
      await learner.waitUntilReady();
      const last = lesson.stops.at(-1)!;
      expect(last.checkpoint).toBeNull();
      await learner.stopButtons().filter({ hasText: last.title }).click();
      await learner.expectAtStop(lesson.stops.length, lesson.stops.length, last.title);
      // Stepped past it to the end, not Continued: the tour ends all the same.
      await learner.focusPage();
      await page.keyboard.press('End');
      const status = learner.tour().getByRole('status');
      await expect(status).toContainText(`Lesson ${lesson.number} finished`);
      await expect(page.locator('#tour-where')).not.toContainText('passed');
      const open = lesson.stops.map((s, i) => ({ s, n: i + 1 })).filter(({ s }) => s.checkpoint !== null);
      expect(open.length).toBeGreaterThan(0);
      await expect(status).toContainText(`${open.length === 1 ? 'one question' : `${open.length} questions`} still open`);
      for (const { s, n } of open) await expect(status.getByRole('button', { name: `Stop ${n}: ${s.title}` })).toBeVisible();
      await shot(page, testInfo, `l16-finished-open-stops-${viewport.width}`);
      // Each goes back to its stop.
      await status.getByRole('button', { name: `Stop ${open[0]!.n}: ${open[0]!.s.title}` }).click();
      await learner.expectAtStop(open[0]!.n, lesson.stops.length, open[0]!.s.title);
    });

    test('lesson 18: the await chain and locals of a task, every frame’s line in the code, what is on the shelf', async ({ page }, testInfo) => {
      const lesson = lessonBySlug('queue');
      const learner = new LessonPage(page);
      await page.goto(`/#/lesson/${lesson.slug}`);
      await learner.waitUntilReady();
      await learner.freePlay();
      // Step to where main waits to put the cupcake on the full shelf.
      await learner.stepUntil(async () => (await learner.card('Waiting', 'Task-1').count()) > 0, 200);
      const main = learner.card('Waiting', 'Task-1');
      await expect(main).toContainText('waits for Queue.put on shelf');
      await expect(main).toContainText("Queue shelf: 2 of 2: 'apple pie', 'brownie'");
      await main.getByRole('button', { name: 'Look inside Task-1' }).click();
      const inside = learner.region('Inside Task-1 (main())');
      const chain = inside.getByRole('list', { name: 'Await chain, outermost first' }).getByRole('listitem');
      await expect(chain).toHaveCount(3);
      await expect(chain.nth(0).locator('code')).toHaveText('main()');
      await expect(chain.nth(0).locator('.line')).toHaveText('line 23');
      await expect(chain.nth(0).locator('dt')).toHaveText(['shelf', 'customers']);
      await expect(chain.nth(0).locator('dd')).toHaveText(['Queue', "[Task 'Ada', Task 'Bob']"]);
      await expect(chain.nth(1).locator('code')).toHaveText('baker()');
      await expect(chain.nth(1).locator('.line')).toHaveText('line 5');
      await expect(chain.nth(1).locator('dt')).toHaveText(['queue', 'cake']);
      await expect(chain.nth(1).locator('dd')).toHaveText(['Queue', "'cupcake'"]);
      await expect(chain.nth(2).locator('code')).toHaveText('Queue.put()');
      // Both lines of the chain are marked in the code: main's await (line 23) and baker's (line 5).
      await expect(learner.code().locator('.cm-await-line')).toContainText('await baker(shelf)');
      await expect(learner.code().locator('.cm-wait-line')).toContainText('await queue.put(cake)');
      // No address anywhere on the board, in the cards or the inspector.
      await expect(page.locator('section.right')).not.toContainText('0x');
      await expect(learner.card('Ready', 'Ada')).toContainText("customer('Ada', Queue, 3)");
      await shot(page, testInfo, `lesson-18-await-chain-${viewport.width}`);

      // The running task is followed by default: Ada, taking the apple pie.
      await inside.getByRole('button', { name: 'Follow the running task' }).click();
      await learner.stepUntil(async () => (await learner.console().innerText()).includes('Ada takes apple pie'), 60);
      const ada = learner.region('Inside Ada (customer(\'Ada\', Queue, 3))');
      await expect(ada.locator('dd')).toContainText(["'Ada'", 'Queue', '3', "'apple pie'"]);
      // Bob's first turn: nothing of his recorded yet but his coroutine, which is the program's,
      // not "asyncio's own", and has variables yet to be recorded, not "no local variables" (a
      // newcomer's finding).
      await learner.stepUntil(async () => (await learner.card('Running', 'Bob').count()) > 0, 60);
      const bob = learner.region('Inside Bob (customer(\'Bob\', Queue, 5))');
      const bobFrame = bob.getByRole('list', { name: 'Await chain, outermost first' }).getByRole('listitem');
      await expect(bobFrame).toHaveCount(1);
      await expect(bobFrame.locator('code')).toHaveText("customer('Bob', Queue, 5)");
      await expect(bob).toContainText('its await chain and variables are recorded when it first pauses or prints');
      await expect(bob).not.toContainText('asyncio’s own');
      await expect(bob).not.toContainText('no local variables');
      // Loop internals lists the queue and who waits on it.
      await page.getByRole('checkbox', { name: /Loop internals/ }).check();
      await expect(page.getByRole('region', { name: /^asyncio objects/ })).toContainText("Queue shelf: 1 of 2: 'brownie'");
      await shot(page, testInfo, `lesson-18-internals-${viewport.width}`);
    });
  });
}

test('the narration stays in sight with the lesson’s introduction open; the error banner points at the traceback’s step', async ({ page }, testInfo) => {
  const learner = new LessonPage(page);
  await page.goto('/#/lesson/07-await');
  await expect(page).toHaveURL(/#\/lesson\/await$/);
  await learner.waitUntilReady();
  const intro = page.locator('details.intro');
  await expect(intro).toHaveAttribute('open', '');
  await expectInView(page, learner.narration());
  await expect(page.locator('details.keys')).toContainText('Esc, then Tab');

  // Lesson 6 ends with an uncaught exception. In free play the banner is there from the start,
  // when the console has printed nothing yet: it says where the traceback is, and goes there.
  const lesson = lessonBySlug('run-inside-run');
  await page.goto(`/#/lesson/${lesson.slug}`);
  await learner.waitUntilReady();
  await learner.freePlay();
  await blur(page);
  await page.keyboard.press('Home');
  await expect(learner.banner()).toContainText('RuntimeError');
  await expect(learner.banner()).toContainText(/The traceback is printed at step \d+, later in the run/);
  await expect(learner.banner()).not.toContainText('is in the console');
  await shot(page, testInfo, 'error-banner-before-the-traceback');
  await learner.banner().getByRole('button', { name: 'Show the traceback' }).click();
  await expect(learner.console()).toContainText('Traceback (most recent call last)');
  await expect(learner.banner()).toContainText('The traceback is in the console');
  await expectInView(page, learner.narration());
});

test('a lesson prints as a handout: its text, its code, and the board at each stop', async ({ page }, testInfo) => {
  const lesson = lessonBySlug('taskgroup');
  const learner = new LessonPage(page);
  await page.goto(`/#/lesson/${lesson.slug}`);
  await learner.waitUntilReady();
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => {
      (window as unknown as { printed: number }).printed++;
    };
  });
  await page.getByRole('button', { name: 'Print handout…' }).click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  await page.emulateMedia({ media: 'print' });
  const handout = page.getByRole('article', { name: 'Printable handout' });
  await expect(handout).toBeVisible();
  await expect(page.locator('.app')).toBeHidden();
  await expect(handout.getByRole('heading', { level: 1 })).toHaveText(lesson.title);
  for (const program of lesson.programs) await expect(handout.getByRole('heading', { level: 2, name: program.file })).toBeVisible();
  // Every stop, both programs' included, has its board.
  await expect(handout.locator('.stop')).toHaveCount(lesson.stops.length);
  await expect(handout.locator('.stop .board')).toHaveCount(lesson.stops.length);
  await expect(handout.locator('.answers')).toContainText('Stop 1:');
  await page.screenshot({ path: testInfo.outputPath('handout-print.png'), fullPage: true });
  await testInfo.attach('handout-print', { path: testInfo.outputPath('handout-print.png'), contentType: 'image/png' });
  await page.pdf({ path: testInfo.outputPath('handout.pdf') });
  await page.emulateMedia({ media: 'screen' });
});

/** The element is entirely inside the window (not scrolled away, not below the fold). */
async function expectInView(page: Page, locator: ReturnType<Page['locator']>): Promise<void> {
  const box = await locator.boundingBox();
  const size = page.viewportSize()!;
  expect(box, 'the element is laid out').not.toBeNull();
  expect(box!.y).toBeGreaterThanOrEqual(0);
  expect(box!.y + box!.height).toBeLessThanOrEqual(size.height);
  // And nothing covers it: the point in its middle is the element or inside it.
  const inside = await locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 10));
    return hit !== null && (el === hit || el.contains(hit));
  });
  expect(inside, 'nothing covers it').toBe(true);
}
