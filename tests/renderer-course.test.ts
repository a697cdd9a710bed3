/** The lesson navigator's items and the app's addresses (src/renderer/lib/course-view.ts). */
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/lessons';
import { lessonFiles } from '../src/lessons/bundled';
import { courseTotals, navigatorItems, nextUp, progressWords } from '../src/renderer/lib/course-view';
import { formatRoute, parseRoute } from '../src/renderer/lib/route';

const empty = { version: 1 as const, finished: [], checkpoints: {} };

describe('navigatorItems', () => {
  const catalog = loadCatalog(lessonFiles);

  it('lists all 23 lessons in order, openable, with their checkpoints', () => {
    const items = navigatorItems(catalog, empty);
    expect(items.map((i) => i.number)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(items.every((i) => i.openable && i.errors.length === 0 && i.title !== '' && i.summary !== '')).toBe(true);
    const nine = items.find((i) => i.slug === 'numbers-and-letters')!;
    expect(nine).toMatchObject({ number: 9, finished: false, passed: 0, checkpoints: 5 });
    expect(progressWords(nine)).toBe('not finished yet, 0 of 5 checkpoints passed');
    expect(courseTotals(items)).toEqual({ lessons: 23, finished: 0, checkpoints: 68, passed: 0 });
    expect(nextUp(items)?.number).toBe(1);
  });

  it('shows progress, counting only checkpoints the lesson still asks', () => {
    const lesson = catalog.lessons.find((l) => l.slug === 'numbers-and-letters')!;
    const asked = lesson.stops.filter((s) => s.checkpoint).map((s) => s.id);
    const progress = {
      version: 1 as const,
      finished: ['meet-asyncio', 'numbers-and-letters', 'no-such-lesson'],
      checkpoints: { 'numbers-and-letters': [asked[0]!, asked[1]!, 'a-stop-that-was-removed'] },
    };
    const items = navigatorItems(catalog, progress);
    const nine = items.find((i) => i.slug === 'numbers-and-letters')!;
    expect(nine).toMatchObject({ finished: true, passed: 2, checkpoints: 5 });
    expect(progressWords(nine)).toBe('finished, 2 of 5 checkpoints passed');
    expect(courseTotals(items)).toMatchObject({ finished: 2, passed: 2 });
    expect(nextUp(items)?.number).toBe(2);
  });

  it('lists a broken lesson in its place with its errors, not openable; the others still load', () => {
    const broken = loadCatalog({
      ...lessonFiles,
      'lessons/05-asyncio-run/lesson.md': 'no frontmatter\n',
      'lessons/24-extra/lesson.md': '---\ntitle: Extra\nsummary: An extra lesson.\n---\n\nText.\n',
      'lessons/24-extra/main.py': 'print(1)\n',
    });
    const items = navigatorItems(broken, { version: 1, finished: ['asyncio-run'], checkpoints: {} });
    expect(items).toHaveLength(24);
    expect(items.map((i) => i.number)).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
    const five = items[4]!;
    expect(five).toMatchObject({ slug: 'asyncio-run', openable: false, finished: false, checkpoints: 0 });
    expect(five.errors[0]).toMatch(/^05-asyncio-run\/lesson\.md, line 1: the file must begin with frontmatter/);
    expect(progressWords(five)).toBe('cannot be opened: one problem');
    const extra = items[23]!;
    expect(extra).toMatchObject({ title: 'Extra', openable: false });
    expect(extra.errors.join('\n')).toContain('main.out');
    expect(items.filter((i) => i.openable)).toHaveLength(22);
    expect(courseTotals(items).lessons).toBe(22);
  });
});

describe('routes', () => {
  it('reads and writes the addresses', () => {
    expect(parseRoute('')).toEqual({ screen: 'course' });
    expect(parseRoute('#/')).toEqual({ screen: 'course' });
    expect(parseRoute('#/nonsense')).toEqual({ screen: 'course' });
    expect(parseRoute('#/scratchpad')).toEqual({ screen: 'scratchpad' });
    expect(parseRoute('#/lesson/await')).toEqual({ screen: 'lesson', slug: 'await', file: null });
    expect(parseRoute('#/lesson/await/pause.py')).toEqual({ screen: 'lesson', slug: 'await', file: 'pause.py' });
    expect(parseRoute('#/lesson/%E0%A4%A')).toEqual({ screen: 'lesson', slug: '%E0%A4%A', file: null });
    for (const route of [
      { screen: 'course' as const },
      { screen: 'scratchpad' as const },
      { screen: 'lesson' as const, slug: 'await', file: null },
      { screen: 'lesson' as const, slug: 'await', file: 'pause.py' },
      { screen: 'lesson' as const, slug: 'a b', file: 'c/d.py' },
    ]) {
      expect(parseRoute(formatRoute(route))).toEqual(route);
    }
  });
});
