/**
 * The runtime engine: one Pyodide interpreter with Loop Lab's tracer installed. Platform
 * neutral: the caller passes in `loadPyodide` (from the npm package in Node, from the app's own
 * files in a browser worker). It never touches the UI; the worker around it sends chunks on.
 *
 * An interpreter starts one of two ways:
 * - **restored** from a memory snapshot of one that had already started, with the tracer
 *   installed (Pyodide's private `_loadSnapshot`: about 0.3 s in Node against 2.5 s cold).
 *   The snapshot may still be on its way: Pyodide loads its module and reads its wasm first,
 *   and awaits the snapshot only when it instantiates (~0.05 s in, in Node). A gzipped one (a
 *   Blob, as the browser edition keeps it: its page's first interpreter is handed that) is
 *   inflated while Pyodide makes its module (given a module maker or `indexURL`); the page's
 *   later interpreters are handed the packed form, inflated once for them. A snapshot from
 *   another Pyodide build, a damaged one, or any other restore error falls back to a cold
 *   start, silently (`snapshotRejected` says why, for the host's log); none at all (null), too.
 *   Restored from Loop Lab's packed form (a file's, or a Blob's once inflated), the kept pages
 *   are copied straight from it and the zero pages are not written into the fresh memory
 *   (sparse-restore.ts: 16 MB of 30 MB fewer pages touched, and no unpacked copy made first);
 * - **cold**, optionally making a snapshot (`_makeSnapshot`) just before any program runs,
 *   for the host to keep and hand to the next interpreters.
 *
 * Nothing JavaScript is handed to Python: the trace leaves through a device file the engine
 * serves (`/dev/looplab-trace`), and the tracer reads its memory use from another
 * (`/dev/looplab-memory`). See src/runtime/python/_looplab/wire.py.
 */
import type { PyodideAPI, PyodideConfig } from 'pyodide';
import { MESSAGE_EVENTS, MESSAGE_LINES } from '../shared/runtime-protocol';
import { DEFAULT_HEAP_LIMIT } from './heap-limit';
import { clearConstructorSlots, parseUnmadeTypes } from './type-slots';
import { PackedSnapshot, PackedSnapshotReader } from './snapshot-pages';
import { type AllocatorModule, zeroFreeMemory } from './free-memory';
import type { ModuleMaker } from './pyodide-code-cache';
import { type RestorableModule, restoreSparsely } from './sparse-restore';
import { type StampedFS, stopWallClock } from './wall-clock';
import { TRACER_FILES, tracerFingerprint } from './tracer-files';
import { bytecodeWithin, tracerBytecode, type TracerBytecodeFiles } from './tracer-bytecode';
import { TRACER_DIR, tracerPycPath } from './tracer-place';
import { shareWrapperModules } from './wrapper-modules';
import { EIO, ENOSPC } from './emscripten-errno';
import { capFileSystem, type CappedFS, fileBytes } from './file-caps';
import { closeProgramSockets, type EmscriptenSockets } from './program-sockets';
import { WasmNotLoaded } from './wasm-load-error';

export { DEFAULT_HEAP_LIMIT };

export type LoadPyodide = (config?: PyodideConfig) => Promise<PyodideAPI>;

/** Why a restore that was begun stopped: the host turned out to have no snapshot (not an error). */
const NO_SNAPSHOT = new Error('no snapshot');

export interface EngineConfig {
  /** Where pyodide.asm.wasm and python_stdlib.zip are served from (browser only). */
  indexURL?: string;
  /**
   * The standard library to import from: the zip with compiled bytecode that the build makes
   * (scripts/compile-stdlib.ts; a cold start ~2 s faster). Node: a file path; by default
   * Pyodide's own zip in `indexURL`, which a browser build replaces with the compiled one.
   */
  stdLibURL?: string;
  /** Bytes of memory (WebAssembly heap and in-memory files together) past which a program is refused more. */
  heapLimitBytes?: number;
  /**
   * A snapshot to restore the interpreter from, or the promise of one (null: there is none):
   * Pyodide's own (as `makeSnapshot` makes it), or Loop Lab's packed form of one
   * (snapshot-pages.ts, told by its magic number), or a Blob holding the packed form: as the
   * browser edition's page hands it over, inflated once for all its workers, or gzipped, told by
   * gzip's magic number (inflated here, while Pyodide makes its module). Falls back to a cold
   * start if it cannot.
   */
  snapshot?: Uint8Array | Blob | PromiseLike<Uint8Array | Blob | null> | null;
  /**
   * Who makes Pyodide's module (the default export of pyodide.asm.mjs, or one compiled with a
   * code cache: pyodide-code-cache.ts); by default Pyodide's own import, from `indexURL` if
   * given. With one (or `indexURL`), a packed snapshot is restored sparsely, straight from its
   * pages (sparse-restore.ts); without either, it is unpacked and restored by Pyodide, whole.
   */
  moduleMaker?: ModuleMaker;
  /** On a cold start, make a snapshot of the started interpreter (`Engine.snapshot`). */
  makeSnapshot?: boolean;
  /** Called once Python is up and before any program runs (the browser worker locks itself down). */
  afterStart?: (pyodide: PyodideAPI) => void;
  /** Called when the snapshot given cannot be used and Python starts cold instead (the worker tells its host). */
  onStartingCold?: (why: string) => void;
  /**
   * Called once, when everything a restore needs is in hand (Pyodide's module made, with its
   * WebAssembly and standard library; the snapshot read and inflated) and the restore begins:
   * from then on only this thread's work is left (the worker tells its host, whose wait for a
   * restore starts then). Without a module maker, when the snapshot's bytes are ready.
   */
  onRestoring?: () => void;
}

/** How an interpreter came to be, for `Engine.made`. */
interface MadeHow {
  config: EngineConfig;
  /** performance.now() as the engine's start began (ms). */
  started: number;
  heapLimit: number;
  restored: boolean;
  /** The snapshot this start made (a cold start asked for one), else null. */
  snapshot: Uint8Array | null;
  /** Why the snapshot it was given could not be used, if it could not. */
  rejected: string | null;
}

