/**
 * The player screen as a learner sees it, by accessible names only: buttons, the board's
 * regions and their task cards, the console, the code. It takes a Playwright `Page`, so the
 * browser-edition specs and an Electron spec (a `Page` from `electronApp.firstWindow()`) share it.
 */
import { expect, type Locator, type Page } from '@playwright/test';

export type LaneName = 'Running' | 'Ready' | 'Waiting' | 'Done';

export interface BoardSnapshot {
  running: string[];
  ready: string[];
  waiting: string[];
  done: string[];
}

export class PlayerPage {
  constructor(readonly page: Page) {}

  /** Opens the scratchpad (the tutorial's even/odd printers, unless the learner changed it) from the top bar. */
  async openScratchpad(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Places', exact: true }).getByRole('button', { name: 'Scratchpad', exact: true }).click();
    await this.waitUntilReady();
  }

  /** Opens a lesson from the course's list, by its title, and waits for its program's trace. */
  async openLesson(title: string): Promise<void> {
    const places = this.page.getByRole('navigation', { name: 'Places', exact: true });
    if ((await this.page.getByRole('navigation', { name: 'Lessons', exact: true }).count()) === 0) {
      await places.getByRole('button', { name: 'Lessons', exact: true }).click();
    }
    const serial = await this.traceSerial();
    await this.page.getByRole('navigation', { name: 'Lessons', exact: true }).getByRole('link', { name: new RegExp(`^\\d+\\. ${escapeRegExp(title)}$`) }).click();
    await expect(this.page.getByRole('heading', { level: 1, name: title, exact: true })).toBeVisible();
    if (serial === null) await this.waitUntilReady();
    else await this.waitForNewTrace(serial);
  }

  /** The lesson's "Guided tour" switch. */
  guidedTour(): Locator {
    return this.page.getByRole('checkbox', { name: 'Guided tour' });
  }

  /** Turns the guided tour off: the player no longer pauses at the lesson's stops. */
  async freePlay(): Promise<void> {
    await this.guidedTour().uncheck();
  }

  /** Waits until Python is up and the first program's trace is ready to play. */
  async waitUntilReady(timeout = 90_000): Promise<void> {
    await this.page.locator('body[data-ready="true"]').waitFor({ timeout });
    await expect(this.button('Run')).toBeEnabled({ timeout });
  }

  button(name: string): Locator {
    return this.page.getByRole('button', { name, exact: true });
  }

  region(name: string): Locator {
    return this.page.getByRole('region', { name, exact: true });
  }

  lane(name: LaneName): Locator {
    return this.region(name);
  }

  /** The cards of a lane, in order (Ready: head first). */
  cards(name: LaneName): Locator {
    return this.lane(name).getByRole('listitem');
  }

  /** A task's card in a lane, by the task's name. */
  card(name: LaneName, task: string): Locator {
    const escaped = task.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return this.lane(name).getByRole('listitem', { name: new RegExp(`^${escaped}(,|$)`) });
  }

  /** Waits for cards still moving between lanes to arrive (a leaving card stays until its move ends). */
  async settle(): Promise<void> {
    await this.page.waitForFunction(
      () =>
        document.getAnimations().every((a) => {
          const target = a.effect instanceof KeyframeEffect ? a.effect.target : null;
          return !target?.closest('li');
        }),
      undefined,
      { timeout: 5_000 },
    );
  }

  /** The accessible names of a lane's cards ("Task-2, task1(), sleeps until 0.0001 s, …"). */
  async cardLabels(name: LaneName): Promise<string[]> {
    await this.settle();
    const cards = this.cards(name);
    const count = await cards.count();
    const labels: string[] = [];
    for (let i = 0; i < count; i++) labels.push((await cards.nth(i).getAttribute('aria-label')) ?? '');
    return labels;
  }

  /** The task names in a lane, in order. */
  async taskNames(name: LaneName): Promise<string[]> {
    return (await this.cardLabels(name)).map((label) => label.split(',')[0]!.trim());
  }

  async board(): Promise<BoardSnapshot> {
    return {
      running: await this.cardLabels('Running'),
      ready: await this.cardLabels('Ready'),
      waiting: await this.cardLabels('Waiting'),
      done: await this.cardLabels('Done'),
    };
  }

