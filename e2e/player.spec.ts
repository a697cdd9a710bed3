/**
 * The player, driven as a learner drives it, in the browser edition: the tutorial's even/odd
 * gather example (the lesson "Two printers take turns", in free play) stepped, stepped back,
 * played to the end, edited and run again; the keys; a traceback's links; the banners for a
 * step budget and a deadlock; reduced motion. The programs that are not a lesson's run in the
 * scratchpad (which starts as the same even/odd example). A screenshot of each moment is
 * attached to the test (and kept in its output folder); no request may leave the app's own
 * origin.
 */
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { PlayerPage } from './pages/player-page';

const EXPECTED_OUTPUT = ['Started:', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'Finished!'];
const EVEN_ODD = 'Two printers take turns';

/** The app opens on the course: open the even/odd lesson from it, in free play (no tour stops). */
async function openEvenOdd(page: Page): Promise<PlayerPage> {
  const player = new PlayerPage(page);
  await page.goto('/');
  await player.openLesson(EVEN_ODD);
  await player.freePlay();
  return player;
}

/** The scratchpad, from the course's top bar: the even/odd example too, with no lesson around it. */
async function openScratchpad(page: Page): Promise<PlayerPage> {
  const player = new PlayerPage(page);
  await page.goto('/');
  await player.openScratchpad();
  return player;
}

test('the even/odd gather example: step, step back, play to the end, edit and run', async ({ page }, testInfo) => {
  const player = await openEvenOdd(page);

  await expect(player.code().getByRole('heading', { name: 'main.py' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: EVEN_ODD })).toBeVisible();
  await expect(player.guidedTour()).not.toBeChecked();
  for (const name of ['Running', 'Ready', 'Waiting', 'Done', 'Console', 'Timeline', 'Code']) {
    await expect(player.region(name)).toBeVisible();
  }
  await player.expectStep(0);
  await expect(player.narration()).toHaveText(/Nothing has run yet/);

  // Step until task1()'s task (Task-2) first sleeps.
  await player.stepUntil(async () => (await player.card('Waiting', 'Task-2').count()) > 0);
  const sleeper = player.card('Waiting', 'Task-2');
  await expect(sleeper).toHaveAccessibleName(/^Task-2, task1\(\), sleeps until 0\.0001 s, 0\.0001 s left$/);
  await expect(sleeper).toContainText('sleeps until 0.0001 s');
  await expect(player.card('Ready', 'Task-3')).toHaveAccessibleName(/^Task-3, task2\(\), head: runs next/);
  expect(await player.taskNames('Ready')).toEqual(['Task-3']);
  expect(await player.taskNames('Waiting')).toEqual(['Task-2', 'Task-1']);
  expect(await player.cardLabels('Running')).toEqual([]);
  await expect(player.narration()).toHaveText(
    'Task-2 (task1()) awaits asyncio.sleep(): it sleeps until 0.0001 s on the virtual clock and hands control back to the loop.',
  );
  expect(await player.consoleLines()).toEqual(['Started:', '0']);
  const sleptAt = await player.position();
  const sleepingBoard = await player.board();
  await shot(page, testInfo, '01-task1-first-sleeps');

  // One step back: Task-2 is still running line 10, exactly as before.
  await player.stepBack();
  await player.expectStep(sleptAt.step - 1);
  expect(await player.board()).toEqual({
    running: ['Task-2, task1(), running line 10'],
    ready: ['Task-3, task2(), head: runs next'],
    waiting: ['Task-1, main(), waits for gather(Task-2, Task-3)'],
    done: [],
  });
  await expect(player.narration()).toHaveText('Task-2 sets a timer that fires at 0.0001 s on the virtual clock (0.0001 s from now).');
  await expect(player.code().locator('.cm-run-line')).toContainText('await asyncio.sleep(0.0001)');
  await shot(page, testInfo, '02-one-step-back');

  // And forward again: the same board as the first time.
  await player.stepForward();
  expect(await player.board()).toEqual(sleepingBoard);

  // Play to the end at 8×.
  await player.setSpeed(8);
  await player.playToEnd();
  expect(await player.consoleLines()).toEqual(EXPECTED_OUTPUT);
  expect(await player.consoleLines('stderr')).toEqual([]);
  expect(await player.taskNames('Done')).toEqual(['Task-2', 'Task-3', 'Task-1']);
  for (const name of ['Task-1', 'Task-2', 'Task-3']) {
    await expect(player.card('Done', name)).toContainText('✓');
    await expect(player.card('Done', name)).toContainText('returned None');
  }
  expect(await player.cardLabels('Running')).toEqual([]);
  expect(await player.cardLabels('Ready')).toEqual([]);
  expect(await player.cardLabels('Waiting')).toEqual([]);
  await shot(page, testInfo, '03-played-to-the-end');

  // Edit the code and run it again: the new program's output; the speed is kept.
  const source = await player.codeText();
  await player.replaceCode(source.replace("print('Finished!')", "print('All done!')").replaceAll('range(10)', 'range(4)'));
  await expect(player.code()).toContainText('Edited: press Run');
  await player.run();
  await expect(player.code()).not.toContainText('Edited: press Run');
  await player.expectStep(0);
  expect(await player.speed()).toBe(8);
  await player.button('Jump to end').click();
  expect(await player.consoleLines()).toEqual(['Started:', '0', '1', '2', '3', 'All done!']);
  expect(await player.taskNames('Done')).toEqual(['Task-2', 'Task-3', 'Task-1']);
  await expect(player.code().getByRole('status')).toHaveText('Your version is on the board');
  await shot(page, testInfo, '04-edited-and-run');

  // Reset to original puts the tutorial's program back.
  await player.resetToOriginal();
  expect(await player.codeText()).toBe(source);
  await expect(player.code().getByRole('status')).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: EVEN_ODD })).toBeVisible();
  await player.button('Jump to end').click();
  expect(await player.consoleLines()).toEqual(EXPECTED_OUTPUT);
});