/** What the tracer's `run()` returns: the end of the trace and how the run ended. */
export interface RunSummary {
  /** The wire events not sent in chunks (JSON text, see wire.py). */
  wire: string;
  /** The line numbers of the LINE events among them. */
  lines: Int32Array<ArrayBuffer>;
  /** The program's exit status, as `python3` would give it (2 when Loop Lab ended it). */
  status: number;
  /** True when a limit ended the run. */
  limited: boolean;
  /** The virtual clock at the end, in seconds. */
  clock: number;
  /** Real time the run took, in ms. */
  wallMs: number;
  /** Set when something not the tracer's was written to the trace device: the trace cannot be trusted. */
  damaged: string | null;
}

/** The summary as the tracer writes it (JSON). */
interface TracerFinish {
  events: unknown[];
  lines: number[];
  status: number;
  limited: boolean;
  clock: number;
  wallMs: number;
}

interface TracerModule {
  run(source: string, filename: string, optionsJson: string): string;
  run_plain(source: string, filename: string): number;
}

/** The parts of Emscripten's module and file system the engine uses (not in Pyodide's public types). */
interface EmscriptenFS extends CappedFS, StampedFS {
  makedev(major: number, minor: number): number;
  /** Makes a device file; `major` is the next device major it gives out (from 64; unset before its first). */
  createDevice: { major?: number };
  registerDevice(dev: number, ops: DeviceOps): void;
  mkdev(path: string, dev: number): void;
  mkdirTree(path: string): void;
  unlink(path: string): void;
  rmdir(path: string): void;
  /** The number the next node made gets (FSNode's `id`, a file's `st_ino`). */
  nextInode: number;
  writeFile(path: string, data: string | Uint8Array): void;
}

interface DeviceOps {
  open?(stream: unknown): void;
  close?(stream: unknown): void;
  read?(stream: unknown, buffer: Uint8Array, offset: number, length: number, position: number): number;
  write?(stream: unknown, buffer: Uint8Array, offset: number, length: number, position: number): number;
  llseek?(stream: unknown, offset: number, whence: number): number;
}

interface PyodideInternals {
  _module: {
    HEAP8: Uint8Array;
  } & EmscriptenSockets &
    AllocatorModule;
  FS: EmscriptenFS;
  makeMemorySnapshot(options?: object): Uint8Array;
}

/** The longest run summary the tracer writes (status, limit flag, clock, wall time: ~100 characters), with room. */
const MAX_SUMMARY_CHARS = 4096;
/** How much of the interpreter's memory `retire` wipes between two chances to stop it (bytes). */
const RETIRE_SLICE_BYTES = 1 << 20;
const TRACE_DEVICE = '/dev/looplab-trace';
const MEMORY_DEVICE = '/dev/looplab-memory';


/**
 * Every method of the console does nothing until the function returned is called, which puts
 * them back. For a restore that may fail: what Pyodide says of it is not the learner's business.
 */
function silenceConsole(): () => void {
  const methods = console as unknown as Record<string, unknown>;
  const kept = new Map<string, unknown>();
  for (const name of Object.keys(methods)) {
    if (typeof methods[name] !== 'function') continue;
    kept.set(name, methods[name]);
    methods[name] = () => {};
  }
  return () => {
    for (const [name, method] of kept) methods[name] = method;
  };
}

/**
 * What the worker's own code asks of the interpreter's memory once a program may have run, kept
 * as this module loads, before any program: %TypedArray%.prototype's `fill` and its `buffer` and
 * `length` getters, ArrayBuffer.prototype's `byteLength` getter, WebAssembly.Memory.prototype's
 * `buffer` getter, and Reflect.apply to call them with. A program that reached JavaScript
 * (attack 74's memory, a forged JsProxy) reaches those prototypes from any typed array it is
 * handed (PyProxy's toJs of a list of bytes makes one); the realm lock freezes them once Python
 * is up (realm-lockdown.ts), and what the engine keeps here holds whether or not it did. Looked
 * up at the time, a replaced `fill` (Function.prototype: it does nothing) left
 * `retire`'s wipe undone, and the interpreter whole for what the program left to be called back
 * after its run (attack 77); a replaced `byteLength` decided what the memory cap counted.
 */
const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
/** The getter of `name` on `target`, as the realm made it. */
function keptGetter(target: object, name: string): (this: unknown) => unknown {
  const getter = Object.getOwnPropertyDescriptor(target, name)?.get;
  if (!getter) throw new Error(`${name} has no getter to keep`);
  return getter;
}
const KEPT = {
  apply: Reflect.apply,
  Uint8Array,
  Int32Array,
  fill: (typedArrayPrototype as { fill: (this: Uint8Array, value: number, start: number, end: number) => Uint8Array }).fill,
  typedArrayBuffer: keptGetter(typedArrayPrototype, 'buffer'),
  typedArrayLength: keptGetter(typedArrayPrototype, 'length'),
  byteLength: keptGetter(ArrayBuffer.prototype, 'byteLength'),
  memoryBuffer: keptGetter(WebAssembly.Memory.prototype, 'buffer'),
};

/** The length of `view` (a typed array), through the getter kept above. */
function lengthOf(view: ArrayBufferView): number {
  return KEPT.apply(KEPT.typedArrayLength, view, []) as number;
}

/** The bytes of the interpreter's memory: a fresh view of its whole buffer, through the getter kept above. */
function heapView(heap: ArrayBufferView): Uint8Array {
  return new KEPT.Uint8Array(KEPT.apply(KEPT.typedArrayBuffer, heap, []) as ArrayBuffer);
}

let memoryCapped = false;

/**
 * A program that keeps allocating would grow the interpreter's WebAssembly memory until the
 * worker dies. Refusing to grow past a cap makes Python's allocator fail instead, and the
 * program gets a MemoryError at the line that asked (the way CPython reports running out).
 * The files a program writes count too (file-caps.ts). This worker (or worker thread) holds
 * nothing but the interpreter, so the patch is local. The memory's size is read through the
 * getters kept as the module loaded (KEPT).
 */
