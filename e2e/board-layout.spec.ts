/**
 * The board's layout, measured: the clock above the lanes, and Running, Ready, Waiting and Done
 * all inside the board's column, at every step of the busiest lessons (1440 × 900, and Present
 * mode at 1280 × 720) and at the end of a runaway program under its banner; the
 * text on a card is never cut (its coroutine with the arguments that tell tasks apart, its
 * detail); no card reaches past its lane; the code's task labels show a whole name; where the
 * board has more than fits (lesson 20's Network lane) the Waiting and Network lanes are in sight
 * together. A screenshot of each lesson is attached.
 */
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { PlayerPage } from './pages/player-page';

const LANES = ['Running', 'Ready', 'Waiting', 'Done'];

// Cards land in their lanes at once (a card in flight between lanes is no layout fault).
test.use({ reducedMotion: 'reduce' });

/** Everything wrong with the board at this step, in words (empty: nothing). */
function boardProblems(page: Page): Promise<string[]> {
  return page.evaluate((lanes) => {
    const bad: string[] = [];
    const board = document.querySelector('section.right')!.getBoundingClientRect();
    const regions = [...document.querySelectorAll('section.lane')];
    // The clock as drawn (its box can be squeezed smaller than its text) ends above the first lane.
    const clockBottom = Math.max(...[...document.querySelectorAll('section.right .clock > *')].map((part) => part.getBoundingClientRect().bottom));
    const firstLane = regions[0]?.getBoundingClientRect().top ?? Infinity;
    if (clockBottom > firstLane + 0.5) bad.push(`Clock: drawn down to ${Math.round(clockBottom)}, under the first lane at ${Math.round(firstLane)}`);
    for (const name of lanes) {
      const region = regions.find((s) => s.querySelector('h3')?.textContent === name);
      if (!region) {
        bad.push(`${name}: no lane`);
        continue;
      }
      const r = region.getBoundingClientRect();
      if (r.top < board.top - 0.5 || r.bottom > board.bottom + 0.5) bad.push(`${name}: ${Math.round(r.top)}–${Math.round(r.bottom)} outside the board ${Math.round(board.top)}–${Math.round(board.bottom)}`);
      // At least the lane's heading and a line of its cards.
      if (r.height < 40) bad.push(`${name}: only ${Math.round(r.height)} px tall`);
      for (const card of region.querySelectorAll('.card')) {
        const c = card.getBoundingClientRect();
        if (c.right > r.right + 0.5) bad.push(`${name}: a card reaches past the lane (${Math.round(c.right)} > ${Math.round(r.right)})`);
        for (const part of card.querySelectorAll('.name, .coro, .detail, .extra, .object')) {
          const p = part as HTMLElement;
          if (p.scrollWidth > p.clientWidth + 1) bad.push(`${name}: "${p.textContent}" cut (${p.scrollWidth} > ${p.clientWidth})`);
        }
      }
    }
    return bad;
  }, LANES);
}

/** Every code line's task label in the gutter shows its text whole. */
function cutChips(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelector('.centre .editor')!.shadowRoot!.querySelectorAll<HTMLElement>('.cm-task-chip')]
      .filter((chip) => chip.scrollWidth > chip.clientWidth + 1 || chip.getBoundingClientRect().right > chip.closest('.cm-gutterElement')!.getBoundingClientRect().right + 0.5)
      .map((chip) => chip.textContent ?? ''),
  );
}

/** Steps through the program (its first 150 steps), checking the board at every step. */
async function checkEveryStep(page: Page, player: PlayerPage, what: string): Promise<void> {
  const { total } = await player.position();
  for (let step = 0; step < Math.min(total, 150) - 1; step++) {
    expect(await boardProblems(page), `${what}, step ${step}`).toEqual([]);
    expect(await cutChips(page), `${what}, step ${step}: task labels in the code`).toEqual([]);
    await player.stepForward();
    await player.expectStep(step + 1);
  }
}

async function open(page: Page, address: string): Promise<PlayerPage> {
  const player = new PlayerPage(page);
  await page.goto(address);
  await page.locator('body[data-ready="true"]').waitFor();
  await player.freePlay();
  return player;
}

