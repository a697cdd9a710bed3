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
  RealDate.now = () => epochMs;
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