function capMemoryGrowth(capBytes: number): void {
  if (memoryCapped) return;
  memoryCapped = true;
  const grow = WebAssembly.Memory.prototype.grow;
  // Kept now: a program that reached JavaScript and replaced Function.prototype.call would be
  // handed `grow` and the Memory by `grow.call` (helper-149; realm-lockdown.ts fixes call too).
  const { apply, memoryBuffer, byteLength } = KEPT;
  WebAssembly.Memory.prototype.grow = function cappedGrow(this: WebAssembly.Memory, deltaPages: number): number {
    const size = apply(byteLength, apply(memoryBuffer, this, []), []) as number;
    if (size + deltaPages * 65_536 + fileBytes() > capBytes) {
      throw new RangeError(`Loop Lab refuses to grow Python's memory past ${capBytes / 2 ** 20} MB`);
    }
    return apply(grow, this, [deltaPages]) as number;
  };
}

/**
 * Caps the file system (file-caps.ts), with a pipe made for it: the pipes' write operation is
 * PIPEFS's own, reached only through a pipe's stream. Its two ends are closed after.
 */
function capFiles(pyodide: PyodideAPI, fs: EmscriptenFS, heapBytes: () => number, capBytes: number): void {
  const [reader, writer] = String(pyodide.runPython('",".join(map(str, __import__("os").pipe()))')).split(',').map(Number);
  try {
    capFileSystem(fs, heapBytes, capBytes, writer ?? null);
  } finally {
    pyodide.runPython(`__import__("os").close(${reader}); __import__("os").close(${writer})`);
  }
}

/**
 * Reassembles the frames the tracer writes to the trace device (see wire.py's Channel: JSON
 * length and line bytes, 4 bytes each, little-endian; the JSON; the int32 line numbers). A
 * frame may arrive in several writes: bytes are kept until it is whole, then it goes to
 * `onFrame`. Anything that does not parse (a program writing to the device itself) throws,
 * which ends the run as damaged.
 */
/**
 * The largest frame the tracer writes, in bytes: a chunk holds at most MESSAGE_LINES line
 * steps and the output since the last one (at most the output cap, 2 million characters,
 * which JSON-escaped may take 12 MB). A program can write to the device too: a frame it says
 * is larger is not the tracer's, and is refused before anything is kept for it.
 */
export const MAX_FRAME_BYTES = 64 * 1024 * 1024;

class FrameReader {
  /** Bytes written and not yet read as whole frames: `buffered[0 .. length)`, grown by doubling. */
  private buffered = new Uint8Array(0);
  private length = 0;
  onFrame: ((wire: string, lines: Int32Array<ArrayBuffer>) => void) | null = null;
  /** What was wrong with what was written to the device, once something was. */
  damaged: string | null = null;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });

  /**
   * Takes one write. A frame written a few bytes at a time costs what it weighs (the buffer
   * grows by doubling), not the square of it: a program can write to the device too.
   */
  push(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.buffered.length) {
      const grown = new Uint8Array(Math.max(this.length + bytes.length, this.buffered.length * 2, 64 * 1024));
      grown.set(this.buffered.subarray(0, this.length));
      this.buffered = grown;
    }
    this.buffered.set(bytes, this.length);
    this.length += bytes.length;
    const all = this.buffered;
    // The frames of one write go on as one chunk: a program that writes two million tiny frames
    // at once must not become two million messages for the host (a reviewer's did, and the
    // host, busy with them, let its time limits pass unchecked for a minute).
    const wires: string[] = [];
    const lineParts: Uint8Array[] = [];
    let lineBytesInAll = 0;
    let at = 0;
    while (this.length - at >= 8) {
      const view = new DataView(all.buffer, at, 8);
      const jsonBytes = view.getUint32(0, true);
      const lineBytes = view.getUint32(4, true);
      if (lineBytes % 4 !== 0) throw new Error('a trace frame is malformed');
      if (jsonBytes + lineBytes > MAX_FRAME_BYTES) throw new Error('a trace frame is larger than the tracer ever writes');
      const end = at + 8 + jsonBytes + lineBytes;
      if (end > this.length) break;
      const wire = this.decoder.decode(all.subarray(at + 8, at + 8 + jsonBytes));
      if (!wire.startsWith('[') || !wire.endsWith(']')) throw new Error('a trace frame is not a list of events');
      wires.push(wire);
      // A view: its bytes are copied into the chunk's lines below, before the buffer changes.
      if (lineBytes > 0) lineParts.push(all.subarray(at + 8 + jsonBytes, end));
      lineBytesInAll += lineBytes;
      at = end;
    }
    if (wires.length > 0) {
      let wire = wires[0]!;
      if (wires.length > 1) {
        const inners = wires.map((w) => w.slice(1, -1)).filter((inner) => inner.trim().length > 0);
        wire = `[${inners.join(',')}]`;
      }
      const lines = new Int32Array(lineBytesInAll / 4);
      const asBytes = new Uint8Array(lines.buffer);
      let filled = 0;
      for (const part of lineParts) {
        asBytes.set(part, filled);
        filled += part.length;
      }
      this.onFrame?.(wire, lines);
    }
    if (at > 0) {
      // What is left is less than one frame: moved to the front, once per whole frame read.
      all.copyWithin(0, at, this.length);
      this.length -= at;
    }
  }
}

export class Engine {
  /** The snapshot this engine made on its cold start (null if it was restored or not asked). */
  snapshot: Uint8Array | null = null;
  /**
   * What `time.time()` reads at virtual time 0, in ms since 1970: clock.py's EPOCH, read as
   * the engine starts (read at a run's start, the read's allocations moved where a program's
   * objects landed in memory, and a repr's address differed between runs: tests/determinism.test.ts).
   */
  private virtualEpochMs = 0;
  /** Why the snapshot it was given could not be used, if it could not. */
  snapshotRejected: string | null = null;

