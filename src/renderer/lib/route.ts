/**
 * The app's addresses: where the learner is (the course, a lesson's program, the scratchpad, a
 * shared link), kept in the URL's hash so that Back, reload and links work. No imports: the
 * page's first script (src/renderer/early.ts) reads the address before the app's own load.
 */

/** A place in the app, as its address names it. */
export type Route =
  | { screen: 'course' }
  | { screen: 'lesson'; slug: string; file: string | null }
  | { screen: 'scratchpad' }
  /** A shared link: the link format's version and its data, read by src/shared/share-link.ts. */
  | { screen: 'shared'; version: string; data: string };

/** The place a hash names (`#/lesson/<slug>[/<file>]`, `#/scratchpad`, `#/shared/<version>/<data>`); anything else is the course. */
export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '');
  const parts = path.split('/').filter((p) => p !== '').map((p) => {
    try {
      return decodeURIComponent(p);
    } catch {
      return p;
    }
  });
  if (parts[0] === 'lesson' && parts[1]) return { screen: 'lesson', slug: parts[1], file: parts[2] ?? null };
  if (parts[0] === 'scratchpad') return { screen: 'scratchpad' };
  if (parts[0] === 'shared') return { screen: 'shared', version: parts[1] ?? '', data: parts.slice(2).join('/') };
  return { screen: 'course' };
}

/** The hash of a place: `parseRoute(formatRoute(route))` gives the route back. */
export function formatRoute(route: Route): string {
  switch (route.screen) {
    case 'course':
      return '#/';
    case 'scratchpad':
      return '#/scratchpad';
    case 'lesson':
      return `#/lesson/${encodeURIComponent(route.slug)}${route.file ? `/${encodeURIComponent(route.file)}` : ''}`;
    case 'shared':
      return `#/shared/${route.version}/${route.data}`;
  }
}

/** True for the embed page's addresses (`#/embed/…`): that page, not the app's, shows them. */
export function isEmbedFragment(hash: string): boolean {
  return /^#?\/*embed(\/|$)/.test(hash);
}