test('keys: Space, ←/→, Shift+←/→, Home and End', async ({ page }, testInfo) => {
  const player = await openEvenOdd(page);
  await player.focusPage();
  const { total } = await player.position();

  await page.keyboard.press('ArrowRight');
  await player.expectStep(1);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await player.expectStep(1);

  // Shift+→: the next task switch, where the loop hands control to a task.
  await page.keyboard.press('Shift+ArrowRight');
  await expect(player.narration()).toHaveText(/^The loop takes Task-1 \(main\(\)\) from the head of the ready queue/);
  await page.keyboard.press('Shift+ArrowRight');
  await expect(player.narration()).toHaveText(/^The loop takes Task-2 \(task1\(\)\) from the head of the ready queue/);
  expect(await player.taskNames('Running')).toEqual(['Task-2']);
  const second = await player.position();
  await page.keyboard.press('Shift+ArrowRight');
  await expect(player.narration()).toHaveText(/^The loop takes Task-3 \(task2\(\)\)/);
  await page.keyboard.press('Shift+ArrowLeft');
  await player.expectStep(second.step);
  await shot(page, testInfo, '05-keys-next-switch');

  await page.keyboard.press('End');
  await player.expectStep(total);
  await page.keyboard.press('Home');
  await player.expectStep(0);

  // A click on the timeline jumps there.
  const timeline = player.region('Timeline').getByRole('slider');
  const box = (await timeline.boundingBox())!;
  await timeline.click({ position: { x: box.width * 0.6, y: box.height / 2 } });
  const jumped = (await player.position()).step;
  expect(jumped).toBeGreaterThan(total * 0.3);
  expect(jumped).toBeLessThan(total * 0.8);
  await page.keyboard.press('Home');

  await page.keyboard.press('Space');
  await expect(player.button('Pause')).toBeVisible();
  await page.waitForTimeout(700);
  await page.keyboard.press('Space');
  await expect(player.button('Play')).toBeVisible();
  expect((await player.position()).step).toBeGreaterThan(0);

  // Keys typed in the code pane are code, not player commands.
  const before = await player.position();
  await player.code().getByRole('textbox').click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('End');
  await player.expectStep(before.step);
});

test('a traceback links to its lines in the code', async ({ page }, testInfo) => {
  const player = new PlayerPage(page);
  await page.goto('/');
  await player.openLesson('asyncio.run inside a coroutine');
  await player.freePlay();
  // The banner says at once how this run ends; the console fills in as the player plays.
  await expect(player.banner()).toContainText('The program ended with an uncaught exception');
  expect(await player.consoleLines('stderr')).toEqual([]);
  await player.button('Jump to end').click();
  await expect(player.banner()).toContainText('RuntimeError: asyncio.run() cannot be called from a running event loop');
  const stderr = (await player.consoleLines('stderr')).join('\n');
  expect(stderr).toContain('Traceback (most recent call last):');
  expect(stderr).toContain("RuntimeWarning: coroutine 'greet' was never awaited");

  const link = player.console().getByRole('button', { name: /File "main\.py", line 7, in main/ });
  await link.click();
  await expect(player.code().locator('.cm-flash-line')).toContainText("asyncio.run(greet('John'))");
  await shot(page, testInfo, '06-traceback-link');
  await player.console().getByRole('button', { name: /line 9, in <module>/ }).click();
  await expect(player.code().locator('.cm-flash-line')).toContainText('asyncio.run(coro)');
  await expect(player.card('Done', 'Task-1')).toContainText('✗');
});

