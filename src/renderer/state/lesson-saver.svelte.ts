/**
 * "Save as lesson…" in the scratchpad: the program becomes a new lesson folder (main.py, the
 * main.out a run of it printed, a lesson.md and a tour.md to fill in: src/lessons/new-lesson.ts),
 * written by the bridge: into a folder the teacher picks (desktop) or as a .zip download
 * (browser). A program that does not run to its end cannot be a lesson's, and is not saved.
 */
import { printedText } from '../../lessons/check';
import { newLessonFolder } from '../../lessons/new-lesson';
import type { LoopLabBridge } from '../../shared/ipc';
import { endedBy, limitSentence } from '../../trace/limit-words';

export interface SaverNote {
  tone: 'ok' | 'bad';
  text: string;
}

export class LessonSaver {
  #busy = $state(false);
  #note = $state<SaverNote | null>(null);
  readonly #bridge: LoopLabBridge;

  constructor(bridge: LoopLabBridge) {
    this.#bridge = bridge;
  }

  get busy(): boolean {
    return this.#busy;
  }

  /** What the last save said (shown until the next save, or dismissed). */
  get note(): SaverNote | null {
    return this.#note;
  }

  dismiss(): void {
    this.#note = null;
  }

  /** Runs the program as main.py (its output is the lesson's recording) and saves the folder. */
  async save(filename: string, source: string): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.#note = null;
    try {
      const trace = await this.#bridge.run({ source, filename: 'main.py' });
      const ended = endedBy(trace);
      if (ended !== null) {
        const why = limitSentence(trace, ended);
        this.#note = { tone: 'bad', text: `Not saved: a lesson's program must run to its end, and this one does not. ${why}` };
        return;
      }
      const lesson = newLessonFolder(filename, source, printedText(trace));
      const saved = await this.#bridge.saveLesson({ folder: lesson.folder, files: lesson.files });
      if (saved !== null) {
        this.#note = {
          tone: 'ok',
          text: `Saved the lesson folder ${lesson.folder} (${saved}). Write its lesson.md and tour.md, then open it with “Open lessons…” to try it.`,
        };
      }
    } catch (error) {
      this.#note = { tone: 'bad', text: `Not saved: ${error instanceof Error ? error.message : String(error)}` };
    } finally {
      this.#busy = false;
    }
  }
}
