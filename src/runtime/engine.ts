/**
 * The runtime engine: one Pyodide interpreter with Loop Lab's tracer installed. Platform
 * neutral: the caller passes in `loadPyodide` (from the npm package in Node, from the app's own
 * origin in a browser worker). It never touches the UI; the worker around it streams chunks.
 */
import type { PyodideAPI, PyodideConfig } from 'pyodide';
import { TRACER_FILES } from './tracer-files';
import { DEFAULT_MAX_STEPS, type RunEnd, type RunOptions } from '../shared/trace';
import { type DecodedChunk, WireDecoder, type WireEvent } from './wire';

export type LoadPyodide = (config?: PyodideConfig) => Promise<PyodideAPI>;

export interface EngineConfig {
  /** Where pyodide.asm.wasm and python_stdlib.zip are served from (browser only). */
  indexURL?: string;
  /** Heap size past which a run is ended with a `memory` limit. */
  heapLimitBytes?: number;
  /** Called once Python is up and before any program runs (the browser worker locks itself down). */
  afterStart?: () => void;
}

/** What the tracer returns when a run is over. */
interface WireFinish {
  events: WireEvent[];
  lines: number[];
  status: number;
  limited: boolean;
  clock: number;
  wallMs: number;
}

interface TracerModule {
  run(
    source: string,
    filename: string,
    optionsJson: string,
    flush: (json: string, lines: PyBytes) => void,
    heapProbe: () => number,
  ): string;
  run_plain(source: string, filename: string): number;
}

/** A Python `bytes` object as JavaScript receives it: a proxy it can copy out of. */
interface PyBytes {
  toJs(): Uint8Array;
}

/** Emscripten's module is not in Pyodide's public types; its heap size is all we read of it. */
interface PyodideInternals {
  _module: { HEAP8: Uint8Array };
}

const TRACER_DIR = '/lib/looplab';

let memoryCapped = false;

/**
 * A program that keeps allocating would grow the interpreter's WebAssembly memory until the
 * worker dies. Refusing to grow past a cap makes Python's allocator fail instead, and the
 * program gets a MemoryError at the line that asked (the way CPython reports running out).
 * This worker (or worker thread) holds nothing but the interpreter, so the patch is local.
 */
function capMemoryGrowth(capBytes: number): void {
  if (memoryCapped) return;
  memoryCapped = true;
  const grow = WebAssembly.Memory.prototype.grow;
  WebAssembly.Memory.prototype.grow = function cappedGrow(this: WebAssembly.Memory, deltaPages: number): number {
    if (this.buffer.byteLength + deltaPages * 65_536 > capBytes) {
      throw new RangeError(`Loop Lab refuses to grow Python's memory past ${capBytes / 2 ** 20} MB`);
    }
    return grow.call(this, deltaPages);
  };
}

export const DEFAULT_HEAP_LIMIT = 384 * 1024 * 1024;

export class Engine {
  private constructor(
    private readonly pyodide: PyodideAPI,
    private readonly tracer: TracerModule,
    private readonly heapLimitBytes: number,
    readonly pythonVersion: string,
    readonly startupMs: number,
  ) {}

  static async start(loadPyodide: LoadPyodide, config: EngineConfig = {}): Promise<Engine> {
    const started = performance.now();
    capMemoryGrowth(config.heapLimitBytes ?? DEFAULT_HEAP_LIMIT);
    const pyodide = await loadPyodide({
      ...(config.indexURL ? { indexURL: config.indexURL } : {}),
      env: { PYTHONHASHSEED: '0', HOME: '/home/learner' },
      // `import js` gives programs an empty namespace, not the worker's global scope.
      jsglobals: Object.create(null) as object,
      // Anything printed outside a run (there should be nothing) must not reach the host.
      stdout: () => {},
      stderr: () => {},
    });
    // Nor may a program reach Pyodide's own JavaScript API (its file system, its loaders).
    pyodide.unregisterJsModule('pyodide_js');
    pyodide.runPython("import sys\nfor _name in ('pyodide_js', 'pyodide_js._api'):\n    sys.modules.pop(_name, None)");
    pyodide.FS.mkdirTree(`${TRACER_DIR}/_looplab`);
    for (const [name, text] of Object.entries(TRACER_FILES)) pyodide.FS.writeFile(`${TRACER_DIR}/_looplab/${name}`, text);
    pyodide.runPython(
      `import sys\nsys.path.insert(0, ${JSON.stringify(TRACER_DIR)})\n` +
        `import _looplab.runner\n_looplab.runner.install()`,
    );
    const tracer = pyodide.pyimport('_looplab.runner') as TracerModule;
    const version = String(pyodide.runPython('import sys; sys.version.split()[0]'));
    config.afterStart?.();
    return new Engine(
      pyodide,
      tracer,
      config.heapLimitBytes ?? DEFAULT_HEAP_LIMIT,
      version,
      performance.now() - started,
    );
  }

  /** Bytes of WebAssembly memory the interpreter holds (it grows, and never shrinks). */
  heapBytes(): number {
    return (this.pyodide as unknown as PyodideInternals)._module.HEAP8.length;
  }

  /** Runs a program on the same virtual loop without tracing it; returns the real ms it took. */
  runUntraced(source: string, filename: string): number {
    return this.tracer.run_plain(source, filename);
  }

  /**
   * Runs one program. `onChunk` receives the trace as it is recorded: in pieces while the
   * program runs (every `flushSeconds`), then the rest before this returns.
   */
  run(
    source: string,
    filename: string,
    options: RunOptions,
    onChunk: (chunk: DecodedChunk) => void,
  ): RunEnd {
    const decoder = new WireDecoder();
    const wireOptions = {
      maxSteps: options.maxSteps ?? DEFAULT_MAX_STEPS,
      wallSeconds: options.wallSeconds ?? 1.5,
      maxOutputChars: options.maxOutputChars ?? 1_000_000,
      verify: options.verify ?? false,
      heapLimitBytes: this.heapLimitBytes,
    };
    const flush = (json: string, lines: PyBytes): void => {
      const bytes = lines.toJs(); // a fresh copy: aligned, and ours to keep
      const lineNumbers = new Int32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
      onChunk(decoder.decode(JSON.parse(json) as WireEvent[], lineNumbers));
    };
    const finish = JSON.parse(
      this.tracer.run(source, filename, JSON.stringify(wireOptions), flush, () => this.heapBytes()),
    ) as WireFinish;
    onChunk(decoder.decode(finish.events, finish.lines));
    return {
      status: finish.limited ? 'limit' : finish.status === 0 ? 'ok' : 'error',
      exitCode: finish.status,
      clock: finish.clock,
      wallMs: finish.wallMs,
      lineSteps: decoder.lineSteps,
      maxSteps: wireOptions.maxSteps,
    };
  }
}
