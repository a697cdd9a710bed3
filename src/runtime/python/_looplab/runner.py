"""Running a program: ``install()`` once, when the interpreter starts; ``run()`` per program.

The host calls ``run(source, filename, options_json)`` and reads back the end of the trace as
JSON; the rest reached it as it was recorded, through the trace device (``wire.Channel``).
"""

import asyncio
import asyncio.events as _events
import asyncio.tasks as _tasks
import builtins
import gc
import io
import json
import linecache
import logging
import sys
import time
import traceback
import types
import warnings
import weakref

from . import current
from .clock import install_virtual_time
from .describe import exception_message, remember_stdlib_values, type_name
from .holders import track_lock_holders
from .identity import address_key, own_dict
from .lines import FOREIGN_TOOL_ID, MONITORING, TOOL_ID, make_foreign_hooks, make_line_hooks, user_code_objects
from .loop import Task, _as_completed, _VirtualLoopPolicy, eager_task_factory
from . import hooks, network, public_net, quietgc, vsocket
from .recorder import Recorder
from .sandbox import close_native_doors, lock_down
from .process_exit import ProcessExit
from . import process_exit
from .stop import StopProgram
from .fdwaits import virtual_fd_waits
from . import excepthook, exitfuncs
from .threads import refuse_threads, virtual_lock_waits
from .streams import _no_input, _Stream
from .tracebacks import (PACKAGE_DIR, PROGRAM_LINES, hide_own_frames, name_stdlib_sources, print_unraisable_as_cpython,
                         read_stdlib_lines)
from . import trusted
from .trusted import own_code
from .wire import E_EXC, E_LIMIT, Channel, encode

# Characters of an uncaught exception's traceback printed past the output cap: the host allows
# this many more (wire.ts, TRACEBACK_ALLOWANCE), so a longer one is shown head and tail.
TRACEBACK_CHARS = 1_000_000
# Characters the program's objects may print as they are dropped at its end, past what it had
# printed (a __del__'s print, "Task was destroyed but it is pending!", "coroutine … was never
# awaited"): the rest is cut silently. The host allows the same (src/runtime/wire.ts,
# TEARDOWN_ALLOWANCE).
TEARDOWN_CHARS = 10_000

_real_perf_counter = time.perf_counter
# sys.monitoring's event numbers, taken as this module loads: never read again from its
# ``events``, which a program reaching the real module could change.
_LINE = MONITORING.events.LINE
_JUMP = MONITORING.events.JUMP
_PY_START = MONITORING.events.PY_START
# An exception's traceback as CPython keeps it (a class may put a property of its own there).
_TRACEBACK = BaseException.__dict__["__traceback__"]
# Taken at import: the teardown calls them after the program, which may rebind gc's and
# weakref's names (its own gc.collect would run where python3 runs none of its code).
_gc_collect = gc.collect
_gc_isenabled = gc.isenabled
_get_limit = sys.getrecursionlimit
_set_limit = sys.setrecursionlimit
_getframe = sys._getframe
_SYS_DICT = sys.__dict__
# Frames Loop Lab's own end of a run may need below run()'s own (the program's exit: its atexit
# functions, the hook, the teardown's __del__ calls, _finish): a program's recursion limit set
# just above its depth made the teardown raise RecursionError, and the run ended "crashed"
# where python3 exits 0 (a reviewer's). 200: ~10 are Loop Lab's; the rest are the program's
# own, at its exit, as python3 runs them near the bottom of its stack.
TEARDOWN_ROOM = 200
_get_referrers = gc.get_referrers
_weakref = weakref.ref

_installed = False
_baseline_modules = frozenset()
_baseline_filters = []


