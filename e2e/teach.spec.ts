/**
 * Teachers show it (issue 14), in the browser edition: share a program at a step and open the
 * link in a fresh browser; the link kept from format 1 still opens; a shared link never
 * replaces the learner's own scratchpad or lesson edit without asking; the embed snippet plays
 * inside a course page from another origin (and only the embed page may be framed); Present
 * mode at 1280×720 keeps everything inside the window; the plain layout's 1280×720 fixes;
 * export a PNG, a GIF (more than one frame) and a page that plays the run from file:// with
 * the network blocked. Screenshots and the exported pictures are attached to each test.
 *
 * The course page that embeds the player is served by a plain static server on its own port
 * (another origin): LOOPLAB_E2E_PORT + 1 (5332 when the app is on 5331).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, TestInfo } from '@playwright/test';
import { shareLink } from '../src/shared/share-link';
import { expect, shot, test } from './fixtures';
import { PlayerPage } from './pages/player-page';
import { serveStatic, type StaticServer } from './static-server';

const APP_PORT = Number(process.env.LOOPLAB_E2E_PORT ?? 5183);
const COURSE_PORT = APP_PORT + 1;
const COURSE_ORIGIN = `http://127.0.0.1:${COURSE_PORT}/`;

const KEPT_LINK = readFileSync(join(import.meta.dirname, '../tests/fixtures/share/link-v1.txt'), 'utf8').trim();

function fragmentOf(link: string): string {
  return link.slice(link.indexOf('#'));
}

/** Opens `url` in a new, empty browser context (nothing stored: a fresh browser). */
async function freshPage(browser: Browser, baseURL: string, url: string, options: { width?: number; height?: number } = {}): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await browser.newContext({ baseURL, viewport: { width: options.width ?? 1440, height: options.height ?? 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
  await page.goto(url);
  return {
    page,
    close: async () => {
      await context.close();
      expect(errors, 'errors in the fresh page').toEqual([]);
    },
  };
}

/** A picture file kept with the test (attached, and in its output folder). */
async function keep(testInfo: TestInfo, name: string, bytes: Buffer, contentType: string): Promise<void> {
  const path = testInfo.outputPath(name);
  writeFileSync(path, bytes);
  await testInfo.attach(name, { path, contentType });
}

test.describe('share by link', () => {
  test('a program shared at step 12 opens in a fresh browser at step 12, with the same code', async ({ page, browser, baseURL }, testInfo) => {
    const player = new PlayerPage(page);
    await page.goto('/');
    await player.openScratchpad();
    const code = await player.codeText();
    await player.stepForward(12);
    await player.expectStep(12);
    const board = await player.board();

    await page.keyboard.press('Control+Shift+S');
    const dialog = page.getByRole('dialog', { name: 'Share' });
    await expect(dialog).toBeVisible();
    const link = await dialog.getByRole('textbox', { name: 'Link', exact: true }).inputValue();
    expect(link.startsWith(`${baseURL}#/shared/1/`)).toBe(true);
    expect(link.length).toBeLessThanOrEqual(8000);
    await expect(dialog.getByRole('button', { name: 'Copy link' })).toBeVisible();
    const embed = await dialog.getByRole('textbox', { name: 'Embed code' }).inputValue();
    expect(embed).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/embed\.html#\/embed\/shared\/1\/[^"]+" title="Loop Lab: Scratchpad" width="800" height="500"/);
    await shot(page, testInfo, '01-share-dialog');
    await dialog.getByRole('button', { name: 'Close' }).click();

    const fresh = await freshPage(browser, baseURL!, link);
    const other = new PlayerPage(fresh.page);
    // The link carries the run: it is ready to play before Python is up.
    await fresh.page.locator('body[data-ready="true"]').waitFor();
    await other.expectStep(12);
    expect(await other.codeText()).toBe(code);
    expect(await other.board()).toEqual(board);
    await expect(fresh.page.getByRole('heading', { level: 1, name: 'A shared program' })).toBeVisible();
    await shot(fresh.page, testInfo, '02-link-opened-fresh');
    await fresh.close();
  });

  test('the link kept from format 1 still opens: its program, step and speed', async ({ page }, testInfo) => {
    const player = new PlayerPage(page);
    await page.goto(`/${fragmentOf(KEPT_LINK)}`);
    await page.locator('body[data-ready="true"]').waitFor();
    await player.expectStep(12);
    expect(await player.codeText()).toContain('results = await asyncio.gather(count("tick", 3, 0.1), count("tock", 2, 0.15))');
    expect(await player.speed()).toBe(2);
    await player.playToEnd();
    expect(await player.consoleLines()).toContain("['tick done', 'tock done']");
    await shot(page, testInfo, '03-kept-link');
  });

  test('a shared link never replaces the learner’s scratchpad, and asks before replacing a lesson edit', async ({ page, baseURL }, testInfo) => {
    const player = new PlayerPage(page);
    await page.addInitScript(() => {
      if (sessionStorage.getItem('seeded')) return;
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('loop-lab:scratchpad', JSON.stringify({ filename: 'scratchpad.py', source: 'print("my own scratchpad")\n' }));
      localStorage.setItem('loop-lab:drafts', JSON.stringify({ 'lesson:two-printers/main.py': 'print("my own edit")\n' }));
    });
    // The kept link (not a lesson's): shown on its own; the scratchpad is untouched.
    await page.goto(`/${fragmentOf(KEPT_LINK)}`);
    await page.locator('body[data-ready="true"]').waitFor();
    await player.expectStep(12);
    await page.getByRole('navigation', { name: 'Places' }).getByRole('button', { name: 'Scratchpad' }).click();
    await expect.poll(() => player.codeText()).toBe('print("my own scratchpad")\n');

    // A link with its own version of lesson 2's program: the learner is asked first.
    const shared = shareLink(
      { filename: 'main.py', source: 'import asyncio\nprint("the teacher’s version")\n', lesson: { slug: 'two-printers', file: 'main.py' }, step: -1, speed: 1, trace: null },
      baseURL!,
    );
    if (!shared.ok) throw new Error(shared.message);
    await page.goto(`/${fragmentOf(shared.link)}`);
    const ask = page.getByRole('dialog', { name: 'Open the shared version?' });
    await expect(ask).toBeVisible();
    await shot(page, testInfo, '04-ask-before-replacing');
    await ask.getByRole('button', { name: 'Keep my version' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Two printers take turns' })).toBeVisible();
    await expect.poll(() => player.codeText()).toBe('print("my own edit")\n');

    // Asked again, the learner shows the shared version; their own edit is still kept.
    await page.goto(`/${fragmentOf(shared.link)}`);
    await page.getByRole('dialog', { name: 'Open the shared version?' }).getByRole('button', { name: 'Show the shared version' }).click();
    await expect.poll(() => player.codeText()).toContain('the teacher’s version');
    const drafts = await page.evaluate(() => localStorage.getItem('loop-lab:drafts'));
    expect(JSON.parse(drafts ?? '{}')).toEqual({ 'lesson:two-printers/main.py': 'print("my own edit")\n' });
    const scratchpad = await page.evaluate(() => localStorage.getItem('loop-lab:scratchpad'));
    expect(JSON.parse(scratchpad ?? '{}')).toEqual({ filename: 'scratchpad.py', source: 'print("my own scratchpad")\n' });
  });

  test('a program too long for a link is refused with a sentence that suggests Save…', async ({ page }) => {
    const player = new PlayerPage(page);
    await page.goto('/');
    await player.openScratchpad();
    let long = 'import asyncio\n';
    for (let i = 0; long.length < 30_000; i++) long += `print(${(i * 7919) % 100_003}, ${(i * 104_729) % 99_991})\n`;
    await player.replaceCode(long);
    await page.getByRole('button', { name: 'Share…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Share' });
    await expect(dialog.getByRole('alert')).toContainText(/too long to share as a link.*8,000.*Save…/s);
    await expect(dialog.getByRole('textbox', { name: 'Link', exact: true })).toHaveCount(0);
  });
});

test.describe('embed', () => {
  let course: StaticServer;
  test.use({ otherOrigins: [COURSE_ORIGIN], expectedConsoleErrors: /frame-ancestors/ });
  test.beforeAll(async () => {
    course = await serveStatic(mkdtempSync(join(tmpdir(), 'looplab-course-')), COURSE_PORT);
  });
  test.afterAll(async () => course.close());

  test('the embed snippet plays inside a course page from another origin; the app itself refuses to be framed', async ({ page, baseURL }, testInfo) => {
    const player = new PlayerPage(page);
    await page.goto('/#/lesson/numbers-and-letters');
    await player.waitUntilReady();
    await page.getByRole('button', { name: 'Share…' }).click();
    const snippet = await page.getByRole('dialog', { name: 'Share' }).getByRole('textbox', { name: 'Embed code' }).inputValue();
    const lessonSnippet = `<iframe src="${baseURL}embed.html#/embed/lesson/two-printers" title="Loop Lab: two printers" width="800" height="500"></iframe>`;
    const framed = `<iframe id="app" src="${baseURL}#/lesson/numbers-and-letters" title="the whole app" width="400" height="300"></iframe>`;
    writeFileSync(
      join(course.root, 'course.html'),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>A course page</title></head>` +
        `<body><h1>Week 3: the event loop</h1>${snippet}<p>And a lesson:</p>${lessonSnippet}<p>The app itself:</p>${framed}</body></html>`,
    );
    await page.goto(`${COURSE_ORIGIN}course.html`);
    const embed = page.frameLocator('iframe[title="Loop Lab: Numbers and letters"]');
    await embed.locator('body[data-ready="true"]').waitFor();
    // Only the code, the board, the controls and the console: no course navigation, no top bar.
    for (const name of ['Code', 'Running', 'Ready', 'Waiting', 'Done', 'Console']) await expect(embed.getByRole('region', { name, exact: true })).toBeVisible();
    await expect(embed.getByRole('navigation')).toHaveCount(0);
    await expect(embed.getByRole('button', { name: 'Lessons' })).toHaveCount(0);
    // It plays the shipped trace with no Python started (no worker in the page).
    await embed.getByRole('button', { name: 'Play', exact: true }).click();
    await expect(embed.locator('.counter')).not.toContainText(/step 0 \//);
    await expect(embed.getByRole('button', { name: 'Pause', exact: true })).toBeVisible();
    await expect.poll(() => embed.locator('.console .line').count(), { timeout: 30_000 }).toBeGreaterThan(2);
    expect(page.workers()).toHaveLength(0);
    // The lesson's own address plays too.
    const lesson = page.frameLocator('iframe[title="Loop Lab: two printers"]');
    await lesson.locator('body[data-ready="true"]').waitFor();
    await lesson.getByRole('button', { name: 'Step forward' }).click();
    await expect(lesson.locator('.counter')).toContainText('step 1 /');
    // The rest of the app refuses to be framed (frame-ancestors 'none').
    const app = page.frames().find((f) => f.name() === '' && f.url().includes('#/lesson/numbers-and-letters'));
    expect(app === undefined || (await app.locator('#app').count()) === 0).toBe(true);
    const full = testInfo.outputPath('05-course-page-with-embeds.png');
    await page.screenshot({ path: full, fullPage: true });
    await testInfo.attach('05-course-page-with-embeds', { path: full, contentType: 'image/png' });
    // The embed fits its 800×500 frame: nothing outside it.
    const overflow = await embed.locator('html').evaluate(() => ({ w: document.documentElement.scrollWidth, h: document.documentElement.scrollHeight }));
    expect(overflow.w).toBeLessThanOrEqual(800);
    expect(overflow.h).toBeLessThanOrEqual(500);
  });
});

/** Elements outside the window that no scrolling pane holds (what a projector would cut off). */
function outsideTheWindow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    const scrolls = (el: Element): boolean => {
      const s = getComputedStyle(el);
      return /(auto|scroll|hidden|clip)/.test(`${s.overflowX} ${s.overflowY}`);
    };
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      let held = false;
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) if (scrolls(a)) held = true;
      if (held) continue;
      if (r.left < -0.5 || r.top < -0.5 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) {
        bad.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} ${Math.round(r.left)},${Math.round(r.top)}–${Math.round(r.right)},${Math.round(r.bottom)}`);
      }
    }
    if (document.documentElement.scrollWidth > innerWidth || document.documentElement.scrollHeight > innerHeight) bad.push('the page scrolls');
    return bad;
  });
}

/** True when the lane lies wholly inside the board's visible box. */
async function laneInSight(page: Page, lane: string): Promise<boolean> {
  return page.evaluate((name) => {
    const board = document.querySelector('section.right')!.getBoundingClientRect();
    const region = [...document.querySelectorAll('section.lane')].find((s) => s.querySelector('h3')?.textContent === name);
    if (!region) return false;
    const r = region.getBoundingClientRect();
    return r.top >= board.top - 0.5 && r.bottom <= board.bottom + 0.5;
  }, lane);
}

test.describe('1280 × 720', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  for (const zoom of [1, 1.5]) {
    test(`Present mode at zoom ${zoom * 100}%: code and board enlarged, narration as a caption, nothing outside the window`, async ({ page }, testInfo) => {
      await page.addInitScript((z) => localStorage.setItem('loop-lab:settings', JSON.stringify({ zoom: z })), zoom);
      const player = new PlayerPage(page);
      await page.goto('/#/lesson/numbers-and-letters');
      await page.locator('body[data-ready="true"]').waitFor();
      await player.freePlay();
      await page.getByRole('button', { name: 'Step forward' }).focus();
      await player.stepForward(40);
      await page.locator('body').press('p');
      await expect(page.getByRole('button', { name: 'Present', pressed: true })).toBeVisible();
      // Folded away: the lesson column, the timeline and the top bar.
      await expect(page.getByRole('heading', { level: 1 })).toHaveCount(0);
      await expect(player.region('Timeline')).toHaveCount(0);
      await expect(page.getByRole('navigation', { name: 'Places' })).toHaveCount(0);
      const caption = page.locator('.caption p');
      await expect(caption).toContainText('Step 40 of 173');
      const sizes = await page.evaluate(() => ({
        caption: parseFloat(getComputedStyle(document.querySelector('.caption p')!).fontSize),
        card: parseFloat(getComputedStyle(document.querySelector('.lane .card .name')!).fontSize),
        console: parseFloat(getComputedStyle(document.querySelector('.console .out')!).fontSize),
        code: parseFloat(getComputedStyle(document.querySelector('.centre .editor')!.shadowRoot!.querySelector('.cm-content')!).fontSize),
      }));
      expect(sizes.caption).toBeGreaterThanOrEqual(24);
      expect(sizes.card).toBeGreaterThanOrEqual(24);
      expect(sizes.console).toBeGreaterThanOrEqual(24);
      expect(sizes.code).toBeGreaterThanOrEqual(22);
      expect(await outsideTheWindow(page)).toEqual([]);
      for (const lane of ['Running', 'Ready', 'Waiting', 'Done']) expect(await laneInSight(page, lane), `${lane} in sight`).toBe(true);
      await shot(page, testInfo, `06-present-zoom-${zoom * 100}`);
      await page.keyboard.press('Escape');
      await expect(page.getByRole('navigation', { name: 'Places' })).toBeVisible();
    });
  }

  test('Present mode with a question open: the question, its choices and feedback in the caption, answered by keys or mouse', async ({ page }, testInfo) => {
    await page.goto('/#/lesson/taskgroup');
    await page.locator('body[data-ready="true"]').waitFor();
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const tourQuestion = page.locator('.tour').getByRole('radiogroup');
    await expect(tourQuestion).toBeVisible({ timeout: 60_000 });
    await page.locator('#narration-title').click();
    await page.keyboard.press('p');
    await expect(page.getByRole('button', { name: 'Present', pressed: true })).toBeVisible();
    const caption = page.locator('.caption');
    const question = caption.getByRole('radiogroup');
    await expect(question).toBeVisible();
    const choices = question.getByRole('radio');
    expect(await choices.count()).toBeGreaterThanOrEqual(2);
    for (const choice of await choices.all()) await expect(choice).toBeInViewport({ ratio: 1 });
    // Play is held, and says why.
    await expect(page.getByRole('button', { name: 'Play', exact: true })).toBeDisabled();
    await expect(page.getByRole('button', { name: 'Play', exact: true })).toHaveAccessibleDescription(/Answer the question to go on/);
    expect(await outsideTheWindow(page)).toEqual([]);
    await shot(page, testInfo, '06b-present-question-open');

    // The keys answer it: the first choice has the focus; arrows move, Enter picks.
    await expect(choices.first()).toBeFocused();
    const names = await choices.locator('.text').allInnerTexts();
    let answered = false;
    for (let i = 0; i < names.length && !answered; i++) {
      await page.keyboard.press('Enter');
      const feedback = caption.getByRole('status');
      await expect(feedback).not.toBeEmpty();
      if ((await feedback.innerText()).includes('✓ Right!')) answered = true;
      else if (await caption.getByRole('button', { name: 'Try again' }).count()) {
        await expect(caption.getByRole('button', { name: 'Show the answer' })).toBeInViewport({ ratio: 1 });
        await expect(caption.getByRole('button', { name: 'Try again' })).toBeInViewport({ ratio: 1 });
        await shot(page, testInfo, '06c-present-wrong');
        await caption.getByRole('button', { name: 'Try again' }).click();
        await expect(page.locator('.caption [role="radio"]:focus')).toHaveCount(1);
      } else answered = true; // answered wrongly: the answer is shown
    }
    expect(answered).toBe(true);
    const go = caption.getByRole('button', { name: 'Continue', exact: true });
    await expect(go).toBeFocused();
    await expect(go).toBeInViewport({ ratio: 1 });
    await expect(caption.getByRole('status')).toBeInViewport({ ratio: 1 });
    expect(await outsideTheWindow(page)).toEqual([]);
    await shot(page, testInfo, '06d-present-answered');
    // Enter goes on: the caption is the narration again, playing.
    await page.keyboard.press('Enter');
    await expect(question).toHaveCount(0);
    await expect(page.locator('.caption p')).toContainText(/Step \d+ of \d+/);
  });

  test('the plain layout: the stop’s text clear of the checkpoint, every lane in sight, the code readable', async ({ page }, testInfo) => {
    const player = new PlayerPage(page);
    await page.goto('/#/lesson/numbers-and-letters');
    await page.locator('body[data-ready="true"]').waitFor();
    await page.getByRole('button', { name: 'Play', exact: true }).click();
    const question = page.getByRole('radiogroup');
    await expect(question).toBeVisible({ timeout: 60_000 });
    const boxes = await page.evaluate(() => {
      const column = document.querySelector('[data-scroll-column]')!.getBoundingClientRect();
      const text = [...document.querySelectorAll('.tour p')].filter((p) => !p.closest('.act') && !p.classList.contains('where')).at(-1)!.getBoundingClientRect();
      const card = document.querySelector('.tour .act')!.getBoundingClientRect();
      return { column: { top: column.top, bottom: column.bottom }, text: { top: text.top, bottom: text.bottom }, card: { top: card.top, bottom: card.bottom } };
    });
    // At 1280 × 720 the question and its choices come first: they are in sight whole, the text
    // above them scrolled as far as needed (its end in sight, never under the question).
    expect(boxes.text.bottom).toBeLessThanOrEqual(boxes.card.top);
    expect(boxes.text.bottom).toBeGreaterThanOrEqual(boxes.column.top);
    expect(boxes.card.top).toBeGreaterThanOrEqual(boxes.column.top);
    expect(boxes.card.bottom).toBeLessThanOrEqual(boxes.column.bottom + 0.5);
    await shot(page, testInfo, '07-plain-1280-checkpoint');
    // The top bar keeps one row (Share…, Export… and Present included).
    expect((await page.locator('header.top').boundingBox())!.height).toBeLessThan(3.5 * 16);
    for (const lane of ['Running', 'Ready', 'Waiting', 'Done']) expect(await laneInSight(page, lane), `${lane} in sight`).toBe(true);

    // The scratchpad's `await asyncio.sleep(0.0001) #cause a small delay` wraps at most once,
    // and the gutters leave the code most of the pane.
    await player.openScratchpad();
    await player.stepForward(24);
    const code = await page.evaluate(() => {
      const root = document.querySelector('.centre .editor')!.shadowRoot!;
      const pane = document.querySelector('.centre')!.getBoundingClientRect().width;
      const gutters = root.querySelector('.cm-gutters')!.getBoundingClientRect().width;
      const line = [...root.querySelectorAll('.cm-line')].find((l) => l.textContent?.includes('await asyncio.sleep(0.0001)'))!;
      const height = line.getBoundingClientRect().height;
      const one = parseFloat(getComputedStyle(line).lineHeight);
      return { share: gutters / pane, lines: Math.round(height / one) };
    });
    expect(code.share).toBeLessThan(0.25);
    expect(code.lines).toBeLessThanOrEqual(2);
    await shot(page, testInfo, '08-plain-1280-scratchpad');
  });
});

test.describe('export', () => {
  test('a PNG, a GIF of more than one frame, and a page that plays the run from file:// with the network off', async ({ page, browser }, testInfo) => {
    const player = new PlayerPage(page);
    await page.goto('/#/lesson/numbers-and-letters');
    await page.locator('body[data-ready="true"]').waitFor();
    await player.freePlay();
    await player.stepForward(30);
    await page.getByRole('button', { name: 'Export…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export' });

    const save = async (button: string): Promise<Buffer> => {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), dialog.getByRole('button', { name: button }).click()]);
      const path = testInfo.outputPath(download.suggestedFilename());
      await download.saveAs(path);
      return readFileSync(path);
    };

    // PNG: the step at 2×.
    const png = await save('Save picture (PNG)');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    const pngWidth = png.readUInt32BE(16);
    const panes = await page.evaluate(() => document.querySelector('.centre')!.getBoundingClientRect().width + document.querySelector('section.right')!.getBoundingClientRect().width);
    expect(pngWidth).toBeGreaterThanOrEqual(2 * panes);
    await keep(testInfo, 'export-step.png', png, 'image/png');

    // GIF: steps 30 to 33, four frames.
    await dialog.getByLabel('From step').fill('30');
    await dialog.getByLabel('to step').fill('33');
    const gif = await save('Save animation (GIF)');
    expect(gif.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    // Decoded by the browser's own GIF decoder: its frames, the first and last kept as PNGs to look at.
    const decoded = await page.evaluate(async (bytes) => {
      const decoder = new ImageDecoder({ data: new Uint8Array(bytes), type: 'image/gif' });
      await decoder.tracks.ready;
      const count = decoder.tracks.selectedTrack!.frameCount;
      const pictures: string[] = [];
      for (const index of [0, count - 1]) {
        const { image } = await decoder.decode({ frameIndex: index });
        const canvas = document.createElement('canvas');
        canvas.width = image.displayWidth;
        canvas.height = image.displayHeight;
        canvas.getContext('2d')!.drawImage(image, 0, 0);
        image.close();
        pictures.push(canvas.toDataURL('image/png'));
      }
      return { count, pictures };
    }, [...gif]);
    expect(decoded.count).toBe(4);
    await keep(testInfo, 'gif-first-frame.png', Buffer.from(decoded.pictures[0]!.split(',')[1]!, 'base64'), 'image/png');
    await keep(testInfo, 'gif-last-frame.png', Buffer.from(decoded.pictures[1]!.split(',')[1]!, 'base64'), 'image/png');
    await player.expectStep(30); // the player is back where it was

    // The page: one .html file, opened from disk with every request refused and the network off.
    const html = await save('Save page (HTML)');
    const file = testInfo.outputPath('numbers-and-letters.html');
    expect(html.toString('utf8')).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;|content="default-src 'none'/);
    const offline = await browser.newContext({ offline: true, viewport: { width: 1280, height: 720 } });
    const requests: string[] = [];
    await offline.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.request().url().startsWith('file:') ? route.continue() : route.abort();
    });
    const standalone = await offline.newPage();
    const errors: string[] = [];
    standalone.on('pageerror', (error) => errors.push(error.message));
    standalone.on('console', (message) => message.type() === 'error' && errors.push(message.text()));
    await standalone.goto(`file://${file}`);
    const other = new PlayerPage(standalone);
    await other.expectStep(30);
    await expect(standalone.getByRole('heading', { level: 1, name: 'Numbers and letters' })).toBeVisible();
    await other.stepForward(3);
    await other.expectStep(33);
    await other.stepBack();
    await other.expectStep(32);
    for (const name of ['Code', 'Running', 'Ready', 'Waiting', 'Done', 'Console']) await expect(standalone.getByRole('region', { name, exact: true })).toBeVisible();
    await standalone.getByRole('button', { name: 'Jump to end' }).click();
    expect(await other.consoleLines()).toContain('Finished!');
    await shot(standalone, testInfo, '09-standalone-from-file');
    expect(requests.filter((url) => !url.startsWith('file:'))).toEqual([]);
    expect(errors).toEqual([]);
    await offline.close();

    // Going elsewhere closes the dialog (here, the course list by its address); Share… too.
    await expect(dialog).toBeVisible();
    await page.evaluate(() => (location.hash = '#/'));
    await expect(page.getByRole('navigation', { name: 'Lessons', exact: true })).toBeVisible();
    await expect(dialog).toHaveCount(0);
    await page.evaluate(() => (location.hash = '#/lesson/numbers-and-letters'));
    await page.getByRole('button', { name: 'Share…' }).click();
    await expect(page.getByRole('dialog', { name: 'Share' })).toBeVisible();
    await page.evaluate(() => (location.hash = '#/'));
    await expect(page.getByRole('dialog', { name: 'Share' })).toHaveCount(0);
  });
});