test('a run that hits the step budget, or deadlocks, says so and why', async ({ page }, testInfo) => {
  const player = await openScratchpad(page);

  await player.replaceCode(
    ['import asyncio', '', 'async def spin():', '    n = 0', '    while True:', '        n += 1', '', 'asyncio.run(spin())', ''].join('\n'),
  );
  await player.run();
  await expect(player.banner()).toContainText('Step budget reached');
  await expect(player.banner()).toContainText('1,000,000 lines');
  await expect(player.banner()).toContainText(/It was last running line \d, in Task-1 \(spin\(\)\)/);
  await expect(player.banner().getByRole('button', { name: /^Show line \d$/ })).toBeVisible();
  await shot(page, testInfo, '07-step-budget');

  await player.replaceCode(
    ['import asyncio', '', 'async def main():', '    q = asyncio.Queue()', '    await q.get()', '', 'asyncio.run(main())', ''].join('\n'),
  );
  // The code pane holds other code now: the last run's line numbers would point into it.
  await expect(player.banner()).toContainText('Step budget reached');
  await expect(player.banner().getByRole('button', { name: /^Show line/ })).toHaveCount(0);
  await player.run();
  await expect(player.banner()).toContainText('Deadlock');
  await expect(player.banner()).toContainText('Task-1 (main()) waits for Queue.get at line 5');
  await player.banner().getByRole('button', { name: 'Go to that step' }).click();
  await expect(player.narration()).toHaveText(/^The run was ended early\. Every task is waiting/);
  await expect(player.card('Waiting', 'Task-1')).toHaveAccessibleName('Task-1, main(), waits for Queue.get on q, Queue q: empty');
  await shot(page, testInfo, '08-deadlock');
});

test('an eager task runs its first step inside its creator; a Lock held twice; a compile error keeps its carets', async ({ page }, testInfo) => {
  const player = await openScratchpad(page);

  await player.replaceCode(
    [
      'import asyncio',
      '',
      'async def child():',
      '    print("child starts")',
      '    await asyncio.sleep(1)',
      '',
      'async def main():',
      '    asyncio.get_running_loop().set_task_factory(asyncio.eager_task_factory)',
      '    task = asyncio.create_task(child())',
      '    print("main goes on")',
      '    await task',
      '',
      'asyncio.run(main())',
      '',
    ].join('\n'),
  );
  await player.run();
  // Task-2's first step runs at once, inside Task-1's: Task-2 runs, Task-1 waits in Running.
  await player.stepUntil(async () => (await player.card('Running', 'Task-2').count()) > 0);
  await player.stepForward();
  expect(await player.cardLabels('Running')).toEqual([
    'Task-2, child(), running line 4',
    'Task-1, main(), paused while Task-2 takes its first step',
  ]);
  await expect(player.code().locator('.cm-run-line')).toContainText('print("child starts")');
  await shot(page, testInfo, '09-eager-first-step');
  // The rest at the smaller screen: two cards in Running still fit.
  await page.setViewportSize({ width: 1280, height: 720 });
  await shot(page, testInfo, '09b-eager-first-step-1280');
  // It sleeps after that step, and Task-1 carries on.
  await player.stepUntil(async () => (await player.card('Waiting', 'Task-2').count()) > 0);
  await player.stepForward();
  await expect(player.card('Waiting', 'Task-2')).toHaveAccessibleName(/^Task-2, child\(\), sleeps until 1 s/);
  expect(await player.cardLabels('Running')).toEqual(['Task-1, main(), running line 9']);
  await expect(player.narration()).toHaveText(/^Task-2’s first step is over: Task-1 \(main\(\)\) carries on/);
  await shot(page, testInfo, '10-eager-task-sleeps');

  await player.replaceCode(
    ['import asyncio', '', 'async def main():', '    lock = asyncio.Lock()', '    async with lock:', '        async with lock:', '            pass', '', 'asyncio.run(main())', ''].join('\n'),
  );
  await player.run();
  await expect(player.banner()).toContainText('Deadlock');
  // The banner's own sentence, and what each task waits on from the board (a trace's limit
  // message is never shown: tests/limit-words.test.ts).
  await expect(player.banner()).toContainText('Every task is waiting for something that can never happen');
  await expect(player.banner()).toContainText('Task-1 (main()) waits for the Lock it already holds at line 6');
  await shot(page, testInfo, '11-deadlock-lock-held');

  await player.replaceCode(['import asyncio', '', 'async def g():', '    return 1', '', 'def f(): value = await g()', ''].join('\n'));
  await player.run();
  await expect(player.banner()).toContainText('SyntaxError');
  await player.banner().getByRole('button', { name: 'Go to that step' }).click();
  const stderr = await player.consoleLines('stderr');
  const at = stderr.findIndex((line) => line.trim() === 'def f(): value = await g()');
  expect(at, stderr.join('\n')).toBeGreaterThan(0);
  expect(stderr[at + 1]).toMatch(/^\s+\^+$/);
  await shot(page, testInfo, '12-syntax-error-carets');
});

