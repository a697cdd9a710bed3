/**
 * The embed page's addresses (embed.html; the app's own page sends `#/embed/…` there):
 *   #/embed/shared/1/<data>         a shared program (src/shared/share-link.ts)
 *   #/embed/lesson/<name>           a lesson's first program
 *   #/embed/lesson/<name>/<file>    one of its programs
 * Pure: tested in tests/embed-route.test.ts.
 */
import { ShareLinkError, type SharedProgram, sharedFromFragment } from '../../shared/share-link';
import { isEmbedFragment } from './route';


export type EmbedRoute =
  | { kind: 'shared'; shared: SharedProgram }
  | { kind: 'lesson'; slug: string; file: string | null }
  /** The address names nothing to show: a sentence says why. */
  | { kind: 'nothing'; message: string };

const HOW = 'An embed address ends in #/embed/lesson/<name>, or is one made by Share… in Loop Lab.';

export function parseEmbedRoute(hash: string): EmbedRoute {
  if (!isEmbedFragment(hash)) return { kind: 'nothing', message: `This page shows nothing by itself. ${HOW}` };
  try {
    const shared = sharedFromFragment(hash);
    if (shared) return { kind: 'shared', shared };
  } catch (error) {
    if (error instanceof ShareLinkError) return { kind: 'nothing', message: error.message };
    throw error;
  }
  const parts = hash
    .replace(/^#?\/*/, '')
    .split('/')
    .filter((p) => p !== '')
    .map((p) => {
      try {
        return decodeURIComponent(p);
      } catch {
        return p;
      }
    });
  if (parts[1] === 'lesson' && parts[2]) return { kind: 'lesson', slug: parts[2], file: parts[3] ?? null };
  return { kind: 'nothing', message: `This address names nothing to show. ${HOW}` };
}
