/**
 * Lesson packs in the browser edition, as a teacher uses them: open the example pack
 * (examples/lesson-pack) as a .zip with "Open lessons…", find its lessons under its title,
 * play one through its guided tour, look at "Check this lesson", reload and find the pack and
 * its progress still there, remove it. Then a broken pack: every problem listed by file and
 * line, the good lesson still openable. And "Save as lesson…" from the scratchpad downloads a
 * lesson folder that opens as a pack. No request may leave the app's origin (the image in the
 * example's lesson is the pack's own); no page error may happen.
 *
 * What the stops and questions must say is worked out from a run of the same program through
 * the app's bridge, with the app's own loader and checks.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { loadCatalog } from '../src/lessons';
import { checkLesson } from '../src/lessons/check';
import { prepareCheckpoint } from '../src/lessons/checkpoints';
import { loadPack } from '../src/lessons/pack';
import { readPackFolder } from '../src/lessons/pack-folder';
import { unzipPack, zipPack } from '../src/lessons/pack-zip';
import type { Lesson } from '../src/shared/lesson';
import type { Trace } from '../src/shared/trace';
import { LessonPage } from './pages/lesson-page';
import { readLessonFiles } from '../tests/lesson-files';

/** How many lessons the built-in course has (lessons/): a pack adds to them, never replaces one. */
const BUILT_IN = loadCatalog(readLessonFiles(resolve(import.meta.dirname, '../lessons'))).lessons.length;

const ROOT = resolve(import.meta.dirname, '..');

/** The course's section of one pack, by its title. */
function packSection(page: Page, title: string) {
  return page.getByRole('region', { name: title, exact: true });
}

async function openPackZip(page: Page, path: string): Promise<void> {
  await page.getByRole('button', { name: 'Open lessons…' }).click();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'A .zip file…' }).click();
  await (await chooser).setFiles(path);
}

/** Zips a pack folder as a teacher would (the folder inside the .zip), into the test's output folder. */
async function zipFolder(folder: string, path: string): Promise<string> {
  const source = await readPackFolder(folder);
  const { writeFileSync } = await import('node:fs');
  writeFileSync(path, zipPack(source.files.map((f) => ({ path: `${source.name}/${f.path}`, bytes: f.bytes }))));
  return path;
}

async function traceIn(page: Page, source: string, filename: string): Promise<Trace> {
  return page.evaluate(({ source, filename }) => window.loopLab!.run({ source, filename }), { source, filename });
}

