/**
 * The top bar on the screens of classroom laptops (1366 × 768, 1280 × 720): every control on
 * one row, on a lesson and on the scratchpad, and while a run waits for Python to start (the
 * status's longest words), so the page never jumps down a row and back as Python's status
 * changes. The status gives up room first: its last words go, then it is cut short, with its whole
 * text as its title.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { PlayerPage } from './pages/player-page';

/** The top bar's controls whose box is not on the bar's first row (empty: one row). */
function offTheRow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bar = document.querySelector('header.top')!;
    const items = [...bar.children].filter((el) => el.getBoundingClientRect().width > 0 && !el.classList.contains('spacer'));
    const first = items[0]!.getBoundingClientRect();
    const row = (r: DOMRect): number => r.top + r.height / 2;
    return items
      .filter((el) => Math.abs(row(el.getBoundingClientRect()) - row(first)) > first.height / 2 || el.getBoundingClientRect().right > innerWidth + 0.5)
      .map((el) => (el.textContent ?? el.tagName).trim().slice(0, 40));
  });
}

for (const size of [{ width: 1440, height: 900 }, { width: 1366, height: 768 }, { width: 1280, height: 720 }]) {
  test(`every control of the top bar on one row at ${size.width} × ${size.height}: a lesson, the scratchpad, and a run waiting for Python`, async ({ page }) => {
    await page.setViewportSize(size);
    // Python held back until the end: the status says a run waits for it.
    await page.route('**/pyodide/pyodide.asm.wasm*', () => {});
    const player = new PlayerPage(page);
    await page.goto('/#/lesson/numbers-and-letters');
    await page.locator('body[data-ready="true"]').waitFor({ timeout: 30_000 });
    expect(await offTheRow(page)).toEqual([]);
    await page.goto('/#/scratchpad');
    await page.locator('body[data-ready="true"]').waitFor({ timeout: 30_000 });
    expect(await offTheRow(page)).toEqual([]);
    await player.replaceCode('print("waits")\n');
    await player.button('Run').click();
    const status = page.getByRole('status').first();
    await expect(status).toHaveText(/Starting Python… your program is next/);
    expect(await offTheRow(page)).toEqual([]);
    // Cut short or not, its whole text is there to read.
    expect(await status.getAttribute('title')).toMatch(/^Starting Python… your program is next/);
    // Where the row is short of room it drops "your program is next" first; "Starting Python…"
    // stays whole, on the scratchpad too (it was cut to "Startin…" at 1280 while "Save as lesson…"
    // sat in this row: that button is now in the scratchpad's own column).
    expect(await status.evaluate((el) => (el as HTMLElement).innerText)).toMatch(/^Starting Python…/);
    const firstWordsWhole = await status.evaluate((el) => {
      const words = document.createRange();
      words.selectNodeContents(el.firstChild!);
      return words.getBoundingClientRect().right <= el.getBoundingClientRect().right + 0.5;
    });
    expect(firstWordsWhole).toBe(true);
    await expect(page.getByRole('button', { name: 'Save as lesson…' })).toBeVisible();
    const code = page.getByRole('region', { name: 'Code', exact: true });
    await expect(code.getByRole('status')).toHaveText('Starting Python…');
    expect(await code.getByRole('status').evaluate((el) => el.scrollWidth <= el.clientWidth + 0.5)).toBe(true);
  });
}
