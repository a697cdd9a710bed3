/**
 * The teacher's lesson packs in the app: opening one (a folder or a .zip, through the bridge's
 * picker or dropped on the course screen), keeping it (the bridge: IndexedDB in the browser,
 * the user-data folder in Electron) until "Remove pack", reloading it when its folder is
 * edited (desktop) or it is opened again (same title: it replaces the old one), and checking
 * its lessons against runs of their programs, one lesson at a time in the background, so the
 * course can list every problem in the pack and "Check this lesson" can show where each stop
 * lands.
 *
 * A pack never takes the place of a built-in lesson: its lessons' slugs carry the pack's id.
 */
import { lessonChanges } from '../../lessons/changes';
import { type LessonCheck, runAndCheckLesson } from '../../lessons/check';
import { loadPack } from '../../lessons/pack';
import { unzipPack, zipPack } from '../../lessons/pack-zip';
import type { LoopLabBridge, PackKind, StoredPack } from '../../shared/ipc';
import type { Lesson, LessonPack, LessonProblem, PackSource } from '../../shared/lesson';
import { packFromDrop } from '../lib/pack-pick';

/** A pack in the course. */
export interface PackEntry {
  pack: LessonPack;
  /** Where it came from: the folder's or the .zip's name, and which. */
  name: string;
  kind: PackKind;
  /** When it was last read (ms since 1970). */
  savedAt: number;
}

/** What the course screen says after an open, a reload or a refusal. */
export interface PackNotice {
  /** `warn`: the pack opened, but it has problems (listed in its section, below the notice). */
  tone: 'ok' | 'warn' | 'bad';
  text: string;
  /** The problems of a pack that could not be opened at all. */
  problems: LessonProblem[];
}

/** A pack just opened or reloaded: its notice is worded from its problems as they are found (reading, then checks). */
interface OpenedNotice {
  verb: string;
  id: string;
  title: string;
  lessons: number;
}

/**
 * The notice after a pack opened: green with its number of lessons while no problem is known;
 * once reading or a check finds problems, a warning that says how many and where they are.
 */
export function openedNotice(opened: OpenedNotice, problems: number): PackNotice {
  const lessons = `${opened.lessons} ${opened.lessons === 1 ? 'lesson' : 'lessons'}`;
  if (problems === 0) return { tone: 'ok', text: `${opened.verb} “${opened.title}”: ${lessons}.`, problems: [] };
  const count = problems === 1 ? '1 problem' : `${problems} problems`;
  return { tone: 'warn', text: `${opened.verb} “${opened.title}” (${lessons}) with ${count}: see the list below.`, problems: [] };
}

/** What changed in a lesson when its pack was read again. */
export interface LessonReload {
  slug: string;
  /** When, in ms since 1970. */
  at: number;
  /** In words, one change each; empty when nothing in this lesson changed. */
  changes: string[];
}

export interface PacksOptions {
  /** The packs changed (added, reloaded, removed): the course looks again at what is on screen. */
  onChange?: () => void;
  /** A pack was removed: forget its lessons' progress and edits. */
  onRemoved?: (lessons: readonly { slug: string; files: string[] }[]) => void;
}

export class Packs {
  #entries = $state.raw<PackEntry[]>([]);
  /** Lesson slug → its check against runs of its programs. */
  #checks = $state.raw<ReadonlyMap<string, LessonCheck>>(new Map());
  /** Lessons waiting for their check, or being checked. */
  #pending = $state.raw<readonly Lesson[]>([]);
  #notice = $state<PackNotice | OpenedNotice | null>(null);
  /** Lesson slug → what changed when its pack was last read again. */
  #reloads = $state.raw<ReadonlyMap<string, LessonReload>>(new Map());
  #restored = $state(false);
  #busy = $state(false);
  #checkingNow = false;
  readonly #bridge: LoopLabBridge;
  readonly #options: PacksOptions;
  readonly #unsubscribe: () => void;

