/**
 * The network on the board (issue 15), in the browser edition: the "Many downloads at once"
 * lesson shows three tasks waiting for data on three connections at once (the Waiting lane's
 * cards and the Network lane's connections), and when all three are done the clock reads the
 * slowest site's time, not the sum. What the board must say is worked out from the lesson's
 * program itself: its sites and their delays.
 */
import { resolve } from 'node:path';
import { expect, shot, test } from './fixtures';
import { loadCatalog } from '../src/lessons';
import { readLessonFiles } from '../tests/lesson-files';
import { LessonPage } from './pages/lesson-page';

const catalog = loadCatalog(readLessonFiles(resolve(import.meta.dirname, '..', 'lessons')));
const lesson = catalog.lessons.find((l) => l.slug === 'many-downloads-at-once')!;
const source = lesson.programs[0]!.source;
/** The program's sites: port -> seconds the site takes to answer. */
const sites = [...source.matchAll(/(\d{4}): \("(\w+)", ([\d.]+)\)/g)].map((m) => ({ port: m[1]!, name: m[2]!, delay: Number(m[3]) }));

for (const viewport of [
  { width: 1440, height: 900 },
  { width: 1280, height: 720 },
]) {
  test(`many downloads at once: three waits on three connections, and the clock reads the slowest (${viewport.width}×${viewport.height})`, async ({ page }, testInfo) => {
    expect(sites).toHaveLength(3);
    await page.setViewportSize(viewport);
    const learner = new LessonPage(page);
    await page.goto('/');
    await learner.openLesson(lesson.title);

    // The stop where the third request is out: three downloads wait for data, one per connection.
    await learner.stopButtons().filter({ hasText: 'three waits at once' }).click();
    await learner.settle();
    const sleeping = learner.lane('Waiting');
    // Seven tasks wait (main, three downloads, three sites): show every card.
    const showAll = sleeping.getByRole('button', { name: /^Show all/ });
    if ((await showAll.count()) > 0) await showAll.click();
    for (const site of sites) {
      await expect(sleeping.getByRole('listitem', { name: new RegExp(`download\\(${site.port}\\), waits for data from 127\\.0\\.0\\.1:${site.port}, reader\\.readline`) })).toHaveCount(1);
    }
    const network = learner.region('Network');
    await expect(network).toBeVisible();
    for (const site of sites) {
      await expect(network.getByRole('listitem', { name: new RegExp(`to 127\\.0\\.0\\.1:${site.port}, connected`) })).toContainText('download');
    }
    await expect(learner.page.getByRole('group', { name: 'Virtual clock' })).toContainText('0s');
    await network.scrollIntoViewIfNeeded();
    await shot(page, testInfo, `network-three-waits-${viewport.width}`);

    // When all three are done: the clock reads the slowest site's delay, not the sum.
    const slowest = Math.max(...sites.map((s) => s.delay));
    const sum = sites.reduce((total, s) => total + s.delay, 0);
    await learner.stopButtons().filter({ hasText: 'in the time of the slowest' }).click();
    await learner.settle();
    const clock = learner.page.getByRole('group', { name: 'Virtual clock' });
    await expect(clock.locator('output')).toHaveText(`${slowest}s`);
    expect(slowest).not.toBe(sum);
    expect(await learner.consoleLines()).toEqual([...sites].sort((a, b) => a.delay - b.delay).map((s) => `downloaded <h1>${s.name}</h1>`).concat([`all at once: ${slowest.toFixed(1)} s`]));
    await clock.scrollIntoViewIfNeeded();
    await shot(page, testInfo, `network-slowest-${viewport.width}`);
  });
}

test('bytes on their way to a far host are drawn along the wire, as far as the clock says they have got', async ({ page }, testInfo) => {
  // looplab.net puts far.example 0.3 s away: connecting takes until 0.6 s, and the request sent
  // then arrives at 0.9 s; at 0.75 s it is half way.
  const program = [
    'import asyncio',
    'import looplab.net',
    '',
    'looplab.net.latency("far.example", 0.3)',
    '',
    'async def echo(reader, writer):',
    '    writer.write(await reader.readline())',
    '    await writer.drain()',
    '    writer.close()',
    '',
    'async def main():',
    '    server = await asyncio.start_server(echo, "far.example", 7000)',
    '    reader, writer = await asyncio.open_connection("far.example", 7000)',
    '    writer.write(b"hello, far away\\n")',
    '    await asyncio.sleep(0.15)',
    '    print("halfway")',
    '    print(await reader.readline())',
    '',
    'asyncio.run(main())',
    '',
  ].join('\n');
  const learner = new LessonPage(page);
  await page.goto('/');
  await learner.openScratchpad();
  await learner.replaceCode(program);
  await learner.run();
  await learner.stepUntil(async () => (await learner.consoleLines()).includes('halfway'));
  const clock = page.getByRole('group', { name: 'Virtual clock' });
  await expect(clock.locator('output')).toHaveText('0.75s');
  const connection = learner.region('Network').getByRole('listitem', { name: /to far\.example:7000, connected, 0\.3 s each way/ });
  await expect(connection).toHaveAccessibleName(/sent: 16 B on the wire, arriving at 0\.9 s/);
  const packet = connection.locator('.packet');
  await expect(packet).toHaveText('16 B');
  expect(Number(await packet.evaluate((el) => getComputedStyle(el).getPropertyValue('--along')))).toBeCloseTo(0.5, 9);
  await connection.scrollIntoViewIfNeeded();
  await shot(page, testInfo, 'network-halfway');
  await learner.button('Jump to end').click();
  expect(await learner.consoleLines()).toEqual(['halfway', "b'hello, far away\\n'"]);
});