test.describe('1440 × 900', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  for (const [lesson, file] of [
    ['16-timeouts-and-cancelling', ''],
    ['17-taskgroup', ''],
    ['17-taskgroup', '/failure.py'],
    ['18-queue', ''],
    ['20-many-downloads-at-once', ''],
  ] as const) {
    test(`lesson ${lesson}${file}: every lane in sight and no card text cut, at every step`, async ({ page }, testInfo) => {
      test.setTimeout(240_000);
      const player = await open(page, `/#/lesson/${lesson}${file}`);
      await checkEveryStep(page, player, lesson + file);
      await shot(page, testInfo, `${lesson}${file.replace(/[/.]/g, '-')}-end`);
    });
  }

  test('lesson 20: the three downloads told apart; the Waiting and Network lanes in sight together', async ({ page }, testInfo) => {
    const player = await open(page, '/#/lesson/20-many-downloads-at-once');
    await page.getByRole('button', { name: 'Step forward' }).focus();
    await player.stepUntil(async () => (await player.taskNames('Waiting')).length >= 3 && (await page.locator('#lane-network').count()) > 0);
    await shot(page, testInfo, 'l20-waiting-and-network');
    const boxes = await page.evaluate(() => {
      const box = (el: Element) => {
        const r = el.getBoundingClientRect();
        return { top: r.top, bottom: r.bottom };
      };
      const waiting = [...document.querySelectorAll('section.lane')].find((s) => s.querySelector('h3')?.textContent === 'Waiting')!;
      return { board: box(document.querySelector('section.right')!), waiting: box(waiting), network: box(document.querySelector('#lane-network')!.closest('section')!) };
    });
    for (const lane of [boxes.waiting, boxes.network]) {
      expect(lane.top).toBeGreaterThanOrEqual(boxes.board.top - 0.5);
      expect(lane.bottom).toBeLessThanOrEqual(boxes.board.bottom + 0.5);
    }
    // Each waiting download's coroutine is whole on its card: the port tells them apart.
    const coros = await page.locator('section.lane .coro').allInnerTexts();
    expect(new Set(coros.filter((c) => c.startsWith('download')).map((c) => c.trim())).size).toBeGreaterThanOrEqual(3);
  });
});

test.describe('1440 × 900, a runaway program', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('at its end, under its banner: the clock above the lanes, every lane in sight, the step counter on the controls\' row', async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    const player = new PlayerPage(page);
    await page.goto('/#/scratchpad');
    await player.waitUntilReady();
    // Three tasks, one in each of Running, Ready and Waiting at the end, and a six-digit step count.
    await player.replaceCode(
      'import asyncio\n\nasync def tick(n):\n    while True:\n        await asyncio.sleep(1)\n\nasync def main():\n    await asyncio.gather(tick(1), tick(2))\n\nasyncio.run(main())\n',
    );
    await player.run();
    await expect(player.banner()).toContainText('Trace too long');
    await player.button('Jump to end').click();
    const { total } = await player.position();
    expect(total).toBeGreaterThanOrEqual(100_000);
    await player.expectStep(total);
    expect(await boardProblems(page)).toEqual([]);
    // The counter shares the row of the player's buttons (a wide one used to wrap onto a row of its own).
    const counter = await page.locator('.controls .counter').boundingBox();
    const play = await player.button('Play').boundingBox();
    expect(Math.abs(counter!.y + counter!.height / 2 - (play!.y + play!.height / 2))).toBeLessThan(8);
    await shot(page, testInfo, 'runaway-end');
  });
});

test.describe('Present mode at 1280 × 720', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  for (const address of ['/#/lesson/17-taskgroup', '/#/lesson/18-queue']) {
    test(`${address}: every lane in sight and no card text cut, at every step`, async ({ page }, testInfo) => {
      test.setTimeout(240_000);
      const player = await open(page, address);
      await page.getByRole('button', { name: 'Step forward' }).focus();
      await page.locator('body').press('p');
      await expect(page.getByRole('button', { name: 'Present', pressed: true })).toBeVisible();
      await page.getByRole('button', { name: 'Step forward' }).focus();
      await checkEveryStep(page, player, `present ${address}`);
      await shot(page, testInfo, `present-${address.split('/').at(-1)}-end`);
    });
  }
});