test('the example pack, opened as a .zip: its lessons under its title, one played, still there after a reload, then removed', async ({ page }, testInfo) => {
  const zip = await zipFolder(resolve(ROOT, 'examples', 'lesson-pack'), testInfo.outputPath('lesson-pack.zip'));
  const pack = loadPack(unzipPack('lesson-pack.zip', new Uint8Array(readFileSync(zip))));
  expect(pack.problems).toEqual([]);
  const lesson: Lesson = pack.catalog.lessons[0]!;
  const learner = new LessonPage(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 2, name: 'Your own lessons' })).toBeVisible();

  await openPackZip(page, zip);
  const section = packSection(page, 'Asyncio extras');
  await expect(section).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Opened “Asyncio extras”: 2 lessons.' })).toBeVisible();
  const links = section.getByRole('link');
  await expect(links).toHaveCount(2);
  for (const [i, l] of pack.catalog.lessons.entries()) await expect(links.nth(i)).toHaveAccessibleName(`${l.number}. ${l.title}`);
  await expect(section).toContainText('From lesson-pack.zip · 2 lessons · 0 of 2 finished');
  // Its programs were run and checked in the background: no problem.
  await expect(section.getByRole('status')).toHaveText(/✓ Checked: every program runs to its end/, { timeout: 60_000 });
  // The built-in course is all still there, after the pack.
  await expect(learner.entries()).toHaveCount(BUILT_IN);
  await shot(page, testInfo, '10-course-with-a-pack');

  // Play its first lesson through its guided tour.
  await links.first().click();
  await expect(page.getByRole('heading', { level: 1, name: lesson.title, exact: true })).toBeVisible();
  await learner.waitUntilReady();
  await expect(page.getByText(`Asyncio extras · Lesson 1 of 2`)).toBeVisible();
  // Its image is the pack's own, shown from a data: URL.
  const image = page.getByRole('img', { name: /^Three tasks on the clock/ });
  await expect(image).toHaveAttribute('src', /^data:image\/png;base64,/);
  expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(640);
  await expect(page.locator('.md table')).toContainText('fetch(\'fig\', 0.1)');

  const trace = await traceIn(page, lesson.programs[0]!.source, 'main.py');
  const check = checkLesson(lesson, new Map([['main.py', trace]]));
  expect(check.problems).toEqual([]);
  await learner.setSpeed(8);
  for (const [i, stop] of check.stops.entries()) {
    if (i === 0) await learner.button('Play').click();
    else await learner.continueButton().click();
    await learner.expectAtStop(i + 1, check.stops.length, stop.stop.title);
    await learner.expectStep(stop.step! + 1);
    if (stop.stop.checkpoint) {
      const prepared = prepareCheckpoint(trace, stop.step!, stop.stop.checkpoint);
      if (!prepared.ok) throw new Error(prepared.problem);
      const label = prepared.checkpoint.kind === 'wake-time' ? `${stop.answer} s` : stop.answer!;
      await learner.choices().filter({ hasText: label }).first().click();
      await expect(learner.feedback()).toContainText('✓ Right!');
    }
  }
  await learner.focusPage();
  await page.keyboard.press('Enter');
  await expect(learner.tour().getByRole('status')).toContainText('Lesson 1 finished');

  // "Check this lesson": each stop with the step it lands on, each question with the run's answer.
  const panel = page.locator('[data-lesson-check]');
  await panel.getByText('Check this lesson').click();
  await expect(panel.getByRole('status')).toContainText('✓ No problems');
  const stops = panel.getByRole('list', { name: 'Where each stop lands' }).getByRole('listitem');
  await expect(stops).toHaveCount(check.stops.length);
  for (const [i, stop] of check.stops.entries()) {
    await expect(stops.nth(i)).toContainText(`${stop.moment} → step ${stop.step! + 1} of ${stop.of}`);
    if (stop.answer !== null) await expect(stops.nth(i)).toContainText(`answer from the run: ${stop.answer}`);
  }
  await panel.evaluate((el) => el.scrollIntoView());
  await shot(page, testInfo, '11-check-this-lesson');
  // "Show" goes to the stop's step.
  await stops.nth(1).getByRole('button', { name: 'Show' }).click();
  await learner.expectStep(check.stops[1]!.step! + 1);

  // A reload: the pack, its lesson and its progress are still there.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: lesson.title, exact: true })).toBeVisible();
  await learner.showLessons();
  await expect(packSection(page, 'Asyncio extras').getByRole('listitem').filter({ hasText: lesson.title })).toContainText('✓ Finished');
  await expect(packSection(page, 'Asyncio extras')).toContainText('1 of 2 finished');
  // Its progress is its own: the built-in course's is untouched.
  await expect(page.getByText(`0 of ${BUILT_IN} lessons finished`)).toBeVisible();

  // Remove pack: asked first, then gone, and still gone after a reload.
  await packSection(page, 'Asyncio extras').getByRole('button', { name: 'Remove pack' }).click();
  await packSection(page, 'Asyncio extras').getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(packSection(page, 'Asyncio extras')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'Removed “Asyncio extras”.' })).toBeVisible();
  await page.reload();
  await expect(learner.navigator()).toBeVisible();
  await expect(page.getByRole('heading', { level: 2, name: 'Your own lessons' })).toBeVisible();
  await expect(packSection(page, 'Asyncio extras')).toHaveCount(0);
  // Its lesson's address now says so.
  await page.evaluate((slug) => (location.hash = `#/lesson/${slug}`), lesson.slug);
  await expect(page.getByRole('alert')).toContainText('There is no lesson called');
});

test('a .zip dropped on the course screen opens as a pack', async ({ page }, testInfo) => {
  const zip = await zipFolder(resolve(ROOT, 'examples', 'lesson-pack'), testInfo.outputPath('lesson-pack.zip'));
  await page.goto('/');
  const course = page.getByRole('main');
  const dataTransfer = await page.evaluateHandle((bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], 'lesson-pack.zip', { type: 'application/zip' }));
    return transfer;
  }, [...readFileSync(zip)]);
  await course.dispatchEvent('dragover', { dataTransfer });
  await expect(page.getByText('Drop a folder or a .zip of lessons to open it')).toBeVisible();
  await course.dispatchEvent('drop', { dataTransfer });
  await expect(page.getByText('Drop a folder or a .zip of lessons to open it')).toHaveCount(0);
  await expect(packSection(page, 'Asyncio extras').getByRole('link')).toHaveCount(2);
  // Something else dropped is not a pack, and says so.
  const text = await page.evaluateHandle(() => {
    const transfer = new DataTransfer();
    transfer.items.add(new File(['hello'], 'notes.txt', { type: 'text/plain' }));
    return transfer;
  });
  await course.dispatchEvent('drop', { dataTransfer: text });
  await expect(page.getByRole('alert')).toContainText('Drop a folder of lessons, or a .zip of one');
});

