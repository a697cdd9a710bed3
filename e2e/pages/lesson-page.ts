/**
 * The course and a guided lesson as a learner sees them, by accessible names: the lesson
 * navigator, the tour's stop with its checkpoint and Continue, the list of stops. The player's
 * own controls, board and console come from PlayerPage.
 */
import { expect, type Locator, type Page } from '@playwright/test';
import { PlayerPage } from './player-page';

export class LessonPage extends PlayerPage {
  constructor(page: Page) {
    super(page);
  }

  /** The course's list of lessons (the navigator). */
  navigator(): Locator {
    return this.page.getByRole('navigation', { name: 'Lessons', exact: true });
  }

  /** The lessons in the navigator, in order (one list item each, broken ones included). */
  entries(): Locator {
    return this.navigator().getByRole('list').first().locator(':scope > li');
  }

  /** A lesson's entry in the navigator, by its title. */
  entry(title: string): Locator {
    return this.entries().filter({ hasText: title });
  }

  /** The "Lessons" button of the top bar: back to the navigator. */
  async showLessons(): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Places', exact: true }).getByRole('button', { name: 'Lessons', exact: true }).click();
    await expect(this.navigator()).toBeVisible();
  }

  /** The guided tour's panel: "Guided tour · N stops …" before the first stop, "Stop k of N <title>" at a stop. */
  tour(): Locator {
    return this.page.getByRole('region', { name: /^(Stop \d+ of \d+|Guided tour)/ });
  }

  /** "Stop k of N" as numbers, or null before the first stop. */
  async stopNumber(): Promise<{ at: number; of: number } | null> {
    const text = await this.page.locator('#tour-where').innerText();
    const match = /Stop (\d+) of (\d+)/i.exec(text);
    return match ? { at: Number(match[1]), of: Number(match[2]) } : null;
  }

  /** `timeout` (ms): how long Play may take to get there (the default suits a few dozen steps). */
  async expectAtStop(at: number, of: number, title: string, timeout?: number): Promise<void> {
    await expect(this.tour()).toHaveAccessibleName(new RegExp(`^Stop ${at} of ${of}\\s+${escapeRegExp(title)}$`, 'i'), timeout === undefined ? {} : { timeout });
    // Open: Continue, or the question to answer first.
    await expect(this.continueButton().or(this.question()).first()).toBeVisible();
  }

  stopTitle(): Locator {
    return this.tour().getByRole('heading', { level: 2 });
  }

  continueButton(): Locator {
    return this.tour().getByRole('button', { name: 'Continue', exact: true });
  }

  /** The open checkpoint's choices (a radio group named by its question). */
  choices(): Locator {
    return this.tour().getByRole('radiogroup').getByRole('radio');
  }

  question(): Locator {
    return this.tour().getByRole('radiogroup');
  }

  /** What the learner is told after answering. */
  feedback(): Locator {
    return this.tour().getByRole('status');
  }

  /** The lesson's stops, in the left column's list. */
  stopButtons(): Locator {
    return this.page.locator('details.stops').getByRole('button');
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