  private constructor(
    private readonly pyodide: PyodideAPI,
    private readonly tracer: TracerModule,
    private readonly frames: FrameReader,
    /** The most bytes of memory the interpreter may hold: its heap and its files. */
    readonly heapLimitBytes: number,
    readonly pythonVersion: string,
    readonly startupMs: number,
    /** True when the interpreter was restored from a snapshot. */
    readonly restored: boolean,
    /** The most bytes of memory the memory device has reported (heap and files), to the tracer or anyone. */
    private readonly memory: { peakBytes: number },
  ) {}

  /** The most bytes of memory the tracer (or the program) was ever told the interpreter held: 0 if nobody asked. */
  get memoryPeakBytes(): number {
    return this.memory.peakBytes;
  }

  static async start(loadPyodide: LoadPyodide, config: EngineConfig = {}): Promise<Engine> {
    // Emscripten's wrappers of JavaScript functions compiled once per signature, for this start only.
    const unshare = shareWrapperModules();
    try {
      return await Engine.load(loadPyodide, config);
    } finally {
      unshare();
    }
  }

  private static async load(loadPyodide: LoadPyodide, config: EngineConfig): Promise<Engine> {
    const started = performance.now();
    const heapLimit = config.heapLimitBytes ?? DEFAULT_HEAP_LIMIT;
    capMemoryGrowth(heapLimit);
    const base: PyodideConfig = {
      ...(config.indexURL ? { indexURL: config.indexURL } : {}),
      ...(config.stdLibURL ? { stdLibURL: config.stdLibURL } : {}),
      // LANG is the same in every shell: Emscripten takes it from navigator.language, so it was
      // the learner's browser's (en_US.UTF-8), C.UTF-8 in Node 20 and the host's on Node 21+ (a
      // reviewer's finding): a program's locale, and the build's traces, depended on them.
      env: { PYTHONHASHSEED: '0', HOME: '/home/learner', LANG: 'C.UTF-8' },
      // The program's name, as a browser gives it: in Node, Emscripten took the host's script
      // path (process.argv[1]) for sys.executable, sys.orig_argv and $_ (an attacker's finding).
      _sysExecutable: './this.program',
      // `import js` gives programs an empty namespace, not the worker's global scope.
      jsglobals: Object.create(null) as object,
      // Anything printed outside a run (there should be nothing) must not reach the host.
      stdout: () => {},
      stderr: () => {},
      // Pyodide's hook on the file system before Python starts: the standard library is kept, not copied.
      fsInit: async (fs) => ownStandardLibrary(fs as unknown as StandardLibraryFS),
    };
    let rejected: string | null = null;
    if (config.snapshot) {
      // Who makes Pyodide's module, when the engine can hold the module back until the snapshot
      // has all come and restore it sparsely (sparse-restore.ts): the host's, else Pyodide's own
      // from `indexURL`. Without one, a packed snapshot is unpacked and Pyodide restores it whole.
      const indexURL = config.indexURL;
      const maker: ModuleMaker | null = config.moduleMaker ?? (indexURL === undefined ? null : importedFrom(indexURL));
      /** `bytes`, the whole snapshot Pyodide restores itself (no module maker), once the worker has said it restores. */
      const restoringWhole = (bytes: Uint8Array): Uint8Array => {
        config.onRestoring?.();
        return bytes;
      };
      /** The packed snapshot to restore from, once it has all come (null: Pyodide restores what it was given). */
      let packed: PackedSnapshot | null = null;
      let full: Promise<void> = Promise.resolve();
      // What Pyodide is handed: the snapshot's bytes, or (packed, with a maker) a placeholder of
      // its size (sizedPlaceholder: its length sizes the memory; sparse-restore.ts copies the rest).
      const snapshot = Promise.resolve(config.snapshot).then(async (given): Promise<Uint8Array> => {
        if (given === null) throw NO_SNAPSHOT;
        if (given instanceof Blob && !(await isGzip(given))) given = new Uint8Array(await given.arrayBuffer());
        if (given instanceof Blob) {
          // Inflated while Pyodide makes its module, not before (see inflate).
          const inflation = await inflate(given, heapLimit);
          if (maker === null) return restoringWhole((await inflation.whole).unpack());
          full = inflation.whole.then((whole) => {
            packed = whole;
          });
          full.catch(() => {}); // awaited with the module (below), unless Pyodide failed first
          return sizedPlaceholder(inflation.size);
        }
        if (!PackedSnapshot.isPacked(given)) return maker === null ? restoringWhole(given) : given; // Pyodide's own snapshot, made in this process
        const whole = PackedSnapshot.of(given, heapLimit);
        if (maker === null) return restoringWhole(whole.unpack());
        packed = whole;
        return sizedPlaceholder(whole.size);
      });
      snapshot.catch(() => {}); // awaited by loadPyodide, unless it fails before it gets there
      // A snapshot can be whole and still damaged inside (its gzip is sound, its pages are not):
      // restoring it, or anything asked of the interpreter before it is ready, may then trap
      // ("memory access out of bounds", in 5 of 12 places a 4 kB patch of the packed snapshot
      // was scrambled, measured here), and Pyodide reports that on the console as "a fatal
      // error". Any of it means a cold start, as for any other snapshot that cannot be used,
      // and says nothing to the learner (the console is quiet meanwhile: a Node worker's is the
      // CLI's terminal).
      const loud = silenceConsole();
      try {
        const restored = await loadPyodide({
          ...base,
          _loadSnapshot: snapshot,
          ...(maker === null ? {} : { createPyodideModule: moduleWhenFull(maker, () => full, () => packed, () => config.onRestoring?.()) }),
        } as PyodideConfig);
        // A restored interpreter must be a Loop Lab one, and this build's: its tracer answers,
        // made from these sources (MADE_FROM, set as the snapshot was made).
        const madeFrom = String(restored.runPython('import _looplab.runner\ngetattr(_looplab, "MADE_FROM", "")'));
        if (madeFrom !== tracerFingerprint()) throw new Error(`the snapshot holds another build's tracer (${madeFrom || 'unnamed'}, not ${tracerFingerprint()})`);
        // (Its `pyodide_js` module was unregistered before the snapshot was made: asking again
        // only throws, which costs ~30 ms here.)
        writeTracer(restored);
        return Engine.made(restored, { config, started, heapLimit, restored: true, snapshot: null, rejected: null });
      } catch (error) {
        // Python's WebAssembly did not load: a cold start would fail the same way, and the
        // snapshot is not what failed.
        if (error instanceof WasmNotLoaded) throw error;
        if (error !== NO_SNAPSHOT) rejected = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      } finally {
        loud();
      }
      if (rejected !== null) config.onStartingCold?.(rejected);
    }
    // Cold: no snapshot, or one that could not be used.
    const makeSnapshot = config.makeSnapshot ?? false;
    // The tracer's bytecode comes while Python loads: its import is then no compile (tracer-bytecode.ts).
    const bytecode = tracerBytecode();
    const pyodide = await loadPyodide({ ...base, ...(makeSnapshot ? { _makeSnapshot: true } : {}) });
    closeJsModules(pyodide);
    const dropBytecode = writeTracer(pyodide, await bytecodeWithin(bytecode));
    pyodide.runPython(`import sys\nsys.path.insert(0, ${JSON.stringify(TRACER_DIR)})\nimport _looplab.runner\n_looplab.runner.install()`);
    dropBytecode();
    let snapshot: Uint8Array | null = null;
    if (makeSnapshot) {
      // Which tracer it holds, checked as it is restored (above); and where the JavaScript
      // handles are held, kept in the snapshot: a restore drops just those.
      pyodide.runPython(`import _looplab\n_looplab.MADE_FROM = ${JSON.stringify(tracerFingerprint())}`);
      pyodide.runPython('import _looplab.sandbox\n_looplab.sandbox.record_js_handles()');
      const internals = pyodide as unknown as PyodideInternals;
      // Memory used and freed is kept in the snapshot unless it is zeros (free-memory.ts).
      zeroFreeMemory(internals._module);
      snapshot = internals.makeMemorySnapshot();
    }
    return Engine.made(pyodide, { config, started, heapLimit, restored: false, snapshot, rejected });
  }