test('authoring preview: the pack opened again after an edit reloads the lesson on screen, and says what changed', async ({ page }, testInfo) => {
  const original = await readPackFolder(resolve(ROOT, 'examples', 'lesson-pack'));
  const write = async (name: string, edit: (path: string, text: string) => string): Promise<string> => {
    const { writeFileSync } = await import('node:fs');
    const path = testInfo.outputPath(name);
    const files = original.files.map((f) => ({ path: `lesson-pack/${f.path}`, bytes: /\.(md|py|out)$/.test(f.path) ? edit(f.path, new TextDecoder().decode(f.bytes)) : f.bytes }));
    writeFileSync(path, zipPack(files));
    return path;
  };
  const first = await write('lesson-pack.zip', (_path, text) => text);
  const edited = await write('lesson-pack-edited.zip', (path, text) =>
    path.startsWith('02-') && path.endsWith('tour.md')
      ? text.replace('## main gives up', '## main gives up at last')
      : path.startsWith('02-') && path.endsWith('lesson.md')
        ? text.replace('Watch the clock', 'Now watch the clock')
        : text,
  );
  const learner = new LessonPage(page);
  await page.goto('/');
  await openPackZip(page, first);
  await packSection(page, 'Asyncio extras').getByRole('link', { name: /Giving up with wait_for/ }).click();
  await learner.waitUntilReady();
  await expect(learner.stopButtons().last()).toContainText('main gives up');

  const panel = page.locator('[data-lesson-check]');
  await panel.getByText('Check this lesson').click();
  await expect(panel.getByRole('status')).toContainText('✓ No problems');
  const chooser = page.waitForEvent('filechooser');
  await panel.getByRole('button', { name: 'Open the pack again…' }).click();
  await (await chooser).setFiles(edited);

  const note = page.getByRole('status', { name: 'The lesson was reloaded' });
  await expect(note).toContainText(/Reloaded at .+ What changed:/);
  await expect(note.getByRole('listitem')).toHaveText(['the introduction changed', 'stop “main gives up at last” was added', 'stop “main gives up” was removed']);
  await expect(page.getByRole('heading', { level: 1, name: 'Giving up with wait_for' })).toBeVisible();
  await expect(learner.stopButtons().last()).toContainText('main gives up at last');
  await expect(panel.getByRole('status')).toContainText('✓ No problems');
  await shot(page, testInfo, '13-lesson-reloaded');
  await note.getByRole('button', { name: 'Dismiss' }).click();
  await expect(note).toHaveCount(0);
});

test('a broken pack: every problem by file and line in one list; the good lesson still opens', async ({ page }, testInfo) => {
  const zip = await zipFolder(resolve(ROOT, 'tests', 'fixtures', 'broken-pack'), testInfo.outputPath('broken-pack.zip'));
  const learner = new LessonPage(page);
  await page.goto('/');
  await openPackZip(page, zip);
  const section = packSection(page, 'A broken pack');
  await expect(section).toBeVisible();
  const problems = section.getByRole('list', { name: 'Problems in A broken pack' }).getByRole('listitem');
  // Reading finds two; the runs of the programs find three more.
  await expect(problems).toHaveCount(5, { timeout: 60_000 });
  await expect(problems.locator('code')).toHaveText([
    '02-bad-frontmatter/lesson.md:2',
    '03-never-reached/tour.md:1',
    '03-never-reached/tour.md:9',
    '04-runaway/main.py:2',
    '05-not-utf8/main.py:1',
  ]);
  await expect(problems.nth(1)).toContainText('the answer written for stop "main sleeps" is "2", but the run says "1"');
  await expect(problems.nth(3)).toContainText('did not run to its end');
  await expect(section.getByText('5 problems in this pack')).toBeVisible();
  // The notice at the top says so too: not a plain green "Opened".
  await expect(page.getByRole('status').filter({ hasText: 'Opened “A broken pack” (5 lessons) with 5 problems: see the list below.' })).toBeVisible();
  await section.scrollIntoViewIfNeeded();
  await shot(page, testInfo, '12-pack-problems');
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await shot(page, testInfo, '12-pack-problems-dark');
  await page.getByRole('button', { name: 'Dark theme' }).click();

  // The good lesson opens and plays.
  await section.getByRole('link', { name: /A good lesson/ }).click();
  await learner.waitUntilReady();
  await expect(page.getByRole('heading', { level: 1, name: 'A good lesson' })).toBeVisible();

  // A lesson that loads but whose stops do not fit: its check says which, and where.
  await learner.showLessons();
  await packSection(page, 'A broken pack').getByRole('link', { name: /Stops that do not fit/ }).click();
  await learner.waitUntilReady();
  const panel = page.locator('[data-lesson-check]');
  await panel.getByText('Check this lesson').click();
  await expect(panel.getByRole('status')).toContainText('2 problems');
  const stops = panel.getByRole('list', { name: 'Where each stop lands' }).getByRole('listitem');
  await expect(stops.nth(0)).toContainText('written in tour.md: “2” ✗');
  await expect(stops.nth(1)).toContainText('the first time the program runs line 8 → never reached');
  await panel.evaluate((el) => el.scrollIntoView());
  await shot(page, testInfo, '12-check-this-lesson-with-problems');
  await learner.showLessons();
  await packSection(page, 'A broken pack').getByRole('button', { name: 'Remove pack' }).click();
  await packSection(page, 'A broken pack').getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(packSection(page, 'A broken pack')).toHaveCount(0);
});