  constructor(bridge: LoopLabBridge, options: PacksOptions = {}) {
    this.#bridge = bridge;
    this.#options = options;
    this.#unsubscribe = bridge.onPackChanged((change) => {
      // The same pack, even if its title was edited: it keeps its id (and its lessons' progress).
      if (this.#entries.some((e) => e.pack.id === change.id)) void this.#add(change.source, null, 'edited', change.id);
    });
  }

  /** The packs, in the order they were first opened. */
  get entries(): readonly PackEntry[] {
    return this.#entries;
  }

  get notice(): PackNotice | null {
    const notice = this.#notice;
    if (notice === null || 'tone' in notice) return notice;
    return openedNotice(notice, this.problemsOf(notice.id).length);
  }

  /** The packs kept from before are loaded (until then, a pack lesson's address waits). */
  get restored(): boolean {
    return this.#restored;
  }

  /** The app watches a pack's folder and reloads it on its own (the desktop app); else the teacher opens it again. */
  get watchesFolders(): boolean {
    return this.#bridge.shell === 'electron';
  }

  /** A pack is being read. */
  get busy(): boolean {
    return this.#busy;
  }

  /** Every lesson of every pack. */
  get lessons(): Lesson[] {
    return this.#entries.flatMap((e) => e.pack.catalog.lessons);
  }

  /** The pack a lesson (or a broken lesson's slug) belongs to. */
  entryOf(slug: string): PackEntry | null {
    return this.#entries.find((e) => slug.startsWith(`${e.pack.id}~`)) ?? null;
  }

  checkOf(slug: string): LessonCheck | null {
    return this.#checks.get(slug) ?? null;
  }

  /** The lesson is waiting for its check, or being checked. */
  isChecking(slug: string): boolean {
    return this.#pending.some((l) => l.slug === slug);
  }

  /** How many of the pack's lessons still wait for their check. */
  checksPending(id: string): number {
    return this.#pending.filter((l) => l.slug.startsWith(`${id}~`)).length;
  }

  /** Every problem of the pack: reading it, its broken lessons, and its lessons' checks so far. */
  problemsOf(id: string): LessonProblem[] {
    const entry = this.#entries.find((e) => e.pack.id === id);
    if (!entry) return [];
    const found = [...entry.pack.problems];
    for (const lesson of entry.pack.catalog.lessons) found.push(...(this.#checks.get(lesson.slug)?.problems ?? []));
    return found.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  }

  reloadOf(slug: string): LessonReload | null {
    return this.#reloads.get(slug) ?? null;
  }

  dismissReload(slug: string): void {
    const next = new Map(this.#reloads);
    next.delete(slug);
    this.#reloads = next;
  }

  dismissNotice(): void {
    this.#notice = null;
  }

  /** Loads the packs kept from before. */
  async restore(): Promise<void> {
    try {
      for (const stored of await this.#bridge.listPacks()) {
        const source = { ...unzipPack(stored.name, stored.zip), name: stored.name, kind: stored.kind };
        const pack = loadPack(source, { id: stored.id });
        this.#entries = [...this.#entries.filter((e) => e.pack.id !== pack.id), { pack, name: stored.name, kind: stored.kind, savedAt: stored.savedAt }];
        this.#queueChecks(pack.catalog.lessons);
      }
    } catch (error) {
      this.#notice = { tone: 'bad', text: `Your lesson packs could not be loaded: ${error instanceof Error ? error.message : String(error)}`, problems: [] };
    } finally {
      this.#restored = true;
      this.#options.onChange?.();
    }
  }

  /** Asks for a pack (a folder or a .zip) and adds it. */
  async open(kind: PackKind): Promise<void> {
    this.#busy = true;
    try {
      const opened = await this.#bridge.openPack(kind);
      if (opened) await this.#add(opened.source, opened.watch, 'opened');
    } catch (error) {
      this.#notice = { tone: 'bad', text: `The pack could not be opened: ${error instanceof Error ? error.message : String(error)}`, problems: [] };
    } finally {
      this.#busy = false;
    }
  }

  /** A folder or a .zip dropped on the course screen. */
  async openDropped(transfer: DataTransfer): Promise<void> {
    this.#busy = true;
    try {
      const source = await packFromDrop(transfer);
      if (source) await this.#add(source, null, 'opened');
      else this.#notice = { tone: 'bad', text: 'Drop a folder of lessons, or a .zip of one, to open it as a lesson pack.', problems: [] };
    } catch (error) {
      this.#notice = { tone: 'bad', text: `The pack could not be read: ${error instanceof Error ? error.message : String(error)}`, problems: [] };
    } finally {
      this.#busy = false;
    }
  }

  /** Removes a pack: its lessons leave the course, with their progress and edits. */
  async remove(id: string): Promise<void> {
    const entry = this.#entries.find((e) => e.pack.id === id);
    if (!entry) return;
    try {
      await this.#bridge.removePack(id);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.#notice = { tone: 'bad', text: `“${entry.pack.title}” could not be removed: ${why}`, problems: [] };
      return;
    }
    this.#entries = this.#entries.filter((e) => e !== entry);
    this.#pending = this.#pending.filter((l) => !l.slug.startsWith(`${id}~`));
    this.#checks = new Map([...this.#checks].filter(([slug]) => !slug.startsWith(`${id}~`)));
    const lessons = [...entry.pack.catalog.lessons.map((l) => ({ slug: l.slug, files: l.programs.map((p) => p.file) })), ...entry.pack.catalog.broken.map((b) => ({ slug: b.slug, files: [] }))];
    this.#options.onRemoved?.(lessons);
    this.#notice = { tone: 'ok', text: `Removed “${entry.pack.title}”.`, problems: [] };
    this.#options.onChange?.();
  }

  /** Checks a lesson again (after the learner's runtime restarted, say). */
  recheck(lesson: Lesson): void {
    this.#queueChecks([lesson]);
  }

  dispose(): void {
    this.#unsubscribe();
  }

  async #add(source: PackSource, watch: string | null, how: 'opened' | 'edited', id?: string): Promise<void> {
    if (source.files.length === 0) {
      this.#notice = { tone: 'bad', text: `“${source.name}” could not be opened as a lesson pack:`, problems: source.problems };
      return;
    }
    const pack = loadPack(source, id === undefined ? {} : { id });
    if (pack.catalog.lessons.length === 0 && pack.catalog.broken.length === 0) {
      this.#notice = { tone: 'bad', text: `“${source.name}” has no lessons in it:`, problems: pack.problems };
      return;
    }
    const old = this.#entries.find((e) => e.pack.id === pack.id) ?? null;
    const entry: PackEntry = { pack, name: source.name, kind: source.kind, savedAt: Date.now() };
    this.#entries = old ? this.#entries.map((e) => (e === old ? entry : e)) : [...this.#entries, entry];
    if (old) this.#noteReloads(old.pack, pack);
    const count = pack.catalog.lessons.length + pack.catalog.broken.length;
    const verb = how === 'edited' ? 'Reloaded' : old ? 'Opened again' : 'Opened';
    this.#notice = { verb, id: pack.id, title: pack.title, lessons: count };
    const stored: StoredPack = { id: pack.id, name: source.name, kind: source.kind, zip: zipPack(source.files), savedAt: entry.savedAt };
    try {
      await this.#bridge.savePack(stored, watch);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.#notice = { tone: 'bad', text: `“${pack.title}” is open, but could not be kept for next time: ${why}`, problems: [] };
    }
    this.#checks = new Map([...this.#checks].filter(([slug]) => !slug.startsWith(`${pack.id}~`)));
    this.#queueChecks(pack.catalog.lessons);
    this.#options.onChange?.();
  }

  /** What changed in each lesson of a pack read again. */
  #noteReloads(before: LessonPack, after: LessonPack): void {
    const next = new Map(this.#reloads);
    const at = Date.now();
    for (const lesson of after.catalog.lessons) {
      const old = before.catalog.lessons.find((l) => l.slug === lesson.slug);
      next.set(lesson.slug, { slug: lesson.slug, at, changes: old ? lessonChanges(old, lesson) : ['the lesson is new, or loads again'] });
    }
    this.#reloads = next;
  }

  #queueChecks(lessons: readonly Lesson[]): void {
    const slugs = new Set(lessons.map((l) => l.slug));
    this.#pending = [...this.#pending.filter((l) => !slugs.has(l.slug)), ...lessons];
    void this.#runChecks();
  }

  /** Checks the waiting lessons one at a time (the runtime takes runs one at a time anyway). */
  async #runChecks(): Promise<void> {
    if (this.#checkingNow) return;
    this.#checkingNow = true;
    try {
      while (this.#pending.length > 0) {
        const lesson = this.#pending[0]!;
        try {
          let check = await this.#check(lesson);
          // A run the learner's Stop ended is no verdict on the lesson: once more.
          if (check.programs.some((p) => p.endedBy === 'stopped')) check = await this.#check(lesson);
          // Keep it only if the lesson is still the one in its pack (not reloaded meanwhile).
          if (this.lessons.includes(lesson)) this.#checks = new Map(this.#checks).set(lesson.slug, check);
        } catch {
          // The runtime refused the run (it is restarting): the lesson stays unchecked, and can be checked again.
        }
        this.#pending = this.#pending.filter((l) => l !== lesson);
      }
    } finally {
      this.#checkingNow = false;
    }
  }

  #check(lesson: Lesson): Promise<LessonCheck> {
    return runAndCheckLesson(lesson, (program) => this.#bridge.run({ source: program.source, filename: program.file }));
  }
}
