/**
 * Where the learner is in the app: the course (the lesson navigator), a lesson and which of its
 * programs, or the scratchpad. The place is kept in the URL's hash (lib/course-view.ts), so a
 * reload comes back to it and Back returns to the list. Opening a lesson's program hands it to
 * the session, which traces it. The lessons are the built-in course's and the teacher's packs'
 * (state/packs.svelte.ts); a pack read again reloads the lesson on screen.
 */
import { findLesson } from '../../lessons';
import { decodeShared, ShareLinkError, type SharedProgram } from '../../shared/share-link';
import type { DraftStore } from '../lib/drafts';
import type { Lesson, LessonCatalog, LessonProgram } from '../../shared/lesson';
import { navigatorItems, type NavigatorItem } from '../lib/course-view';
import { formatRoute, parseRoute, type Route } from '../lib/route';
import { SCRATCHPAD, SCRATCHPAD_KEY, savedScratchpad } from '../scratchpad';
import type { PackEntry, Packs } from './packs.svelte';
import type { Progress } from './progress.svelte';
import type { Program, Session } from './session.svelte';

export type Screen = Route['screen'];

export function lessonProgramKey(slug: string, file: string): string {
  return `lesson:${slug}/${file}`;
}

/** The program key of a shared program that is no lesson's: neither the scratchpad nor a draft. */
export const SHARED_KEY = 'shared';

export interface CourseOptions {
  /** A different lesson was opened (not just another program of the same one). */
  onLessonOpened?: (lesson: Lesson) => void;
  /** The learner's own edits: a shared link never replaces one without asking. */
  drafts?: DraftStore;
}

/** A shared link that would replace the learner's own edit of a lesson's program: it waits for their word. */
export interface PendingShare {
  shared: SharedProgram;
  lesson: Lesson;
  file: string;
}

export class Course {
  #catalog = $state.raw<LessonCatalog>({ lessons: [], broken: [] });
  #screen = $state<Screen>('course');
  #lesson = $state.raw<Lesson | null>(null);
  #file = $state<string | null>(null);
  /** Said on the course screen when an address named a lesson that does not exist. */
  #notice = $state<string | null>(null);
  /** A shared link waiting for the learner to say whether it may replace their own edit. */
  #pending = $state.raw<PendingShare | null>(null);
  /** A shared link's version of a lesson's program is on screen (opening the lesson brings the learner's back). */
  #sharedShown = false;
  /** Play the next program as soon as it is traced (the tour goes on in it). */
  #playNext = false;
  readonly #session: Session;
  readonly #progress: Progress;
  readonly #packs: Packs | null;
  readonly #options: CourseOptions;
  readonly #onHash = (): void => this.#apply(parseRoute(location.hash));

  constructor(session: Session, progress: Progress, catalog: LessonCatalog, packs: Packs | null, options: CourseOptions = {}) {
    this.#session = session;
    this.#progress = progress;
    this.#packs = packs;
    this.#options = options;
    this.#catalog = catalog;
  }