  /** "step 41 / 180" as numbers. */
  async position(): Promise<{ step: number; total: number }> {
    const text = (await this.page.locator('.counter').innerText()).replace(/\s+/g, ' ');
    // Its numbers have their thousands grouped by commas: "step 1,204 / 100,455".
    const match = /step ([\d,]+) \/ ([\d,]+)/.exec(text);
    if (!match) throw new Error(`no step counter in "${text}"`);
    return { step: Number(match[1]!.replace(/,/g, '')), total: Number(match[2]!.replace(/,/g, '')) };
  }

  async expectStep(step: number): Promise<void> {
    await expect(this.page.locator('.counter')).toContainText(new RegExp(`step ${step.toLocaleString('en')} /`));
  }

  async stepForward(times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await this.button('Step forward').click();
  }

  async stepBack(times = 1): Promise<void> {
    for (let i = 0; i < times; i++) await this.button('Step back').click();
  }

  /** Steps forward until `done` says so; returns the number of steps taken. */
  async stepUntil(done: () => Promise<boolean>, max = 500): Promise<number> {
    for (let i = 0; i < max; i++) {
      if (await done()) return i;
      await this.stepForward();
    }
    throw new Error(`condition not met after ${max} steps`);
  }

  async setSpeed(speed: number): Promise<void> {
    await this.page.getByRole('combobox', { name: 'Speed' }).selectOption(String(speed));
  }

  async speed(): Promise<number> {
    return Number(await this.page.getByRole('combobox', { name: 'Speed' }).inputValue());
  }

  /** Plays from where the player is to the end, and waits for the end. */
  async playToEnd(timeout = 90_000): Promise<void> {
    await this.button('Play').click();
    await expect(this.button('Pause')).toBeVisible();
    await expect(this.button('Play')).toBeVisible({ timeout });
    const { step, total } = await this.position();
    expect(step).toBe(total);
  }

  narration(): Locator {
    return this.region('What the loop just did').locator('[aria-live="polite"]');
  }

  console(): Locator {
    return this.region('Console');
  }

  /** The console's lines of one stream, as text. */
  async consoleLines(stream: 'stdout' | 'stderr' = 'stdout'): Promise<string[]> {
    const lines = this.console().locator(`[data-stream="${stream}"]`);
    return (await lines.allInnerTexts()).map((t) => t.replace(/^err/, '').replace(/\n$/, ''));
  }

  code(): Locator {
    return this.region('Code');
  }

  /** Replaces the program in the code pane, typing as a learner would paste. */
  async replaceCode(source: string): Promise<void> {
    const editor = this.code().getByRole('textbox');
    await editor.click();
    await this.page.keyboard.press('ControlOrMeta+a');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(source);
  }

  /** The code pane's text, line by line as the editor holds it. */
  async codeText(): Promise<string> {
    const lines = await this.code().locator('.cm-line').allInnerTexts();
    return lines.map((line) => line.replace(/\u200b/g, '').replace(/\n$/, '')).join('\n');
  }

  /** Presses Run and waits for the new trace. */
  async run(): Promise<void> {
    const serial = await this.traceSerial();
    await expect(this.button('Run')).toBeEnabled();
    await this.button('Run').click();
    await this.waitForNewTrace(serial);
  }

  async traceSerial(): Promise<string | null> {
    return this.page.locator('body').getAttribute('data-trace');
  }

  async waitForNewTrace(previous: string | null, timeout = 30_000): Promise<void> {
    await expect(this.page.locator('body')).not.toHaveAttribute('data-trace', previous ?? '', { timeout });
    await expect(this.button('Run')).toBeEnabled({ timeout });
  }

  banner(): Locator {
    return this.page.locator('.banner');
  }

  /** Puts the lesson's (or scratchpad's) program back in the code pane and waits for its trace. */
  async resetToOriginal(): Promise<void> {
    const serial = await this.traceSerial();
    await this.code().getByRole('button', { name: 'Reset to original' }).click();
    await this.waitForNewTrace(serial);
  }

  /** Moves focus off any control, so that the player's keys reach the page. */
  async focusPage(): Promise<void> {
    await this.page.locator('#narration-title').click();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
