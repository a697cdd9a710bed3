/**
 * The page's fetches of the traces the app ships under `traces/` (src/shared/shipped-traces.ts),
 * and the one started ahead: the page's first script (src/renderer/early.ts) asks for the trace
 * of the program the page's address shows while the app's own scripts still load and run
 * (about half a second on a fresh load here), so that it is there when the app asks for it.
 */
import {
  lessonProgramName,
  SCRATCHPAD_PROGRAM,
  type ShippedIndex,
  shippedTracePath,
} from '../../shared/shipped-traces';
import { type RuntimeId, sameRuntime } from '../../shared/trace';
import { parseRoute, type Route } from './route';

/** Traces fetched ahead, by URL: each file's JSON (not yet checked as a trace), null if it failed. */
const ahead = new Map<string, Promise<unknown>>();

function fetchJson(url: string): Promise<unknown> {
  return fetch(url).then((response) => (response.ok ? (response.json() as Promise<unknown>) : null));
}

/**
 * The key of the shipped trace a route shows first: the lesson's program the route names, or
 * the lesson's first program, or the scratchpad's starting program; null for other screens or
 * a program the index does not list. A guess only: an edited program has another key.
 */
export function routeTraceKey(route: Route, index: ShippedIndex): string | null {
  let wanted: (program: string) => boolean;
  if (route.screen === 'scratchpad') {
    wanted = (program) => program === SCRATCHPAD_PROGRAM;
  } else if (route.screen === 'lesson') {
    const folder = lessonProgramName(route.slug, '');
    const named = route.file === null ? null : lessonProgramName(route.slug, route.file);
    wanted = (program) => (named === null ? program.startsWith(folder) : program === named);
  } else {
    return null;
  }
  // In the course's order: a lesson's first program comes first.
  return Object.entries(index.programs).find(([program]) => wanted(program))?.[1] ?? null;
}

/**
 * Starts fetching the shipped trace the address `hash` shows first, if any (see routeTraceKey),
 * and if the index's traces are this runtime's (the trace store uses no other).
 */
export function prefetchRouteTrace(hash: string, base: string, index: ShippedIndex, runtime: RuntimeId): void {
  if (!sameRuntime(index.runtime, runtime)) return;
  const key = routeTraceKey(parseRoute(hash), index);
  if (key === null) return;
  const url = new URL(shippedTracePath(key), base).href;
  if (!ahead.has(url)) ahead.set(url, fetchJson(url).catch(() => null));
}

/**
 * The JSON of the shipped trace with this key: the copy fetched ahead if there is one (handed
 * over once, and any other copy fetched ahead is let go: the page is past its first screen),
 * else, or if that fetch failed, fetched now. Null if the file is missing; rejects if it cannot
 * be read. The caller checks that it is a trace.
 */
export async function fetchShippedTrace(key: string, base: string): Promise<unknown> {
  const url = new URL(shippedTracePath(key), base).href;
  const fetched = ahead.get(url);
  ahead.clear();
  const early = fetched === undefined ? null : await fetched;
  return early ?? fetchJson(url);
}