  /**
   * The interpreter, restored or started cold (tracer in place), made ready for programs: its
   * ways out closed, its files capped, its devices served. Throws if the interpreter fails on
   * the way (a damaged snapshot's can: see `start`).
   */
  private static made(pyodide: PyodideAPI, how: MadeHow): Engine {
    const { config, started, heapLimit, restored, snapshot, rejected } = how;
    // No JavaScript handle stays within a program's reach (the snapshot needed them in place).
    // Where they are held was recorded just before the snapshot was made: restored or not, an
    // interpreter with a snapshot drops those, without walking every dict again.
    const recorded = restored || snapshot !== null;
    // No program makes, or initialises again, a type whose constructor corrupts memory (type-slots.ts).
    const unmade = parseUnmadeTypes(String(pyodide.runPython('import _looplab.sandbox\n_looplab.sandbox.unmade_types()')));
    clearConstructorSlots(new DataView((pyodide as unknown as PyodideInternals)._module.HEAP8.buffer), unmade);
    pyodide.runPython(`import _looplab.sandbox\n_looplab.sandbox.remove_js_handles(${recorded ? 'True' : 'False'})`);
    // Every interpreter restored from one snapshot starts with the same `random` state; draw a
    // fresh one, as a new process would (hash() stays fixed: PYTHONHASHSEED=0, as before).
    // And Pyodide puts '' at the head of sys.path again as it restores a snapshot (it did so when
    // the snapshot's interpreter started): a restored interpreter's path had it twice, a cold
    // one's once (a reviewer's finding). The first goes: the path is then the cold start's.
    pyodide.runPython(
      restored
        ? "import random, sys\nrandom.seed()\nif sys.path.count('') > 1: sys.path.remove('')\ndel random, sys"
        : 'import random\nrandom.seed()\ndel random',
    );
    const internals = pyodide as unknown as PyodideInternals;
    const heapBytes = (): number => lengthOf(internals._module.HEAP8);
    capFiles(pyodide, internals.FS, heapBytes, heapLimit);
    const frames = new FrameReader();
    const memory = { peakBytes: 0 };
    serveDevices(internals.FS, frames, () => {
      const bytes = heapBytes() + fileBytes();
      memory.peakBytes = Math.max(memory.peakBytes, bytes);
      return bytes;
    });
    dropUnrecordedOutput(pyodide, internals.FS);
    closeProgramSockets(internals._module, internals.FS.ErrnoError);
    const tracer = pyodide.pyimport('_looplab.runner') as TracerModule;
    // Python's version and the virtual clock's start (clock.py's EPOCH, seconds), in one call.
    const [version = '', epochSeconds = ''] = String(pyodide.runPython('import sys, _looplab.clock\nf"{sys.version.split()[0]} {_looplab.clock.EPOCH!r}"')).split(' ');
    config.afterStart?.(pyodide);
    const engine = new Engine(pyodide, tracer, frames, heapLimit, version, performance.now() - started, restored, memory);
    engine.snapshot = snapshot;
    engine.snapshotRejected = rejected;
    engine.virtualEpochMs = Number(epochSeconds) * 1000;
    return engine;
  }

  /** Bytes of memory the interpreter holds: its WebAssembly heap (which never shrinks) and its files. */
  heapBytes(): number {
    return lengthOf((this.pyodide as unknown as PyodideInternals)._module.HEAP8) + fileBytes();
  }