test('a pack is data: its HTML is text, its scripts never run, its remote images and javascript: links are refused and reported', async ({ page }, testInfo) => {
  const good = await readPackFolder(resolve(ROOT, 'examples', 'lesson-pack'));
  const gather = good.files.filter((f) => f.path.startsWith('01-gather-keeps-order/') && !f.path.endsWith('lesson.md'));
  const hostile = [
    '---',
    'title: "Hostile <b>title</b>"',
    'summary: "It tries <script>window.hacked = 1</script> everything."',
    '---',
    '',
    '<script>window.hacked = 2</script>',
    '',
    '<img src="https://example.com/track.png" onerror="window.hacked = 3">',
    '',
    '<iframe src="https://example.com/"></iframe> <a href="javascript:window.hacked = 4">raw link</a>',
    '',
    '**Still markdown.**',
    '',
  ].join('\n');
  const refused = '---\ntitle: Refused\nsummary: Remote image and a javascript link.\n---\n\n![tracker](https://example.com/pixel.png)\n\n[run](javascript:window.hacked=5)\n';
  const { writeFileSync } = await import('node:fs');
  const path = testInfo.outputPath('hostile.zip');
  writeFileSync(
    path,
    zipPack([
      { path: 'pack.md', bytes: '---\ntitle: Hostile pack\n---\n' },
      { path: '01-hostile/lesson.md', bytes: hostile },
      ...gather.map((f) => ({ path: f.path.replace('01-gather-keeps-order', '01-hostile'), bytes: f.bytes })),
      { path: '02-refused/lesson.md', bytes: refused },
      ...gather.filter((f) => /main\.(py|out)$/.test(f.path)).map((f) => ({ path: f.path.replace('01-gather-keeps-order', '02-refused'), bytes: f.bytes })),
    ]),
  );
  const learner = new LessonPage(page);
  await page.goto('/');
  await openPackZip(page, path);
  const section = packSection(page, 'Hostile pack');
  const problems = section.getByRole('list', { name: 'Problems in Hostile pack' }).getByRole('listitem');
  await expect(problems.locator('code')).toHaveText(['02-refused/lesson.md:6', '02-refused/lesson.md:8']);
  await expect(problems.nth(0)).toContainText('Loop Lab never fetches images');
  await expect(problems.nth(1)).toContainText('a lesson can link only to web pages');

  await section.getByRole('link', { name: /Hostile <b>title<\/b>/ }).click();
  await learner.waitUntilReady();
  const intro = page.locator('details.intro .md');
  await expect(intro).toContainText('<script>window.hacked = 2</script>');
  await expect(intro).toContainText('<img src="https://example.com/track.png" onerror="window.hacked = 3">');
  await expect(intro.locator('strong')).toHaveText('Still markdown.');
  await expect(intro.locator('script, img, iframe, a')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
  await shot(page, testInfo, '14-hostile-pack-lesson');
  // (The fixture checks that no request left the app's origin.)
});

test('Save as lesson… downloads a lesson folder that opens as a pack and checks clean', async ({ page }, testInfo) => {
  const learner = new LessonPage(page);
  await page.goto('/#/scratchpad');
  await learner.waitUntilReady();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Save as lesson…' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('01-scratchpad.zip');
  const path = testInfo.outputPath('01-scratchpad.zip');
  await file.saveAs(path);
  await expect(page.getByRole('status').filter({ hasText: 'Saved the lesson folder 01-scratchpad' })).toBeVisible();
  const saved = loadPack(unzipPack('01-scratchpad.zip', new Uint8Array(readFileSync(path))));
  expect(saved.problems).toEqual([]);
  expect(saved.catalog.lessons.map((l) => [l.folder, l.programs.map((p) => p.file)])).toEqual([['01-scratchpad', ['main.py']]]);

  // Opened as a pack, it lists its one lesson, checked clean.
  await learner.showLessons();
  await openPackZip(page, path);
  const section = packSection(page, '01-scratchpad');
  await expect(section.getByRole('link')).toHaveAccessibleName('1. Scratchpad');
  await expect(section.getByRole('status')).toHaveText(/✓ Checked/, { timeout: 60_000 });
});
