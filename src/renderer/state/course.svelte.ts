/**
 * Where the learner is in the app: the course (the lesson navigator), a lesson and which of its
 * programs, or the scratchpad. The place is kept in the URL's hash (lib/course-view.ts), so a
 * reload comes back to it and Back returns to the list. Opening a lesson's program hands it to
 * the session, which traces it.
 */
import { findLesson } from '../../lessons';
import type { Lesson, LessonCatalog, LessonProgram } from '../../shared/lesson';
import { formatRoute, navigatorItems, type NavigatorItem, parseRoute, type Route } from '../lib/course-view';
import { SCRATCHPAD, SCRATCHPAD_KEY, savedScratchpad } from '../scratchpad';
import type { Progress } from './progress.svelte';
import type { Program, Session } from './session.svelte';

export type Screen = Route['screen'];

export function lessonProgramKey(slug: string, file: string): string {
  return `lesson:${slug}/${file}`;
}

export interface CourseOptions {
  /** A different lesson was opened (not just another program of the same one). */
  onLessonOpened?: (lesson: Lesson) => void;
}

export class Course {
  #catalog = $state.raw<LessonCatalog>({ lessons: [], broken: [] });
  #screen = $state<Screen>('course');
  #lesson = $state.raw<Lesson | null>(null);
  #file = $state<string | null>(null);
  /** Said on the course screen when an address named a lesson that does not exist. */
  #notice = $state<string | null>(null);
  /** Play the next program as soon as it is traced (the tour goes on in it). */
  #playNext = false;
  readonly #session: Session;
  readonly #progress: Progress;
  readonly #options: CourseOptions;
  readonly #onHash = (): void => this.#apply(parseRoute(location.hash));

  constructor(session: Session, progress: Progress, catalog: LessonCatalog, options: CourseOptions = {}) {
    this.#session = session;
    this.#progress = progress;
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

  /** Every lesson with its progress marks, in course order (broken ones with their errors). */
  get items(): NavigatorItem[] {
    return navigatorItems(this.#catalog, this.#progress.data);
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
    const lesson = findLesson(this.#catalog, slug);
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

  dispose(): void {
    window.removeEventListener('hashchange', this.#onHash);
  }

  #go(route: Route): void {
    const hash = formatRoute(route);
    if (location.hash === hash || (hash === '#/' && location.hash === '')) this.#apply(route);
    else location.hash = hash; // the hashchange applies it (and Back comes back here)
  }

  #apply(route: Route): void {
    this.#notice = null;
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
    const lesson = findLesson(this.#catalog, route.slug);
    if (!lesson) {
      const broken = this.#catalog.broken.find((b) => b.slug === route.slug);
      this.#notice = broken
        ? `Lesson ${broken.number}, “${broken.title}”, cannot be opened: it has a mistake (see below).`
        : `There is no lesson called “${route.slug}”. Pick one from the list.`;
      this.#screen = 'course';
      return;
    }
    const program = lesson.programs.find((p) => p.file === route.file) ?? lesson.programs[0];
    if (!program) return;
    // Opened by its folder's name (#/lesson/01-meet-asyncio): the address names it by its slug.
    if (route.slug !== lesson.slug) history.replaceState(history.state, '', formatRoute({ ...route, slug: lesson.slug }));
    const key = lessonProgramKey(lesson.slug, program.file);
    const same = this.#session.program?.key === key;
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