  /**
   * Real ms a fixed piece of pure Python takes here (a loop of 20,000 turns, about 1.6 ms on
   * the 2-core machine this was written on, warm): how fast this machine runs Python right
   * now. Kept short: it is measured before every `ready`, so on the way to a program's first line.
   */
  calibrate(): number {
    // A first, short pass compiles the WebAssembly functions the loop meets (lazily, on first
    // call): measured with them, a fresh browser worker read 20–87 ms against ~2 ms after, which
    // gave every run the longest allowance (8×: 240 s). Then the middle of three passes of
    // 10,000 turns, less the middle of three of none (runPython's own cost: 0.5–0.75 ms in
    // Node here, counted once in a pass of 20,000), doubled, with that cost added once. (Four
    // passes of 20,000 took 50 ms of every `loop-lab run`, whose WebAssembly runs on the
    // baseline compiler only: ~12 ms a pass; now ~20 ms in all.)
    const pass = (turns: number): number => {
      const started = performance.now();
      this.pyodide.runPython(`_n = _i = 0\nfor _i in range(${turns}):\n    _n += _i\ndel _n, _i`);
      return performance.now() - started;
    };
    const middle = (times: number[]): number => times.sort((a, b) => a - b)[1]!;
    pass(1_000);
    const loop = middle([pass(10_000), pass(10_000), pass(10_000)]);
    const overhead = middle([pass(0), pass(0), pass(0)]);
    return Math.max(0, loop - overhead) * 2 + overhead;
  }

  /**
   * Nothing runs in this interpreter again: its memory is wiped (30 MB or more: ~45 ms for a
   * restored interpreter, whose untouched pages the wipe makes the system supply), so
   * any later call into Python (by a promise job, a callback)
   * traps in WebAssembly before it can do anything. For a worker, as soon as its one run
   * returns or fails, in the same JavaScript task, before anything queued can run. Reviewers
   * had JavaScript call back Python a program left behind once the run was over, untraced,
   * with `resolve`/`reject` and so Function: a promise's `then` (Pyodide's converter objects
   * stay alive and gc lists them), made of C callables only (`functools.partial`, `map` …) so
   * that no Python-level hook could refuse it. Nothing is read from it after this: the worker
   * has posted the run's trace and sizes first.
   */
  retire(): void {
    const module = (this.pyodide as unknown as PyodideInternals)._module;
    // Through what the realm had as this module loaded (KEPT): the program may have replaced
    // fill, or the length and buffer getters, since (attack 77).
    const memory = heapView(module.HEAP8);
    const length = lengthOf(memory);
    const { apply, fill } = KEPT;
    // A mebibyte at a time, from JavaScript: a worker being terminated (its host is done with it)
    // is stopped between two slices, where one fill of all of it ran to its end first. Node's
    // process.exit waits for its worker threads, and the CLI's run waited for the whole wipe.
    for (let at = 0; at < length; at += RETIRE_SLICE_BYTES) apply(fill, memory, [0, at, at + RETIRE_SLICE_BYTES]);
  }

  /**
   * From now on in this worker, JavaScript's wall clock reads the virtual clock's start
   * (clock.py's EPOCH), and so do the times of every file the interpreter has (wall-clock.ts).
   * For a worker, as its one run starts.
   */
  stopWallClock(): void {
    stopWallClock((this.pyodide as unknown as PyodideInternals).FS, this.virtualEpochMs);
  }

  /** Runs a program on the same virtual loop without tracing it; returns the real ms it took. */
  runUntraced(source: string, filename: string): number {
    return this.tracer.run_plain(source, filename);
  }

  /**
   * Runs one program. `onChunk` receives the trace, in its wire form, as it is recorded (every
   * `flushSeconds` of real time while the program runs); the rest comes back in the summary.
   * `options` are the tracer's (maxSteps, wallSeconds, maxOutputChars, verify …).
   */
  run(source: string, filename: string, options: Record<string, unknown>, onChunk: (wire: string, lines: Int32Array<ArrayBuffer>) => void): RunSummary {
    this.frames.onFrame = onChunk;
    this.frames.damaged = null;
    try {
      const optionsJson = JSON.stringify({ ...options, heapLimitBytes: this.heapLimitBytes, messageLines: MESSAGE_LINES, messageEvents: MESSAGE_EVENTS, stream: true });
      const damagedRun = (damaged: string): RunSummary => ({ wire: '[]', lines: new Int32Array(0), status: 1, limited: true, clock: 0, wallMs: 0, damaged });
      let text: unknown;
      try {
        text = this.tracer.run(source, filename, optionsJson);
      } catch (error) {
        this.frames.onFrame = null;
        // Something the program wrote to the trace device broke the channel, and the tracer
        // failed on it: the run is damaged, not the interpreter broken.
        const damaged = this.frames.damaged;
        if (damaged === null) throw error;
        return damagedRun(damaged);
      }
      // The tracer's run has returned: nothing written to the trace device from now on is part of
      // it. A program that had the worker call its Python after the run (a static of a builtin
      // replaced, atk-review) wrote a frame here that the host took after the tracer's last one.
      this.frames.onFrame = null;
      // The summary is made in the interpreter the program shares, so it is checked before it is
      // used. Streamed, every event and line went through the trace device (the tracer's
      // _finish flushes first): a summary holding any, or longer than one ever is, is the
      // program's. A reviewer's replaced _finish claimed 100 million line numbers, which
      // Int32Array.from made here (2 GB) before the host could refuse them.
      // A replaced _finish can return any object: Pyodide hands it over as a proxy, whose length
      // reads undefined and whose text (made by JSON.parse) is its __repr__, Python of the
      // program's run after the tracer has ended (a reviewer's was 2 million brackets deep, and
      // the worker's post of it threw, which skipped the wipe). Nothing is asked of it.
      if (typeof text !== 'string') return damagedRun('the run’s summary is not text');
      if (text.length > MAX_SUMMARY_CHARS) return damagedRun('the run’s summary is longer than the tracer ever writes');
      let finish: TracerFinish;
      try {
        finish = JSON.parse(text) as TracerFinish;
      } catch {
        return damagedRun('the run’s summary is not JSON');
      }
      if (!isTracerFinish(finish)) return damagedRun('the run’s summary is not the tracer’s');
      if (finish.events.length > 0 || finish.lines.length > 0) {
        return damagedRun('the run’s summary holds steps the trace device should have carried');
      }
      return {
        wire: JSON.stringify(finish.events),
        // The constructor kept as this module loaded (KEPT), not a static looked up now.
        lines: new KEPT.Int32Array(finish.lines),
        status: finish.status,
        limited: finish.limited,
        clock: finish.clock,
        wallMs: finish.wallMs,
        damaged: this.frames.damaged,
      };
    } finally {
      this.frames.onFrame = null;
    }
  }
}