test.describe('with reduced motion', () => {
  test.use({ reducedMotion: 'reduce', colorScheme: 'dark' });

  test('cards move between lanes instantly', async ({ page }, testInfo) => {
    const player = await openScratchpad(page);
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    // Step to the moment Task-1 is taken from Ready into Running, and look at once.
    await player.stepUntil(async () => (await player.card('Ready', 'Task-1').count()) > 0);
    await player.stepForward(2);
    const moving = await page.evaluate(() => ({
      animations: document.getAnimations().map((a) => {
        const target = a.effect instanceof KeyframeEffect ? a.effect.target : null;
        return `${target?.nodeName ?? '?'}.${target instanceof Element ? target.className : ''} ${a instanceof CSSAnimation ? a.animationName : 'transition'}`;
      }),
      inReady: document.querySelectorAll('[aria-labelledby="lane-ready"] li').length,
    }));
    expect(moving).toEqual({ animations: [], inReady: 0 });
    expect(await player.taskNames('Running')).toEqual(['Task-1']);
    await shot(page, testInfo, '09-reduced-motion-dark');
  });
});

test('without reduced motion, a card travels (so the check above means something)', async ({ page }) => {
  const player = await openScratchpad(page);
  await player.setSpeed(0.25); // a 1.2 s move: long enough to catch it on a busy machine
  await player.stepUntil(async () => (await player.card('Ready', 'Task-1').count()) > 0);
  await player.stepForward(1);
  await player.focusPage();
  await page.keyboard.press('ArrowRight');
  const animations = await page.evaluate(() => document.getAnimations().length);
  expect(animations).toBeGreaterThan(0);
});

test('Loop internals shows the loop’s own callbacks and timer heap; zoom enlarges everything', async ({ page }, testInfo) => {
  const player = await openEvenOdd(page);
  const internals = page.getByRole('checkbox', { name: 'Loop internals' });
  await expect(internals).not.toBeChecked();

  // The first timer fires: by default the Ready lane shows tasks only.
  await player.stepUntil(async () => /virtual clock jumps/.test(await player.narration().innerText()));
  await player.stepForward(2);
  expect(await player.cardLabels('Ready')).toEqual([]);
  await expect(page.getByRole('region', { name: /Timer heap/ })).toHaveCount(0);

  await internals.check();
  expect(await player.taskNames('Ready')).toEqual(['_set_result_unless_cancelled', '_set_result_unless_cancelled']);
  await expect(player.cards('Ready').first()).toHaveAccessibleName(/wakes Task-2$/);
  await expect(page.getByRole('region', { name: /Timer heap/ })).toBeVisible();

  await page.getByRole('combobox', { name: 'Zoom' }).selectOption('1.5');
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize)).toBe('24px');
  const codeSize = await player.code().locator('.cm-content').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(codeSize).toBeGreaterThanOrEqual(22);
  await shot(page, testInfo, '10-internals-zoom-150');

  // Both survive a new run.
  await player.run();
  await expect(internals).toBeChecked();
  await page.getByRole('combobox', { name: 'Zoom' }).selectOption('1');
  const bodySize = await page.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  expect(bodySize).toBeGreaterThanOrEqual(16);
  const code = await player.code().locator('.cm-content').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(code).toBeGreaterThanOrEqual(15);
});

test('Stop ends a run in progress; the steps so far are kept and Python comes back', async ({ page }, testInfo) => {
  const player = await openScratchpad(page);
  await player.replaceCode(['import asyncio', '', "print('counting')", 'total = sum(range(10 ** 12))', "print('never')", ''].join('\n'));
  const serial = await player.traceSerial();
  await player.button('Run').click();
  await expect(player.button('Run')).toBeDisabled();
  // Stopped once the program runs (its interpreter may still be starting: the page starts the
  // spare after a run, and a Stop before the program begins keeps no step), and has printed.
  await expect(page.locator('[data-runtime="running"]')).toHaveCount(1, { timeout: 60_000 });
  // The program never ends, so waiting longer costs only time: 500 ms was too little on a
  // two-core machine busy with another test run (a clean CI at 6e2aae1 stopped it "before the
  // program began").
  await page.waitForTimeout(3000);
  await player.button('Stop').click();
  await player.waitForNewTrace(serial, 60_000);
  await expect(player.button('Stop')).toHaveCount(0);
  await expect(player.banner()).toContainText('Stopped');
  await expect(player.banner()).toContainText('The run was stopped before the program finished');
  await player.button('Jump to end').click();
  expect(await player.consoleLines()).toEqual(['counting']);
  await shot(page, testInfo, '11-stopped');
});
