/**
 * Bad programs in the app (issues 5 and 12): for each, the run ends with a message naming the
 * reason (and the line, for errors), the steps so far can be stepped through, the UI never
 * freezes, and the next run works. No check here depends on how fast the machine is: runs end
 * at limits counted in lines, events and characters, or after a stall with no progress at all.
 *
 * The UI's frame goal (no frame over 100 ms) is a speed goal: `npm run bench` measures it for
 * each of these programs ("longest frame while a bad program runs"), because on these shared
 * two-core machines a frame's wall time also counts the time other processes held the CPU.
 * Here a frame over FREEZE_MS fails: that is a UI thread held up by the app, not by noise.
 */
import { expect, shot, test } from './fixtures';
import { BAD_PROGRAMS } from './bad-programs';
import { FREEZE_MS, longest, longFrames, watchLongFrames } from './long-frames';
import { PlayerPage } from './pages/player-page';

/**
 * A frame this long is a freeze, whatever else the machine is doing: the UI thread held for
 * seconds (as one 50 MB print once held it for 33 s). Shorter frames on a loaded machine are
 * noise here; `npm run bench` measures the 100 ms goal.
 */

test('bad programs end, say why, keep their steps, and leave the app working', async ({ page }, testInfo) => {
  test.setTimeout(600_000);
  const player = new PlayerPage(page);
  await watchLongFrames(page);
  await page.goto('/');
  await player.openScratchpad();
  await longFrames(page); // start-up is not what this measures

  for (const bad of BAD_PROGRAMS) {
    await test.step(bad.name, async () => {
      if (bad.open) {
        const chooser = page.waitForEvent('filechooser');
        await page.getByRole('button', { name: /Open/ }).click();
        await (await chooser).setFiles({ name: 'big.py', mimeType: 'text/x-python', buffer: Buffer.from(bad.source) });
        // The editor draws only the lines in view; the file's name in the pane's header says it opened.
        await expect(player.code()).toContainText('big.py', { timeout: 30_000 });
      } else {
        await player.replaceCode(bad.source);
      }
      await longFrames(page);
      const serial = await player.traceSerial();
      await player.button('Run').click();
      await player.waitForNewTrace(serial, 120_000);

      // At the end of the run: what it says, and the console as the program left it.
      const { total } = await player.position();
      if (total > 0) await player.button('Jump to end').click();
      if (bad.where === 'banner') await expect(player.banner()).toContainText(bad.says);
      else expect((await player.consoleLines('stdout')).concat(await player.consoleLines('stderr')).join('\n')).toMatch(bad.says);

      // The steps so far can be stepped through.
      if (total > 1) {
        await player.stepBack();
        await player.expectStep(total - 1);
        await player.stepForward();
        await player.expectStep(total);
      }
      const worst = longest(await longFrames(page));
      expect(worst.duration, `${bad.name}: longest UI frame (ms), scripts in it: ${worst.scripts.join(', ') || 'none'}`).toBeLessThan(FREEZE_MS);
    });
  }
  await shot(page, testInfo, 'last-bad-program');

  // And the app still runs a good program, without a restart.
  await player.replaceCode('import asyncio\nasync def main():\n    await asyncio.sleep(1)\n    print("fine")\nasyncio.run(main())\n');
  await player.run();
  await player.button('Jump to end').click();
  expect(await player.consoleLines()).toEqual(['fine']);
  await expect(player.banner()).toHaveCount(0);
});

test('a file that is not UTF-8 is refused with a clear message, and the code is kept', async ({ page }) => {
  const player = new PlayerPage(page);
  await page.goto('/');
  await player.openScratchpad();
  const before = await player.codeText();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: /Open/ }).click();
  await (await chooser).setFiles({
    name: 'latin1.py',
    mimeType: 'text/x-python',
    buffer: Buffer.from([...Buffer.from('print("caf'), 0xe9, ...Buffer.from('")\n')]),
  });
  await expect(page.getByText(/Non-UTF-8 code starting with '\\xe9' in file latin1\.py on line 1/)).toBeVisible();
  expect(await player.codeText()).toBe(before);
});
