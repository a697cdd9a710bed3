/**
 * JavaScript's wall clock, as a program's files see it, stopped at the virtual clock's start.
 *
 * Python's clocks are virtual (clock.py), but Emscripten stamps files with JavaScript's own:
 * `Date.now()` for a file or folder made or written (MEMFS, FS), `new Date()` for a pipe
 * (PIPEFS.createPipe), and the nodes made before a run (/, /tmp, the working folder, /dev/null)
 * carry the time the worker started. `os.stat` gave the host's time of day, and a trace differed
 * from run to run (a reviewer's and an earlier attacker's findings). The tracer's own limits
 * read `performance.now()`, which stays real.
 */

/** Date's local-time methods, each read as its UTC twin in a worker that keeps dates in UTC. */
const LOCAL_AS_UTC = [
  'FullYear', 'Month', 'Date', 'Day', 'Hours', 'Minutes', 'Seconds', 'Milliseconds',
].flatMap((part) => [[`get${part}`, `getUTC${part}`], ...(part === 'Day' ? [] : [[`set${part}`, `setUTC${part}`]])]);
/** Date's formatting methods that name or apply the local time zone, and take Intl's options. */
const ZONED_FORMATS = ['toLocaleString', 'toLocaleDateString', 'toLocaleTimeString'] as const;

/**
 * From now on in this worker, JavaScript's dates are in UTC, whatever the host's time zone:
 * local getters and setters are their UTC twins, `getTimezoneOffset()` is 0, a date made from
 * its parts (`new Date(2024, 0, 1)`) takes them as UTC, and `toString`, `toLocale*String`
 * format in UTC.
 *
 * C code in the interpreter asks JavaScript for local time (Emscripten's `_localtime_js`,
 * `_mktime_js` and `_tzset_js` in pyodide.asm.mjs, Pyodide 314): SQLite's 'localtime' and
 * 'utc' modifiers gave the host's offset (9 hours in Tokyo, -5 in New York: a fresh attacker's
 * finding), though Python's own clocks are UTC in every shell (clock.py), and a trace differed
 * from machine to machine. Called before Python starts, so the C library's time zone (`tzset`,
 * at start-up) is UTC too. For a worker that holds only the interpreter: nothing of the
 * worker's own reads local time.
 */
export function utcDates(): void {
  const RealDate = Date;
  const proto = RealDate.prototype as unknown as Record<string, unknown>;
  for (const [local, utc] of LOCAL_AS_UTC) proto[local!] = proto[utc!];
  proto.getTimezoneOffset = () => 0;
  const iso = RealDate.prototype.toISOString;
  proto.toString = function (this: Date): string {
    return Number.isNaN(this.getTime()) ? 'Invalid Date' : `${this.toUTCString().replace(/ GMT$/, '')} GMT+0000 (Coordinated Universal Time)`;
  };
  proto.toDateString = function (this: Date): string {
    return this.toUTCString().slice(0, 16).replace(/^(\w+), (\d+) (\w+) (\d+)$/, '$1 $3 $2 $4');
  };
  proto.toTimeString = function (this: Date): string {
    return `${iso.call(this).slice(11, 19)} GMT+0000 (Coordinated Universal Time)`;
  };
  for (const name of ZONED_FORMATS) {
    const format = RealDate.prototype[name] as (this: Date, locales?: unknown, options?: Intl.DateTimeFormatOptions) => string;
    proto[name] = function (this: Date, locales?: unknown, options?: Intl.DateTimeFormatOptions): string {
      return format.call(this, locales, { ...options, timeZone: 'UTC' });
    };
  }
  // Made from its parts (two or more numbers: year, month, …), a date takes them as UTC.
  function UtcDate(this: unknown, ...given: unknown[]): Date | string {
    if (new.target === undefined) return new RealDate().toString();
    if (given.length >= 2) return new RealDate(RealDate.UTC(...(given as [number, number])));
    return new (RealDate as unknown as new (...args: unknown[]) => Date)(...given);
  }
  UtcDate.prototype = RealDate.prototype;
  Object.setPrototypeOf(UtcDate, RealDate); // Date.now, Date.parse, Date.UTC
  (globalThis as { Date: unknown }).Date = UtcDate;
}

/** The parts of Emscripten's file system this stamps (not in Pyodide's public types). */
export interface StampedFS {
  /** Every node made, hashed by parent and name, chained through `name_next` (FS.hashAddNode). */
  nameTable: (StampedNode | null | undefined)[] | null;
  root: StampedNode | null;
}

interface StampedNode {
  atime?: number;
  mtime?: number;
  ctime?: number;
  name_next?: StampedNode | null;
  /** A pipe's shared state: PIPEFS reports its `timestamp` as the times of both ends. */
  pipe?: { timestamp?: Date } | null;
}

/**
 * From now on in this worker, `Date.now()` and `new Date()` read `epochMs` (ms since 1970),
 * and every node of `fs` carries it as its access, change and modification times. `new Date(x)`
 * with a time given is as before. For the worker of one run: nothing after it needs the real time.
 */
export function stopWallClock(fs: StampedFS, epochMs: number): void {
  const RealDate = Date;
  // Defined, not assigned: the realm lock has frozen the realm's own Date (realm-lockdown.ts),
  // whose `now` this one (utcDates') inherits, and an assignment over a frozen inherited name throws.
  Object.defineProperty(RealDate, 'now', { value: () => epochMs, writable: true, configurable: true });
  // A constructor function, not a class: `Date()` called without `new` gives a string, as Date's does.
  function StoppedDate(this: unknown, ...given: unknown[]): Date | string {
    if (new.target === undefined) return new RealDate(epochMs).toString();
    return given.length === 0 ? new RealDate(epochMs) : new (RealDate as unknown as new (...args: unknown[]) => Date)(...given);
  }
  StoppedDate.prototype = RealDate.prototype;
  Object.setPrototypeOf(StoppedDate, RealDate); // Date.now, Date.parse, Date.UTC
  (globalThis as { Date: unknown }).Date = StoppedDate;
  const stamp = (node: StampedNode): void => {
    if (typeof node.atime === 'number') node.atime = epochMs;
    if (typeof node.mtime === 'number') node.mtime = epochMs;
    if (typeof node.ctime === 'number') node.ctime = epochMs;
    if (node.pipe && node.pipe.timestamp instanceof RealDate) node.pipe.timestamp = new RealDate(epochMs);
  };
  if (fs.root) stamp(fs.root);
  for (const first of fs.nameTable ?? []) {
    for (let node = first; node; node = node.name_next) stamp(node);
  }
}