  /** Goes to the place the address names, and follows the address from now on. */
  start(): void {
    this.#apply(parseRoute(location.hash));
    window.addEventListener('hashchange', this.#onHash);
  }

  get catalog(): LessonCatalog {
    return this.#catalog;
  }

  /** Every built-in lesson with its progress marks, in course order (broken ones with their errors). */
  get items(): NavigatorItem[] {
    return navigatorItems(this.#catalog, this.#progress.data);
  }

  /** A pack's lessons with their progress marks. */
  packItems(entry: PackEntry): NavigatorItem[] {
    return navigatorItems(entry.pack.catalog, this.#progress.data, (slug) => this.#packs?.checkOf(slug)?.problems.length ?? 0);
  }

  /** The catalog a lesson belongs to: the built-in course's, or its pack's. */
  catalogOf(lesson: Lesson): LessonCatalog {
    return this.#packs?.entryOf(lesson.slug)?.pack.catalog ?? this.#catalog;
  }

  /** The pack the lesson on screen belongs to, if it is a pack's. */
  get pack(): PackEntry | null {
    const lesson = this.lesson;
    return lesson ? (this.#packs?.entryOf(lesson.slug) ?? null) : null;
  }

  get screen(): Screen {
    return this.#screen;
  }

  get lesson(): Lesson | null {
    return this.#screen === 'lesson' ? this.#lesson : null;
  }

  /** The lesson's program on screen (its file name). */
  get file(): string | null {
    return this.#screen === 'lesson' ? this.#file : null;
  }

  get program(): LessonProgram | null {
    return this.lesson?.programs.find((p) => p.file === this.#file) ?? null;
  }

  get notice(): string | null {
    return this.#notice;
  }

  /** A shared link that asks before it replaces the learner's own edit (null: none waits). */
  get pendingShare(): PendingShare | null {
    return this.#pending;
  }

  /**
   * The learner's answer to a pending shared link: `true` shows the link's version (their own
   * edit stays saved until they change the code on screen), `false` opens the lesson with theirs.
   */
  answerShare(showShared: boolean): void {
    const pending = this.#pending;
    this.#pending = null;
    if (!pending) return;
    if (showShared) this.#showShared(pending.shared, pending);
    else this.openLesson(pending.lesson.slug, pending.file);
  }

  /** The number of lessons that can be opened. */
  get count(): number {
    return this.#catalog.lessons.length;
  }

  showCourse(): void {
    this.#go({ screen: 'course' });
  }

  openScratchpad(): void {
    this.#go({ screen: 'scratchpad' });
  }

  /** Opens a lesson (its first program, or `file`); with `play`, the new run plays at once. */
  openLesson(slug: string, file: string | null = null, options: { play?: boolean } = {}): void {
    this.#playNext = options.play ?? false;
    const lesson = this.#find(slug);
    const first = lesson?.programs[0]?.file ?? null;
    this.#go({ screen: 'lesson', slug, file: file === first ? null : file });
  }

  /** Opens a file from the learner's disk in the scratchpad. */
  async openFile(): Promise<void> {
    const file = await this.#session.pickFile();
    if (!file || file.text === null) return;
    const program: Program = {
      key: SCRATCHPAD_KEY,
      title: file.name,
      summary: 'A program you opened. Press Play to watch the loop run it; change it and press Run.',
      filename: /^[^\0/\\]{1,255}$/.test(file.name) ? file.name : 'main.py',
      source: file.text,
    };
    this.#session.open(program);
    this.#go({ screen: 'scratchpad' });
  }

  /** Puts another catalog in place (the tests use it through the debug hook). */
  useCatalog(catalog: LessonCatalog): void {
    this.#catalog = catalog;
    this.#apply(parseRoute(location.hash));
  }

  /** The packs changed: look again at the place on screen (a reloaded lesson comes back changed). */
  refresh(): void {
    this.#apply(parseRoute(location.hash));
  }

  #find(slug: string): Lesson | null {
    return findLesson(this.#catalog, slug) ?? this.#packs?.lessons.find((l) => l.slug === slug) ?? null;
  }

  dispose(): void {
    window.removeEventListener('hashchange', this.#onHash);
  }

  /** Opens a shared link: in its lesson when it names one this course has, else on its own. */
  #openShared(version: string, data: string): void {
    let shared: SharedProgram;
    try {
      shared = decodeShared(version, data);
    } catch (error) {
      if (!(error instanceof ShareLinkError)) throw error;
      this.#notice = error.message;
      this.#screen = 'course';
      return;
    }
    const lesson = shared.lesson ? findLesson(this.#catalog, shared.lesson.slug) : null;
    const file = lesson?.programs.some((p) => p.file === shared.lesson?.file) ? shared.lesson!.file : null;
    if (lesson && file) {
      // The learner's own edit of that program would be replaced: ask first.
      const mine = this.#options.drafts?.load(lessonProgramKey(lesson.slug, file)) ?? null;
      if (mine !== null && mine !== shared.source) {
        this.#pending = { shared, lesson, file };
        return;
      }
      this.#showShared(shared, { lesson, file });
      return;
    }
    this.#showShared(shared, null);
  }

  #showShared(shared: SharedProgram, where: { lesson: Lesson; file: string } | null): void {
    const options = { source: shared.source, trace: shared.trace, step: shared.step, speed: shared.speed };
    if (where) {
      const { lesson, file } = where;
      const program = lesson.programs.find((p) => p.file === file);
      if (!program) return;
      const fresh = this.#lesson?.slug !== lesson.slug || this.#screen !== 'lesson';
      this.#screen = 'lesson';
      this.#lesson = lesson;
      this.#file = file;
      if (fresh) this.#options.onLessonOpened?.(lesson);
      const key = lessonProgramKey(lesson.slug, file);
      this.#sharedShown = true;
      this.#session.open({ key, title: lesson.title, summary: lesson.summary, filename: file, source: program.source }, options);
      return;
    }
    this.#screen = 'shared';
    this.#sharedShown = false;
    this.#lesson = null;
    this.#file = null;
    this.#session.open(
      {
        key: SHARED_KEY,
        title: 'A shared program',
        summary:
          'Someone shared this program with you by link. Your own scratchpad and lessons are untouched. ' +
          'Change it and press Run to trace your version; Save… keeps a copy.',
        filename: shared.filename,
        source: shared.source,
      },
      options,
    );
  }

  #go(route: Route): void {
    const hash = formatRoute(route);
    if (location.hash === hash || (hash === '#/' && location.hash === '')) this.#apply(route);
    else location.hash = hash; // the hashchange applies it (and Back comes back here)
  }

  #apply(route: Route): void {
    this.#notice = null;
    this.#pending = null;
    if (route.screen === 'shared') {
      this.#openShared(route.version, route.data);
      return;
    }
    if (route.screen === 'course') {
      this.#screen = 'course';
      return;
    }
    if (route.screen === 'scratchpad') {
      this.#screen = 'scratchpad';
      if (this.#session.program?.key !== SCRATCHPAD_KEY) {
        const saved = savedScratchpad();
        this.#session.open(saved ? { ...SCRATCHPAD, filename: saved.filename } : SCRATCHPAD, { source: saved?.source });
      }
      return;
    }
    const lesson = this.#find(route.slug);
    if (!lesson) {
      this.#screen = 'course';
      // A pack's lesson, before the packs kept from last time are loaded: it opens once they are.
      if (route.slug.includes('~') && this.#packs && !this.#packs.restored) return;
      const catalogs = [this.#catalog, ...(this.#packs?.entries.map((e) => e.pack.catalog) ?? [])];
      const broken = catalogs.flatMap((c) => c.broken).find((b) => b.slug === route.slug);
      this.#notice = broken
        ? `Lesson ${broken.number}, “${broken.title}”, cannot be opened: it has a mistake (see below).`
        : `There is no lesson called “${route.slug}”. Pick one from the list.`;
      return;
    }
    const program = lesson.programs.find((p) => p.file === route.file) ?? lesson.programs[0];
    if (!program) return;
    // Opened by its folder's name (#/lesson/01-meet-asyncio): the address names it by its slug.
    if (route.slug !== lesson.slug) history.replaceState(history.state, '', formatRoute({ ...route, slug: lesson.slug }));
    const key = lessonProgramKey(lesson.slug, program.file);
    // The same program as on screen (a pack read again may bring it back changed: then it is traced
    // again; a shared link's version on screen is not the lesson's own).
    const same = this.#session.program?.key === key && this.#session.program.source === program.source && !this.#sharedShown;
    this.#sharedShown = false;
    // A lesson opened afresh (not the same one, or the same one after the scratchpad replaced it).
    const fresh = this.#lesson?.slug !== lesson.slug || (this.#screen !== 'lesson' && !same);
    this.#screen = 'lesson';
    this.#lesson = lesson;
    this.#file = program.file;
    const play = this.#playNext;
    this.#playNext = false;
    if (fresh) this.#options.onLessonOpened?.(lesson);
    if (same) return; // back from the list to the program on screen: the learner's place is kept
    this.#session.open(
      { key, title: lesson.title, summary: lesson.summary, filename: program.file, source: program.source },
      { play },
    );
  }
}