def install():
    """Put the virtual loop and clock in place. Called once, when the runtime starts."""
    global _installed, _baseline_modules, _baseline_filters
    if _installed:
        return
    _installed = True
    _events._set_running_loop(None)
    _events._set_event_loop_policy(_VirtualLoopPolicy())
    asyncio.run = asyncio.runners.run
    _tasks.Task = asyncio.Task = Task
    _tasks.eager_task_factory = asyncio.eager_task_factory = eager_task_factory
    _tasks.as_completed = asyncio.as_completed = _as_completed
    install_virtual_time()
    remember_stdlib_values()  # the Done card's dates and times are the virtual clock's classes
    track_lock_holders()
    refuse_threads()
    virtual_lock_waits()
    virtual_fd_waits()
    vsocket.install()       # asyncio's sockets live on the virtual network
    public_net.install()    # import looplab.net
    process_exit.install()  # os._exit, os.abort, a deadly signal to itself: the program's end, as python3's
    for tool, name in ((TOOL_ID, "looplab"), (FOREIGN_TOOL_ID, "looplab-foreign")):
        if MONITORING.get_tool(tool) is None:
            MONITORING.use_tool_id(tool, name)
    hooks.install()  # the program's own hooks see the program, not the tracer
    original_show = warnings._showwarnmsg_impl

    def show_warning(msg):
        # A warning raised while the program is torn down (a coroutine never awaited, found
        # when its last reference goes) is one CPython reports at exit, as "sys:1".
        if msg.filename.startswith(PACKAGE_DIR):
            msg.filename, msg.lineno, msg.line, msg.source = "sys", 1, None, None
        original_show(msg)

    warnings._showwarnmsg_impl = show_warning
    hide_own_frames()
    print_unraisable_as_cpython()
    quietgc.know_unraisable_hook(sys.unraisablehook)
    name_stdlib_sources()
    read_stdlib_lines()
    lock_down()
    _baseline_filters = list(warnings.filters)
    _baseline_modules = frozenset(sys.modules)
    # Everything alive now (the interpreter, the stdlib, this module) lives for good: keep it
    # out of the collector's sight, so the full collections each run ends with cost ~nothing.
    gc.collect()
    trusted.remember(PACKAGE_DIR)  # its code is what the step budget and hidden frames trust
    gc.freeze()