/** True when `value` has the run summary's shape (runner._finish): its lists, a whole status, a flag and two finite times. */
function isTracerFinish(value: unknown): value is TracerFinish {
  if (typeof value !== 'object' || value === null) return false;
  const finish = value as Record<string, unknown>;
  return Array.isArray(finish.events) && Array.isArray(finish.lines) && Number.isInteger(finish.status)
    && typeof finish.limited === 'boolean' && Number.isFinite(finish.clock) && Number.isFinite(finish.wallMs);
}

/** True when `blob` begins as gzip does (its magic number, 1f 8b): a kept snapshot not yet inflated. */
async function isGzip(blob: Blob): Promise<boolean> {
  const head = new Uint8Array(await blob.slice(0, 2).arrayBuffer());
  return head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Inflates a gzipped packed snapshot (a Blob, as IndexedDB keeps it) with the platform's
 * DecompressionStream (in browsers and in Node alike; before the browser worker's lock-down,
 * `afterStart`). Resolves once its header has come, with the snapshot's size, so that Pyodide
 * can size its memory by it and make its module (import pyodide.asm.mjs, compile and
 * instantiate its wasm: ~0.4 s in Chromium here) while the rest comes in; `whole` settles
 * once every chunk has come, with the snapshot read in place from them (no unpacked copy is
 * made). Rejects if the stream is not gzip, not a packed snapshot, or gives a size over
 * `maxBytes` (the engine's memory cap); `whole`, if the rest is damaged (gzip's own checks, or
 * more or fewer pages than the header says).
 */
async function inflate(blob: Blob, maxBytes: number): Promise<{ size: number; whole: Promise<PackedSnapshot> }> {
  if (blob.size < 18) throw new Error('the snapshot is damaged (too short to be gzip)');
  const reader = blob.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const packed = new PackedSnapshotReader(maxBytes);
  while (packed.size === null) {
    const { done: ended, value } = await reader.read();
    if (ended) throw new Error('the snapshot is damaged (shorter than its header says)');
    packed.push(value);
  }
  const whole = (async () => {
    for (;;) {
      const { done: ended, value } = await reader.read();
      if (ended) break;
      packed.push(value);
    }
    return packed.finish();
  })();
  return { size: packed.size, whole };
}

/** What ownStandardLibrary uses of Emscripten's FS (its `writeFile`, src/lib/libfs.js). */
export interface StandardLibraryFS {
  writeFile(path: string, data: string | ArrayBufferView, options?: { canOwn?: boolean }): void;
}

/** Where Pyodide writes the standard library's zip (`/lib/python314.zip`: installStdlib in pyodide.mjs). */
const STANDARD_LIBRARY_ZIP = /^\/lib\/python\d+\.zip$/;

/**
 * Has Pyodide's one write of the standard library's zip (7 MB, out/pyodide/python_stdlib.zip)
 * keep the bytes it loaded as the file, as Emscripten's `canOwn` allows, instead of copying them:
 * a first write to an empty MEMFS file is a `slice`, 7 MB of fresh memory written at every start
 * (31 ms of the worker's time in a CPU profile of `loop-lab run hello.py` here). Nothing else
 * holds those bytes: Pyodide loaded them for this write alone. Every other write, and any after
 * that one, is Emscripten's own.
 */
export function ownStandardLibrary(fs: StandardLibraryFS): void {
  const writeFile = fs.writeFile;
  fs.writeFile = (path, data, options) => {
    if (options === undefined && STANDARD_LIBRARY_ZIP.test(path) && data instanceof Uint8Array) {
      fs.writeFile = writeFile;
      return writeFile.call(fs, path, data, { canOwn: true });
    }
    return writeFile.call(fs, path, data, options);
  };
}

/**
 * What Pyodide is handed for a snapshot the engine restores itself (sparse-restore.ts): an empty
 * byte array whose `length` is the snapshot's size in bytes. Pyodide reads only that length
 * before the restore, to size the interpreter's memory (`prepareSnapshot` in pyodide.mjs,
 * 314.0.7: `INITIAL_MEMORY = snapshot.length`), and the restore it then calls is
 * `restoreSparsely`'s, which reads the packed snapshot instead. A real array of that size
 * (30 MB) was never written either, but V8 counted it as memory held: on `loop-lab run` it added
 * to the garbage collections of the start, while nothing was made of it. If Pyodide's own
 * restore ever read it, it would find no magic number and refuse it, as it refuses any bad snapshot.
 */
export function sizedPlaceholder(size: number): Uint8Array {
  const placeholder = new Uint8Array(0);
  Object.defineProperty(placeholder, 'length', { value: size });
  return placeholder;
}

/** Pyodide's own module maker, imported from where its files are served (a browser worker). */
function importedFrom(indexURL: string): ModuleMaker {
  return async (settings) => {
    const asm = (await import(/* @vite-ignore */ `${indexURL}pyodide.asm.mjs`)) as { default: ModuleMaker };
    return asm.default(settings);
  };
}

/**
 * `make`, whose module is handed over only once `full()` has resolved: Pyodide restores the
 * snapshot into the module's memory the moment it has the module. With a packed snapshot by
 * then (`packed()`), the restore is sparse (sparse-restore.ts).
 */
function moduleWhenFull(make: ModuleMaker, full: () => Promise<void>, packed: () => PackedSnapshot | null, restoring: () => void): ModuleMaker {
  return async (settings) => {
    const [module] = await Promise.all([make(settings), full()]);
    restoring();
    const snapshot = packed();
    if (snapshot !== null) restoreSparsely(module as RestorableModule, snapshot);
    return module;
  };
}

/** The JavaScript modules Pyodide registers (its own API among them) are not for programs. */
function closeJsModules(pyodide: PyodideAPI): void {
  try {
    pyodide.unregisterJsModule('pyodide_js');
  } catch {
    // Already gone.
  }
}

/**
 * Writes the tracer's package into the interpreter's file system (restored or not: the file
 * system is JavaScript's, not in the snapshot). As bytes: Emscripten's own conversion of a
 * string, a character at a time, took most of the 27–87 ms this cost on a restored start.
 *
 * With `bytecode` (a cold start, which imports the package: tracer-bytecode.ts), each module's
 * `.pyc` goes beside it, where the import looks first; Python uses one only if its source is
 * the one it was compiled from (checked-hash), so a stale build's is compiled again, as if
 * absent. Returns what takes them away once the package is imported: a program then finds the
 * file system a restored interpreter has, to the inode numbers of the files it makes (a cold
 * start's were 30 higher, the `.pyc` files' and their folder's).
 */
function writeTracer(pyodide: PyodideAPI, bytecode: TracerBytecodeFiles | null = null): () => void {
  const fs = (pyodide as unknown as PyodideInternals).FS;
  fs.mkdirTree(`${TRACER_DIR}/_looplab`);
  const utf8 = new TextEncoder();
  for (const [name, text] of Object.entries(TRACER_FILES)) fs.writeFile(`${TRACER_DIR}/_looplab/${name}`, utf8.encode(text));
  if (bytecode === null) return () => {};
  const nextInode = fs.nextInode;
  const folder = `${TRACER_DIR}/_looplab/__pycache__`;
  fs.mkdirTree(folder);
  const written = [...bytecode.files].filter(([name]) => name in TRACER_FILES).map(([name, pyc]) => {
    const path = tracerPycPath(name, bytecode.cacheTag);
    fs.writeFile(path, pyc);
    return path;
  });
  return () => {
    for (const path of written) fs.unlink(path);
    fs.rmdir(folder);
    // Back to the number it had, unless a node made since is alive still (none is: the import
    // keeps nothing open): two live nodes sharing a number would be taken for one another
    // (Emscripten finds a folder's entries by its number, the trace device is told by its).
    fs.nextInode = Math.max(nextInode, highestInode(fs) + 1);
    // The import's finder listed the folder with the bytecode in it (sys.path_importer_cache:
    // a program can read it): listed again, as a start without bytecode left it.
    const folders = JSON.stringify([TRACER_DIR, `${TRACER_DIR}/_looplab`]);
    pyodide.runPython(`import sys\nfor _d in ${folders}:\n    _f = sys.path_importer_cache.get(_d)\n    if _f is not None:\n        _f.invalidate_caches()\n        _f.find_spec("__init__")\ndel _d, _f`);
  };
}

/** The highest number a live node of `fs` has (its root and every node in its name table). */
function highestInode(fs: EmscriptenFS): number {
  let highest = (fs.root as { id?: number } | null)?.id ?? 0;
  for (const first of fs.nameTable ?? []) {
    for (let node = first; node; node = node.name_next) highest = Math.max(highest, (node as { id?: number }).id ?? 0);
  }
  return highest;
}

/**
 * Output the tracer does not record (bytes a program writes to file descriptors 1 and 2
 * itself: the tracer replaces `sys.stdout` and `sys.stderr`) is dropped as it comes, and there
 * is no terminal device. Pyodide's line-batched handlers, and Emscripten's /dev/tty, keep every
 * byte of an unfinished line in a JavaScript array, one element per byte, which no cap counted:
 * 112 MB written to fd 1 with no newline made V8 end the whole process, host and all (a
 * reviewer's attack; exit 133, "invalid size error"), and 60 MB to /dev/tty took 1.6 GB. A
 * program that opens /dev/tty gets FileNotFoundError, as a process with no terminal gets an
 * error from python3. Reading file descriptor 0 (/dev/stdin) gives end of input.
 */
function dropUnrecordedOutput(pyodide: PyodideAPI, fs: EmscriptenFS): void {
  const sink = { write: (buffer: Uint8Array): number => buffer.length };
  pyodide.setStdout(sink);
  pyodide.setStderr(sink);
  // No keyboard: file descriptor 0 is at its end, as python3's is under `< /dev/null`. Pyodide's
  // own read it from Node's process (fd undefined here: the run crashed) or a prompt.
  pyodide.setStdin({ read: () => 0 });
  for (const path of ['/dev/tty', '/dev/tty1']) {
    try {
      fs.unlink(path);
    } catch {
      // Not there: nothing to drop.
    }
  }
}

/** A device number no other device file has: the next major of Emscripten's own counter. */
function nextDevice(fs: EmscriptenFS): number {
  const major = fs.createDevice.major ?? 64;
  fs.createDevice.major = major + 1;
  return fs.makedev(major, 0);
}

/** The two device files the tracer talks to the host through (see wire.py's Channel). */
function serveDevices(fs: EmscriptenFS, frames: FrameReader, memoryBytes: () => number): void {
  // Majors from Emscripten's own counter (FS.createDevice.major): a fixed 64 was /dev/random's,
  // whose reads then came from the trace device and gave b'' (a fresh attacker's finding).
  const traceDevice = nextDevice(fs);
  fs.registerDevice(traceDevice, {
    open: () => {},
    close: () => {},
    read: () => 0,
    write: (_stream, buffer, offset, length) => {
      try {
        if (frames.damaged) throw new Error(frames.damaged);
        frames.push(buffer.subarray(offset, offset + length));
      } catch (error) {
        frames.damaged ??= error instanceof Error ? error.message : String(error);
        throw new fs.ErrnoError(EIO);
      }
      return length;
    },
    llseek: () => 0,
  });
  fs.mkdev(TRACE_DEVICE, traceDevice);
  const memoryDevice = nextDevice(fs);
  const encoder = new TextEncoder();
  fs.registerDevice(memoryDevice, {
    open: () => {},
    close: () => {},
    read: (_stream, buffer, offset, length) => {
      const text = encoder.encode(String(memoryBytes()));
      const n = Math.min(length, text.length);
      buffer.set(text.subarray(0, n), offset);
      return n;
    },
    write: () => {
      throw new fs.ErrnoError(ENOSPC);
    },
    llseek: () => 0,
  });
  fs.mkdev(MEMORY_DEVICE, memoryDevice);
}
