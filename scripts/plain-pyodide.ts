/**
 * Runs one Python file on plain Pyodide, as `python3 FILE.py` would run it: the oracle for
 * corpus programs whose behaviour is new in CPython 3.12+ (this machine's python3 is 3.11).
 *
 *   npx tsx scripts/plain-pyodide.ts FILE.py
 *
 * Plain means none of Loop Lab's runtime: no tracer, no virtual clock, no Task of ours, no
 * changes to tracebacks or warnings. A fresh interpreter (CPython 3.14 from the `pyodide`
 * package) per run, the file written into its file system and compiled from there (so the
 * compiler reads the source lines of its errors from the file, as CPython does), run as
 * `__main__`; what it writes goes to this process's stdout and stderr unchanged, and the exit
 * status is CPython's: the SystemExit code, 1 after an uncaught exception (printed by
 * sys.excepthook), 130 after an uncaught KeyboardInterrupt.
 *
 * asyncio's own loop needs one change to run at all here: its selector loop makes a socket
 * pair to wake itself, which WebAssembly cannot (`OSError: [Errno 28]`). So the loop is
 * CPython's `BaseEventLoop` unchanged, with a selector that only sleeps, in real time, until
 * the next timer is due (there is no I/O to wait for), named `_UnixSelectorEventLoop` as on
 * Linux so that reprs read the same. Pyodide's own `asyncio.run` (its browser loop) is put
 * back to CPython's `asyncio.runners.run`.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadPyodide } from 'pyodide';

const BOOT = `
import asyncio, asyncio.base_events as _be, asyncio.events as _ev, builtins, gc, os, sys, time, types

class _SleepingSelector:
    """No I/O to watch: waiting is sleeping until the next timer is due (real time)."""
    def select(self, timeout=None):
        if timeout is None:
            raise RuntimeError("plain-pyodide: every task waits and no timer is set: "
                               "python3 would wait here forever")
        if timeout > 0:
            time.sleep(timeout)
        return []
    def get_map(self):
        return {}
    def close(self):
        pass

class _UnixSelectorEventLoop(_be.BaseEventLoop):
    def __init__(self, selector=None):
        super().__init__()
        self._selector = _SleepingSelector()
    def _process_events(self, event_list):
        pass
    def _write_to_self(self):
        pass

class _Policy(_ev._BaseDefaultEventLoopPolicy):
    _loop_factory = _UnixSelectorEventLoop

_ev._set_running_loop(None)
_ev._set_event_loop_policy(_Policy())
asyncio.run = asyncio.runners.run

def _run_as_main(path):
    """What python3 PATH does; returns the exit status."""
    module = types.ModuleType("__main__")
    module.__file__ = path
    module.__builtins__ = builtins
    sys.modules["__main__"] = module
    sys.argv = [path]
    sys.path[0:0] = [os.getcwd()]
    status = 0
    try:
        with open(path, "rb") as f:
            source = f.read()
        exec(compile(source, path, "exec"), module.__dict__)
    except SystemExit as exc:
        code = exc.code
        if code is None:
            status = 0
        elif isinstance(code, int):
            status = code
        else:
            print(code, file=sys.stderr)
            status = 1
    except BaseException as exc:
        tb = exc.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename != path:
            tb = tb.tb_next
        sys.excepthook(type(exc), exc, tb)
        status = 130 if isinstance(exc, KeyboardInterrupt) else 1
    # What CPython does at exit: drop the program's objects (warnings may be printed then).
    module.__dict__.clear()
    gc.collect()
    return status
`;

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: tsx scripts/plain-pyodide.ts FILE.py\n');
    process.exit(64);
  }
  const name = basename(file);
  const pyodide = await loadPyodide({ env: { PYTHONHASHSEED: '0', HOME: '/home/pyodide' } });
  const decoder = { out: new TextDecoder(), err: new TextDecoder() };
  pyodide.setStdout({ write: (bytes: Uint8Array) => (process.stdout.write(decoder.out.decode(bytes, { stream: true })), bytes.length) });
  pyodide.setStderr({ write: (bytes: Uint8Array) => (process.stderr.write(decoder.err.decode(bytes, { stream: true })), bytes.length) });
  pyodide.FS.mkdirTree('/home/pyodide/program');
  pyodide.FS.writeFile(`/home/pyodide/program/${name}`, readFileSync(file));
  pyodide.FS.chdir('/home/pyodide/program');
  pyodide.runPython(BOOT);
  const run = pyodide.globals.get('_run_as_main') as (path: string) => number;
  const status = run(name);
  process.exitCode = status;
}

void main();