def run(source, filename, options_json="{}"):
    """Run one program; return the end of its trace (the events not yet sent) as JSON.

    With ``"stream": true`` in the options, the trace goes to the host in chunks every
    ``flushSeconds`` as it is recorded, so that a host which has to stop a runaway program
    still holds its steps; without, all of it comes back here.
    """
    install()
    options = json.loads(options_json)
    # Measured before the program runs (sys._getframe raises an audit event: no hook of the
    # program's is there yet).
    room = _stack_depth() + TEARDOWN_ROOM
    # The worker's interpreter serves this run only (worker-core.ts): nothing need be put back.
    last_run = options.get("lastRun") is True
    rec = Recorder(options, Channel() if options.get("stream") else None)
    process_exit.begin(rec)  # os._exit and the like end this run, from here to its very end
    hooks.begin_run()  # the program's audit hooks are called until its run ends (below)
    saved = _save_process_state()
    globals().pop("__warningregistry__", None)
    mon = MONITORING
    try:
        streams = _install_streams(rec)
        # The program begins, before anything its source decides is done: splitting it into
        # lines and compiling it are its own (a fifth attacker's sources broke the compiler, by
        # its warnings past the output cap, a parser stack overflow, or a WebAssembly stack
        # overflow; 90 MB of source ran out of memory in the split). An empty chunk says so to
        # the host. A run that breaks before the host has heard it broke in Loop Lab's own start
        # of the run, never in the program, and the host takes that as a sign of a damaged
        # snapshot (supervisor.ts, forgetSnapshot: the split's MemoryError had the shipped
        # snapshot refused and the program run again, cold). After it, nothing the program does
        # can unsay it.
        rec.say_begun()
        # Before compiling: the compiler's own warnings (SyntaxWarning: invalid escape
        # sequence …) show their source line through linecache, as python3 reads it from the file.
        try:
            program_lines = source_lines(source)
        except MemoryError as exc:  # a source too big to hold as lines too: as the parser's limits are
            _report_exception(rec, exc)
            return _finish(rec, 1)
        linecache.cache[filename] = (len(source), None, program_lines, filename)
        PROGRAM_LINES[filename] = program_lines  # for sys.unraisablehook, which reads no other
        try:
            code = compile(source, filename, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:  # ValueError: a NUL byte in the source
            _add_source_line(exc, filename, source)
            _report_exception(rec, exc, syntax=True)
            return _finish(rec, 1)
        except StopProgram:  # its warnings (SyntaxWarning …) printed past the output cap
            rec.final([E_LIMIT, rec.stopped.reason, rec.stopped.message])
            return _finish(rec, 2)
        except (MemoryError, RecursionError) as exc:  # the parser's own limits, as python3 meets them
            _report_exception(rec, exc)
            return _finish(rec, 1)
        rec.use_codes(user_code_objects(code))
        module = types.ModuleType("__main__")
        # A str of its own (equal to ``filename``, never the same object): how the teardown
        # finds the module's dict if something still holds it (_namespace_left).
        file_value = module.__file__ = (filename + ".")[:-1]
        module.__builtins__ = builtins
        sys.modules["__main__"] = module
        sys.argv = [filename]  # as `python3 FILE.py` gives it (Pyodide's was [''])
        # The program begins with no garbage of Loop Lab's for the collector to find, as a
        # python3 program begins with none of its start-up's (`python3 -c "import gc;
        # print(gc.collect())"` prints 0, 3.11 and 3.13): the host's own calls into the
        # interpreter since install() froze its start (each Pyodide `runPython` leaves a cycle
        # of `ast.fix_missing_locations`' closure: 11 of them, 33 objects) and this run's
        # preparation are collected now, before the program's first `gc.collect()` could count
        # them (it printed 35 for a cycle of two) or DEBUG_SAVEALL hand them to it in
        # `gc.garbage`. Before the monitoring hooks are set: a weakref callback or __del__ run
        # here is Loop Lab's, not the program's.
        exitfuncs.begin()
        excepthook.begin()
        _gc_collect()
        on_line, on_jump = make_line_hooks(rec)
        mon.register_callback(TOOL_ID, _LINE, on_line)
        mon.register_callback(TOOL_ID, _JUMP, on_jump)
        foreign_hooks = make_foreign_hooks(rec)
        _steps_on(rec, foreign_hooks)
        current.recorder = rec
        status = 0
        uncaught = []  # the learner's uncaught exception, held until teardown (see below)
        last = None  # its event, the run's last, written once the atexit functions are called
        hooked = None  # (that exception, the program's sys.excepthook) for the hook to report
        cap = rec.max_output  # the output cap, before a traceback printed past it raises it
        try:
            try:
                exec(code, module.__dict__)
            finally:
                # Whatever way the program ended, what follows is Loop Lab's code (the
                # traceback or sys.exit's message printed, the atexit functions called): it
                # needs room the program's own limit may not leave. Inline: a call of ours
                # could be the frame too many.
                if _get_limit() < room:
                    _set_limit(room)
        except SystemExit as exc:
            status = _exit_status(rec, exc)
            uncaught.append(exc)  # its frames too are let go at teardown (see below)
        except BaseException as exc:  # the learner's uncaught exception, shown as CPython does
            # No more steps: the run's last event is written next, and a __del__ of the
            # program's, run as its frames are let go, would add lines after it (the host
            # refuses that trace as damaged).
            _steps_off(rec)
            if not isinstance(exc, StopProgram) and rec.stopped is None:
                current.recorder = None
                # CPython ends on an uncaught KeyboardInterrupt by killing itself with SIGINT,
                # which a shell reports as 130 (128 + 2), not 1.
                status = 130 if type(exc) is KeyboardInterrupt else 1  # exactly it, as CPython checks
                hook = excepthook.program_hook()
                if hook is excepthook.DEFAULT:
                    last = _report_exception(rec, exc, final=False)
                    _set_last_exception(exc)
                else:
                    # Handed to the program's hook once out of this except clause: python3 calls
                    # it with no exception being handled (its error has no __context__).
                    hooked = (exc, hook)
                # Its frames, and the program's objects they hold, are let go at teardown, as
                # CPython lets go of sys.last_exc at exit: what their __del__ prints is kept
                # with what the program's other objects print then (TEARDOWN_CHARS), not cut
                # at the output cap the traceback has just reached.
                uncaught.append(exc)
            exc = hook = None
        if hooked is not None:
            last, status = _report_through_hook(rec, *hooked, foreign_hooks, status)
            hooked = None
        _call_exit_functions(rec, foreign_hooks, cap)
        current.recorder = None
        rec.running = None
        if type(rec.stopped) is ProcessExit:
            # os._exit(n), os.abort(), a deadly signal to itself: python3's process ends there,
            # and nothing more runs: no teardown (its collections, __del__ and atexit
            # functions). The run's end is the program's own, with that status (_finish).
            _steps_off(rec)
            return _finish(rec, status)
        if rec.stopped is not None:
            rec.final([E_LIMIT, rec.stopped.reason, rec.stopped.message])
            status = 2
        elif last is not None:
            rec.final(last)
        _steps_off(rec)
        main = [module]  # the teardown lets go of the module: this frame holds it no more
        module = None
        _teardown_program(rec, main, uncaught, streams, file_value)
        return _finish(rec, status)  # or a __del__'s os._exit's status
    finally:
        if _get_limit() < room:  # as after the program: Loop Lab's own calls below need room
            _set_limit(room)
        current.recorder = None
        hooks.end_run()  # what follows is Loop Lab's: no audit hook of the program's sees it
        excepthook.end()
        _put_back_streams(saved)
        mon.set_events(FOREIGN_TOOL_ID, 0)
        for tool in (TOOL_ID, FOREIGN_TOOL_ID):
            for event in (_LINE, _JUMP, _PY_START):
                mon.register_callback(tool, event, None)
        if rec.channel is not None:
            rec.channel.close()
        exitfuncs.forget()
        PROGRAM_LINES.pop(filename, None)
        if not last_run:
            _tidy_process_state(saved, filename)
        # A run that was stopped (a limit, a deadlock) leaves its tasks pending, held by the
        # StopProgram's traceback, which this recorder holds: let go of both, so that they
        # are collected now, with the streams already restored (a stopped program never
        # reaches its exit, so what its objects print as they go is nobody's output), and
        # not in the next run, where "Task was destroyed but it is pending!" would land in
        # another program's trace.
        exited = type(rec.stopped) is ProcessExit
        if rec.stopped is not None and (exited or last_run):
            # Nothing of the program's is let go after its run, as python3's process lets go
            # of nothing after os._exit: a __del__ run there was unrecorded (one that called
            # os._exit again ended the worker; one that looped held a stopped run to the
            # host's time limit, a reviewer's). Its interpreter serves no other run.
            _exited.append(rec.stopped)
        elif rec.stopped is not None:
            rec.stopped.__traceback__ = None
        del rec
        if not exited and not last_run:
            quietgc.collect_quietly()  # no callback of the program's: its run is over
        process_exit.end()


# What stopped a run, kept with the frames and objects it holds for as long as the interpreter
# lives: the ProcessExit of a run that ended itself at once (os._exit …), and, in a worker's one
# run, the limit that stopped it.
_exited = []
# The streams of the program's found in sys at a run's end, kept as _exited is: let go of after
# the run, their __del__ ran uncounted (_put_back_streams).
_STREAMS_LEFT = []


def _finish(rec, status):
    """The run's summary, as JSON. The rest of the trace goes to the host through `flush`;
    without one, it comes back in the summary (line numbers as a JSON list). A run the program
    ended itself at once (ProcessExit: os._exit …) ends with that status, not as limited."""
    exited = type(rec.stopped) is ProcessExit
    if exited:
        status = rec.stopped.status
    if rec.channel is not None:
        rec.flush()
    rec.mark_lines()
    events, lines = rec.take_chunk()
    # Read as int32s, as the host reads them (the array's own items are unsigned: LINE_TYPECODE).
    return encode({"events": events, "lines": memoryview(lines).cast("B").cast("i").tolist(), "status": status,
                       "limited": rec.stopped is not None and not exited,
                       "clock": rec.clock,
                   "wallMs": (_real_perf_counter() - rec.started) * 1000})


def _steps_on(rec, foreign_hooks):
    """The program's steps are counted and recorded: LINE and JUMP events from its code, and
    the hooks (lines.make_foreign_hooks: ``(on_start, on_line, on_jump)``) that count the
    lines of code it compiles itself."""
    mon = MONITORING
    for c in rec.user_codes:
        mon.set_local_events(TOOL_ID, c, _LINE | _JUMP)
    on_start, on_foreign_line, on_foreign_jump = foreign_hooks
    mon.register_callback(FOREIGN_TOOL_ID, _PY_START, on_start)
    mon.register_callback(FOREIGN_TOOL_ID, _LINE, on_foreign_line)
    mon.register_callback(FOREIGN_TOOL_ID, _JUMP, on_foreign_jump)
    mon.set_events(FOREIGN_TOOL_ID, _PY_START)


# What PyErr_Print (Python/pythonrun.c) keeps of an uncaught exception, in ``sys``.
_LAST_EXCEPTION = ("last_exc", "last_type", "last_value", "last_traceback")


def _set_last_exception(exc):
    """The uncaught ``exc`` (its traceback from the program's first frame: _report_exception),
    in ``sys`` as python3 keeps it once its traceback is printed: an ``atexit`` function (or a
    ``__del__`` at exit) reads it there (python3.13: ``sys.last_exc``, ``last_value``,
    ``last_type``, ``last_traceback``; each was None here, a reviewer's finding)."""
    try:
        sys.last_exc = sys.last_value = exc
        sys.last_type = type(exc)
        sys.last_traceback = _TRACEBACK.__get__(exc)
    except BaseException:  # a key of the program's in sys's dict whose __eq__ raises
        pass  # python3 reports it as an ignored exception and goes on; not kept here


def _call_exit_functions(rec, foreign_hooks, cap):
    """The program's ``atexit`` functions, called as its code (exitfuncs.py): once its main
    module has ended and any uncaught exception's traceback or exit message is printed, before
    that exception's event (the run's last) is written, with its steps counted and recorded
    again (_steps_on: the uncaught exception's report had them off) and the run's recorder
    current (its clock, its loop if one calls ``asyncio.run``). Not after a limit (the run
    ended there), nor once a traceback or exit message went past the output ``cap`` (the
    host takes nothing but that text and the exception's event then: wire.ts, pastCap)."""
    if rec.stopped is not None or rec.output_chars > cap:
        exitfuncs.forget()
        return
    # What the run printed goes out first, as the teardown's does: a function that breaks the
    # interpreter itself (``atexit.register(atexit._run_exitfuncs)`` recurses in C until
    # WebAssembly's stack runs out: a reviewer's) lost it all ('end', printed before).
    rec.flush()
    _steps_on(rec, foreign_hooks)
    current.recorder = rec
    try:
        exitfuncs.call_all()
    except BaseException:  # C reports each function's error itself; nothing else is expected
        pass
    finally:
        current.recorder = None
        rec.running = None


def _steps_off(rec):
    """The program's steps have ended: no more LINE events from its code, and no more counting
    of the code it compiles itself (whose hooks look at the limits: a limit reached by a
    __del__'s exec at teardown, after the run's last event, left the run's summary saying
    "limited" with no limit in its trace, which the host refuses)."""
    mon = MONITORING
    for c in rec.user_codes:
        mon.set_local_events(TOOL_ID, c, 0)
    mon.set_events(FOREIGN_TOOL_ID, 0)
    for event in (_LINE, _JUMP, _PY_START):
        mon.register_callback(FOREIGN_TOOL_ID, event, None)


def _exit_status(rec, exc):
    """The exit status of ``sys.exit(code)`` as a shell gets it from python3, after printing the
    message a code other than an int or None stands for, as CPython does
    (``_Py_HandleSystemExit``, Python/pythonrun.c): its ``code``, or the exception itself if
    reading that fails (a subclass's property may raise); an int by its type, not its
    ``__class__``; its value as a C long holds it, not its ``__int__``; the message by
    ``str()``, not ``format()``. Each of those is the program's to change, and crashed the
    worker or gave another status."""
    try:
        code = exc.code
    except BaseException:
        code = exc
    if code is None:
        return 0
    if issubclass(type(code), int):
        value = int.__int__(code)  # True is 1
        # What the process ends with: the low byte (sys.exit(256) is a success, -1 is 255);
        # one past a C long is -1.
        return value & 0xFF if -2**63 <= value < 2**63 else 255
    try:
        text = str(code) + "\n"
    except BaseException:  # a __str__ of the learner's that raises, or runs past a limit
        text = "\n"  # CPython prints an empty line
    # Printed whole past the output cap, as a traceback is: a program that printed up to the
    # cap and then exited with a message ended as a crash.
    _print_past_cap(rec, text, "message")
    return 1


def _print_past_cap(rec, text, what):
    """Write ``text``, a traceback or an exit message (``what``), to stderr past the output cap,
    as CPython prints one whatever the program printed before: made printable first (object
    addresses swapped for longer stand-ins, lone surrogates escaped: Recorder.printable), then
    cut to what the host allows (_clipped_for_stderr). Cut before, an escaped text went past
    that, and the run was refused as damaged. The cap is raised to what it takes, never lowered."""
    # After the bytes the program left cut on stderr's buffer, as a terminal shows them.
    text = rec.streams[1].cut_text() + text if rec.streams else text
    text = _clipped_for_stderr(rec.printable(text), what)
    rec.max_output = max(rec.max_output, rec.output_chars + len(text))
    rec.last_words = True
    try:
        rec.write("stderr", text, as_printed=True)
    finally:
        rec.last_words = False


def _clipped_for_stderr(text, what):
    """A traceback or exit message as it is printed past the output cap: at most about
    TRACEBACK_CHARS characters, a longer one cut in the middle with a line saying so."""
    if len(text) <= TRACEBACK_CHARS:
        return text
    half = TRACEBACK_CHARS // 2
    return (f"{text[:half]}\n… ({len(text) - 2 * half:,} characters of the {what} not "
            f"shown) …\n{text[-half:]}")


def _install_streams(rec):
    """The run's sys.stdout and sys.stderr, returned too: the runner ends their bytes at teardown."""
    sys.stdout = _Stream(rec, "stdout")
    sys.stderr = _Stream(rec, "stderr")
    builtins.input = _no_input
    rec.streams = (sys.stdout, sys.stderr)
    return rec.streams


def _program_traceback(exc):
    """``exc``'s traceback from the learner's first frame on (Loop Lab's frames under it left
    out), set as its ``__traceback__`` too, as python3's would begin at the program's module.
    Read and set by CPython's own descriptor: a class of the program's may put a property of
    its own there (one with no setter crashed the worker; python3 prints the traceback)."""
    tb = _TRACEBACK.__get__(exc)
    while tb is not None and own_code(tb.tb_frame.f_code):
        tb = tb.tb_next
    _TRACEBACK.__set__(exc, tb)
    return tb


def _traceback_text(exc, tb):
    """``(text, te)``: the traceback python3's default hook prints for ``exc`` from ``tb``, and
    the TracebackException it was made from (None if making it raised: a learner's exception
    whose ``__str__``, ``__notes__`` … raise anything, whose text is then python3's
    "<exception str() failed>")."""
    try:
        te = traceback.TracebackException(type(exc), exc, tb, compact=True)  # as format_exception makes it
        return "".join(te.format()), te
    except BaseException:
        return f"{type_name(exc)}: <exception str() failed>\n", None


def _report_through_hook(rec, exc, hook, foreign_hooks, status):
    """The program's uncaught ``exc`` handed to the ``hook`` it put in ``sys.excepthook`` (or
    MISSING: it deleted it), as python3 hands it (excepthook.py): the hook is the program's
    code, its lines shown and counted (_steps_on) and its limits the run's. Returns ``(event,
    status)``: the exception's event for the run's last (None once a limit was reached), its
    message made without the program's ``__str__`` (describe.exception_message: python3 never
    calls it here), and the exit status, which a SystemExit from the hook sets as sys.exit does."""
    tb = _program_traceback(exc)
    _set_last_exception(exc)  # before the hook, as _PyErr_PrintEx sets them
    if hook is excepthook.MISSING:
        _print_past_cap(rec, "sys.excepthook is missing\n", "traceback")
        return _report_exception(rec, exc, final=False), status
    rec.flush()  # what the program printed goes out first, as before atexit functions
    _steps_on(rec, foreign_hooks)
    current.recorder = rec
    failed = None
    try:
        hook(type(exc), exc, tb)
    except StopProgram:  # a limit in the hook, or its os._exit: the run's end is that (run())
        return None, status
    except SystemExit as hook_exit:
        status = _exit_status(rec, hook_exit)
    except BaseException as hook_error:
        failed = hook_error
    finally:
        _steps_off(rec)
        current.recorder = None
        rec.running = None
    if failed is not None:
        error_text, _ = _traceback_text(failed, _program_traceback(failed))
        failed = None
        original_text, _ = _traceback_text(exc, tb)
        _print_past_cap(rec, f"Error in sys.excepthook:\n{error_text}\nOriginal exception was:\n{original_text}", "traceback")
    if rec.stopped is not None:
        return None, status
    return [E_EXC, type_name(exc), rec.clipped_message(exception_message(exc)), rec.exception_line(exc)], status


def _report_exception(rec, exc, syntax=False, final=True):
    """Print the traceback CPython would print, from the learner's first frame on, and write
    its event as the run's last (``final``), or return that event for the caller to write
    (None once a limit was reached)."""
    tb = _program_traceback(exc)
    # The exception's str() is called once, as python3 calls it once: the message is the one the
    # traceback's last line shows (TracebackException keeps it, suggestions such as "Did you
    # mean: 'print'?" included). Called again, a __str__ of the learner's that prints printed
    # twice, and one that printed a lot went past the output cap where python3 finishes.
    text, te = _traceback_text(exc, tb)
    # Before the traceback is written: a __str__ of the learner's may print, or raise.
    try:
        if syntax and isinstance(exc, SyntaxError):
            line, message = exc.lineno, str(exc.msg)
        else:
            line, message = rec.exception_line(exc), str(te) if te is not None else str(exc)
    except BaseException:
        line, message = rec.exception_line(exc), "<exception str() failed>"
    if rec.stopped is not None:
        # Its __str__ (or __notes__ …) printed past the output cap: that limit is the run's
        # last event, written by run(), and there is no other.
        return None
    _print_past_cap(rec, text, "traceback")  # a message of megabytes is cut
    event = [E_EXC, type_name(exc), rec.clipped_message(message), line]
    if final:
        rec.final(event)
    return event


def _add_source_line(exc, filename, source):
    """Give a SyntaxError from the compiler the source line python3 shows with it.

    The parser and tokenizer keep the line in ``exc.text``; errors found later, by the symbol
    table and the compiler ('await' outside async function, 'return' outside function …),
    read it from the file named ``filename`` (``PyErr_ProgramTextObject`` in
    Python/errors.c), and the learner's program is no file here, so they had none, and no
    carets. This gives them the line that file would hold, newline included, as CPython reads
    it; the offsets stay CPython's own."""
    if not isinstance(exc, SyntaxError) or exc.text is not None or exc.filename != filename:
        return
    lines = source_lines(source)
    if isinstance(exc.lineno, int) and 1 <= exc.lineno <= len(lines):
        exc.text = lines[exc.lineno - 1]


def source_lines(source):
    """The source's lines as CPython reads a file for a traceback (linecache, through
    ``tokenize.open``) and for a SyntaxError's text: universal newlines, so only \\n, \\r\\n and
    \\r end a line, each read as \\n. Not ``str.splitlines``, which also splits at a form feed,
    U+2028 and others, and so put the wrong line under a traceback's frames after one."""
    return io.StringIO(source, newline=None).readlines()


def _teardown_program(rec, main, uncaught, streams, file_value):
    """What CPython does at exit, in its order (``Py_FinalizeEx`` and ``finalize_modules``,
    Python/pylifecycle.c): the program's objects are dropped, and may print warnings (and
    whatever their ``__del__`` prints), up to TEARDOWN_CHARS more characters; then the bytes
    the program's ``streams`` were given are ended. ``uncaught`` is a list of the uncaught
    exception, or empty; ``main`` a list of the program's module, emptied here; ``file_value``
    the str its ``__file__`` was given (_namespace_left).

    1. One full collection, with the program's ``gc.callbacks`` called and its module and
       uncaught exception still there (``PyGC_Collect()``, and only if the program left the
       collector enabled): a callback or ``__del__`` there reads the program's globals.
    2. No collection after it calls a callback (they are made with ``_Py_GC_REASON_SHUTDOWN``,
       which Python/gc.c calls none for): the callbacks are taken out of ``gc.callbacks`` and
       kept, as python3 keeps them to its end, and none a ``__del__`` puts there is called
       (quietgc.py).
    3. The uncaught exception is let go (``sys.last_exc``, in ``finalize_modules_delete_special``),
       and the module (its place in ``sys.modules``), then a collection: the module's dict,
       kept in a cycle by its functions' ``__globals__``, is collected with the rest, each
       ``__del__`` called while the globals it reads are still there (CPython 3.11 and 3.13
       print "x dropped from the cache" where a ``__del__`` read a global: here it once raised
       NameError, the dict emptied first).
    4. A dict still alive after that (a module the program kept a reference to, or an object of
       Loop Lab's that still holds one of its functions) has its names set to None as
       ``_PyModule_ClearDict`` (Objects/moduleobject.c) sets a live module's, those of one
       underscore first, ``__builtins__`` kept; then one more collection. Unless the module
       is gone and a callback of step 2 holds the dict (a function of the module's): python3
       never frees that dict, and what it holds is never dropped (its ``__del__`` prints
       nothing; python3.13 prints only what the exit's first collection ran)."""
    # What the run printed, and its last event, go out first: a __del__ that never returns
    # (python3 hangs there too) held them back, and the host, which then ends the run for time,
    # had nothing of it to keep, not even what it printed.
    rec.flush()
    rec.max_output = rec.output_chars + TEARDOWN_CHARS
    rec.tearing_down = True
    try:
        if _gc_isenabled():
            _gc_collect()
        quietgc.quiet_program_callbacks()
        uncaught.clear()
        for name in _LAST_EXCEPTION:  # finalize_modules_delete_special sets them to None
            setattr(sys, name, None)
        module = main.pop()
        if sys.modules.get("__main__") is module:
            del sys.modules["__main__"]
        key = address_key(own_dict(module))
        module_alive = _weakref(module)
        module = None
        quietgc.collect_quietly()
        namespace = _namespace_left(module_alive, key, file_value)
        if namespace is not None:
            if module_alive() is not None or not _held_by_callbacks(namespace):
                _clear_module_dict(namespace)
            namespace = None
            quietgc.collect_quietly()
    except BaseException as exc:  # a learner's __del__ may raise; CPython prints and goes on
        rec.write("stderr", f"Exception ignored while finalizing: {exc!r}\n")
    for stream in streams:  # a character its last bytes began, shown as python3's terminal shows it
        stream.end_bytes()


def _namespace_left(module_alive, key, file_value):
    """The program's module dict if it is still alive after the module was let go and collected,
    else None: the module's own (``module_alive``, a weakref to it, still answers), or the dict
    whose address key (identity.address_key) is ``key`` among those that hold ``file_value``,
    the ``__file__`` str the runner made for this module alone (and holds, so that its address
    is never another's). Found so, with nothing put in the dict: the key the teardown once put
    there ("\\x00looplab teardown") was in ``globals()`` for a ``__del__`` to list, where
    python3 has none (a reviewer's). A dict whose ``__file__`` the program rebound is not found,
    and left as it is (python3 would set its names to None)."""
    module = module_alive()
    if module is not None:
        namespace = own_dict(module)
        return namespace if type(namespace) is dict else None
    for holder in _get_referrers(file_value):
        if type(holder) is dict and address_key(holder) == key:
            return holder
    return None


def _held_by_callbacks(namespace):
    """True when a callback of the program's kept at teardown is a function of ``namespace``
    (its ``__globals__``, or its method's function's: read from the types, never by asking
    the program's objects)."""
    for callback in quietgc.quieted:
        if type(callback) is types.MethodType:
            callback = callback.__func__
        if type(callback) is types.FunctionType and callback.__globals__ is namespace:
            return True
    return False


def _clear_module_dict(namespace):
    """Set a module dict's names to None, as ``_PyModule_ClearDict`` (Objects/moduleobject.c)
    does for a module still alive at exit: first the names of one leading underscore, then
    every other but ``__builtins__``, each pass in the dict's order (names only: a key that
    is no str is left, as there)."""
    # By str's own methods: a key may be of a str subclass whose methods are the program's
    # (python3 reads the characters themselves: PyUnicode_READ_CHAR, a reviewer's).
    starts, equal = str.startswith, str.__eq__
    for key in list(namespace):
        if issubclass(type(key), str) and starts(key, "_") and not starts(key, "__"):
            dict.__setitem__(namespace, key, None)
    for key in list(namespace):
        if issubclass(type(key), str) and not equal(key, "__builtins__"):
            dict.__setitem__(namespace, key, None)


def _save_process_state():
    return (sys.stdout, sys.stderr, builtins.input, sys.getrecursionlimit(),
            logging.root.level, list(logging.root.handlers), sys.modules.get("__main__"), sys.argv)


def _put_back_streams(saved, _left=_STREAMS_LEFT, _ours=_Stream):
    """sys.stdout and sys.stderr as they were before the run (``saved``: _save_process_state),
    put in sys's own dict, whose keys are all str once excepthook.end() has run (no __eq__ of
    the program's is asked). Pyodide reports what escapes run() by what sys.excepthook writes
    to sys.stderr as it captures it (wrap_exception): written to the program's stream, it was
    lost, and the host was told only "The Python runtime failed: ". A stream of the program's
    found there is kept (``_left``), not let go of: its __del__ ran after the run's end,
    uncounted (a reviewer's); the run's own (streams._Stream) are let go of, as excepthook.end()
    lets go of all it does not take out."""
    try:
        for name, stream in (("stdout", saved[0]), ("stderr", saved[1])):
            found = dict.get(_SYS_DICT, name)
            if type(found) is not _ours and found is not stream:
                _left.append(found)
            dict.__setitem__(_SYS_DICT, name, stream)
    except BaseException:
        pass


def _stack_depth():
    """Frames on the stack below the caller's, the caller's included."""
    depth = 0
    frame = _getframe(1)
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


def _tidy_process_state(saved, filename):
    """Puts back what the program may have changed in the interpreter (``saved``: from
    ``_save_process_state``; the program's lines in linecache; the modules it imported), for an
    interpreter that runs another program after this one (an Engine of the tests' or the
    bench's, which run well-behaved programs one after another). A worker's serves one run and
    skips this (``lastRun``): what it calls is the program's to rebind (``linecache.cache``,
    ``sys.setrecursionlimit``, ``logging.root``, ``warnings.filters``, ``sys.modules`` …), and
    a rebound one ran the program's code, unrecorded, after its run (one that looped held the
    run to the host's time limit: a reviewer's). Whatever it raises is let be, never raised out
    of ``run`` (Pyodide would report it through ``sys.excepthook``)."""
    try:
        _restore_process_state(saved)
        linecache.cache.pop(filename, None)
        for name in set(sys.modules) - _baseline_modules:
            del sys.modules[name]
    except BaseException:
        pass


def _restore_process_state(saved):
    (sys.stdout, sys.stderr, builtins.input, limit, level, handlers, main, sys.argv) = saved
    sys.setrecursionlimit(limit)
    logging.root.setLevel(level)
    logging.root.handlers[:] = handlers
    warnings.filters[:] = _baseline_filters
    warnings._filters_mutated()
    if main is not None:
        sys.modules["__main__"] = main
    else:
        sys.modules.pop("__main__", None)
    close_native_doors()
    _events._set_running_loop(None)
    try:
        _events._get_event_loop_policy().set_event_loop(None)
    except Exception:
        pass
    current.idle_clock[0] = 0.0


def run_plain(source, filename):
    """Run a program on the same virtual loop, recording nothing; return the real ms it took.

    The benchmark's baseline: tracing overhead is a traced run's time over this one's.
    """
    install()
    code = compile(source, filename, "exec", dont_inherit=True)
    module = types.ModuleType("__main__")
    module.__builtins__ = builtins
    saved = (sys.stdout, sys.stderr)
    sys.stdout = sys.stderr = io.StringIO()
    started = _real_perf_counter()
    try:
        exec(code, module.__dict__)
    finally:
        elapsed = (_real_perf_counter() - started) * 1000
        sys.stdout, sys.stderr = saved
        module.__dict__.clear()
        _events._set_running_loop(None)
        current.idle_clock[0] = 0.0
        network.reset()
        _gc_collect()
    return elapsed
