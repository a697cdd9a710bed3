"""The program's own trace and profile functions see the program, not the tracer.

A program may trace or profile itself (``sys.settrace``, ``sys.setprofile``). In python3 its
functions see its own code, the standard library and C. Here they would also see this
package's code, which runs inside the program's process (``sys.stdout.write`` is a Python
method of the tracer's, the loop's ``_run_once`` is overridden): a trace function that raised
outside the program's module made ``print("hi")`` raise, where python3 prints ``hi``.

So each trace or profile function the program hands over is wrapped: the wrapper passes an
event on unless its frame runs this package's code (the standard library's frames, whoever
called them, are the program's to see, as under python3). ``sys.gettrace()`` and
``sys.getprofile()`` give back the program's own functions, never the wrappers, and
``sys.settrace``, ``sys.setprofile``, their ``*allthreads`` forms (threading's
``settrace_all_threads``) and their getters are named as CPython's. A wrapper is a frame of
this package's: no traceback shows it (tracebacks.py), and a trace function is handed its frame
(bdb's ``trace_dispatch`` reads that, never the stack above it).

``sys.monitoring`` callbacks are not wrapped: a callback finds the frame it is about with
``sys._getframe(1)`` (bdb's monitoring backend, which ``breakpoint()`` uses in 3.14, does),
and a wrapper would be that frame. So a program's tool also sees this package's code, and one
that raises there can break the run (it then ends as crashed; the next run is fresh). The
tracer's two tools (lines.py: TOOL_ID 4, FOREIGN_TOOL_ID 3) are in use, as python3 would say of
any tool another program holds: ``get_tool`` names them and ``use_tool_id`` says "tool N is
already in use"; changing their callbacks or events is refused with a ValueError that says a
program may use tools 0, 1, 2 and 5 (CPython's DEBUGGER_ID, COVERAGE_ID, PROFILER_ID,
OPTIMIZER_ID). The tracer calls the real ``sys.monitoring`` (lines.MONITORING); every function of
the program's is one of this module's, so none leads to it (program_monitoring).

The program's hooks run counted. CPython calls a trace or profile function, and an audit hook,
with its thread's tracing off (``tstate->tracing``: Python/legacy_tracing.c, and
``PyThreadState_EnterTracing`` in ``sys_audit_tstate``, Python/sysmodule.c), and with tracing
off no ``sys.monitoring`` event fires, Loop Lab's line counting among them: a hook's
``while i < 30_000_000`` ran to its end, 11 steps recorded, status 0, past a 1,000,000-line
budget (a reviewer's). So the wrappers call the program's function through ``sys.call_tracing``
(taken at import), which sets tracing back on for that call (``_PyEval_CallTracing``,
Python/ceval.c): its lines are steps of the run, recorded and counted toward the budget. While
one runs (``_inside_hook``), the program's own trace and profile functions are handed nothing,
as python3 hands them nothing of a hook.

The program's audit hooks (``sys.addaudithook``, named as CPython's) see the program, not the
tracer: an event raised while Loop Lab's code runs (the nearest frame that is not the standard
library's is this package's) is not passed on, and none is once the program's run has ended
(``begin_run``, ``end_run``: runner.run). Before, a hook was handed the frames Loop Lab's code
reads (the ``sys._getframe`` event), and through them the tracer's globals: one switched the
step budget off (a reviewer's), and one that raised at the run's last collection, after the
program had ended, ended the run as crashed where python3 exits 0. Left as it differs from
python3: an event a stand-in of Loop Lab's raises as it calls CPython's own function
(``sys.settrace``, ``sys.addaudithook`` …) is not passed on either.
"""

import operator
import sys
import types

from .lines import FOREIGN_TOOL_ID, MONITORING, TOOL_ID
from .trusted import own_code, present_before

_index = operator.index  # taken at import: the program may rebind operator's names

_OWN_TOOLS = (FOREIGN_TOOL_ID, TOOL_ID)

# Taken at import, never read from sys when a hook runs: a program may replace sys._getframe.
_real_settrace = sys.settrace
_real_gettrace = sys.gettrace
_real_setprofile = sys.setprofile
_real_getprofile = sys.getprofile
_real_settrace_all = getattr(sys, "_settraceallthreads", None)
_real_setprofile_all = getattr(sys, "_setprofileallthreads", None)
_getframe = sys._getframe
_call_tracing = sys.call_tracing
# The virtual event loop's file (loop.py): its frames are asyncio's to the program's hooks.
_LOOP_FILE = __file__.rpartition("/")[0] + "/loop.py"
_real_addaudithook = sys.addaudithook

# How many of the program's hooks are running now, called counted (_counted): its trace and
# profile functions are handed nothing meanwhile, as python3 runs a hook with tracing off.
# These three lists are this module's names, which a program can reach (``import
# _looplab.hooks``) and fill with objects of its own: the wrappers CPython calls with tracing off
# read them only by type and identity, never asking an object of the program's for its truth,
# its sum or its equality (a reviewer's ``__bool__`` ran 100,000,000 lines uncounted there, and
# looped after the run's end: attacks 69 and 70), and write only over a slot that holds one of
# their own values (an int, True, False): writing over an object of the program's let go of it
# there, and its ``__del__`` ran uncounted (a second reviewer's, attack 71).
_inside_hook = [0]
# [the number of the run under way (or last), True while it runs]: runner.run's begin_run and
# end_run. An audit hook is called only in the run that added it, until that run's end.
_run = [0, False]
# True while an audit hook's wrapper looks at the stack: the events its own reads raise
# (``sys._getframe``, ``f_code``) are Loop Lab's, never passed on.
_examining = [False]


def _counted(func, args, _call=_call_tracing, _inside=_inside_hook, _type=type, _int=int):
    """``func(*args)`` (``args`` a tuple), a hook of the program's, with its lines counted and
    recorded as the program's (sys.call_tracing: see the module's docstring). What it uses is
    held in its own defaults, which no program can change (codeguard.py), not in this module's
    names. The count is moved only while it is an int: an object of the program's there is
    left where it is (so the trace wrapper hands nothing on), never let go of here."""
    counting = _type(_inside[0]) is _int
    if counting:
        _inside[0] += 1
    try:
        return _call(func, args)
    finally:
        if counting and _type(_inside[0]) is _int and _inside[0] > 0:
            _inside[0] -= 1


def _guarded_trace(func):
    """A trace or profile function that sees only the program's frames (``func`` the program's),
    called counted (_counted). What it returns, the frame's local trace function, is guarded as
    it is (itself, when ``func`` returns ``func``): CPython calls that one for the frame's
    'line', 'return' and 'exception' events (``trace_trampoline``, Python/sysmodule.c), where
    it ran uncounted."""
    # What it uses is held in its own defaults, not looked up in this module's names, which the
    # program can rebind (``_looplab.hooks._counted = …`` made the hook uncounted again: a
    # reviewer's); codeguard.py refuses changes to the defaults of Loop Lab's functions.
    def trace(frame, event, arg, _inside=_inside_hook, _for_program=_for_the_program,
              _count=_counted, _guard=_guarded_trace, _type=type, _int=int):
        depth = _inside[0]
        if _type(depth) is not _int or depth or not _for_program(frame):  # not an int: the program's
            return None
        result = _count(func, (frame, event, arg))
        if result is None:
            return None
        if result is func:
            return trace
        return _guard(result)
    trace._looplab_program_hook = func
    return trace


def _program_hook(hook):
    return getattr(hook, "_looplab_program_hook", hook) if hook is not None else None


def _settrace(function, /):
    _real_settrace(None if function is None else _guarded_trace(function))


def _gettrace():
    return _program_hook(_real_gettrace())


def _swap_profile(real, function):
    # python3's sys.setprofile is C, called under the profile function it replaces: that one
    # sees the call ("c_call") in the program's frame, and the new one, if the call began
    # under a profile function, its return ("c_return"). This one is a frame of this
    # package's, which neither sees: those events are given to them here, with profiling
    # off, as CPython calls a profile function.
    caller = _getframe(2)
    old = _getprofile()
    _real_setprofile(None)
    depth = _inside_hook[0]
    seen = old is not None and _for_the_program(caller) and type(depth) is int and not depth
    if seen:
        _counted(old, (caller, "c_call", real))
    if seen and function is not None:
        _counted(function, (caller, "c_return", real))
    real(None if function is None else _guarded_trace(function))


def _setprofile(function, /):
    _swap_profile(_real_setprofile, function)


def _getprofile():
    return _program_hook(_real_getprofile())


def _own_tool(tool_id):
    """``tool_id`` read once as the real functions read it (an int subclass or an ``__index__``
    of the program's is an int to them: ``I(4)`` got past a ``type(...) is int`` test to
    Loop Lab's own tool, a reviewer's), refused if it is one of Loop Lab's tools; else what to
    hand on: the plain int, never the program's object (an ``__index__`` that raised TypeError
    once, then said 3, was handed on and read again: Loop Lab's tool lost its events, a
    reviewer's). A TypeError is raised here as python3 raises it (operator.index's message is
    PyNumber_Index's); an int out of range goes on for the real function to refuse."""
    tool = int.__int__(_index(tool_id))
    if tool in _OWN_TOOLS:
        raise ValueError(f"tool {tool} is in use by Loop Lab, which traces the program: "
                         "a program may use tools 0, 1, 2 and 5")
    return tool


def _register_callback(tool_id, event, func, /):
    return MONITORING.register_callback(_own_tool(tool_id), event, func)


def _refusing_own_tools(name):
    def call(tool_id, *args):
        return getattr(MONITORING, name)(_own_tool(tool_id), *args)
    return call


def _passing_on(name):
    def call(*args, **kwargs):
        return getattr(MONITORING, name)(*args, **kwargs)
    return call


def _named_as(function, module, name, doc=None):
    """``function``, named as CPython's own ``module.name`` (its repr still says ``function``),
    with ``doc`` if given."""
    function.__name__ = function.__qualname__ = name
    function.__module__ = module
    if doc is not None:
        function.__doc__ = doc
    return function


def program_monitoring():
    """A ``sys.monitoring`` for the program: the real one's names, its functions guarded, and
    every function one of this module's (named as CPython's), never the real one: a builtin
    function's ``__self__`` is its module, and ``sys.monitoring.get_tool.__self__`` handed a
    program the real ``sys.monitoring``, whose ``set_events(3, 0)`` switched off the counting
    of the code it compiled itself (a reviewer's). A function here reaches the real one by its
    name, through this module's ``MONITORING``: none holds it in a closure cell or a default."""
    namespace = types.ModuleType("sys.monitoring")
    guarded = {"register_callback": _register_callback}
    for name in ("set_events", "set_local_events", "free_tool_id", "clear_tool_id"):
        guarded[name] = _refusing_own_tools(name)
    for name in dir(MONITORING):
        if name.startswith("__"):
            continue
        value = getattr(MONITORING, name)
        if type(value) is types.BuiltinFunctionType and name not in guarded:
            guarded[name] = _passing_on(name)
        elif type(value) is types.SimpleNamespace:
            # ``events``: a copy, as writable as python3's; the real one Loop Lab reads is not the
            # program's to change (``sys.monitoring.events.LINE = 0`` broke the run's end: a
            # reviewer's).
            setattr(namespace, name, types.SimpleNamespace(**vars(value)))
        else:
            setattr(namespace, name, value)
    for name, function in guarded.items():
        setattr(namespace, name, _named_as(function, "sys.monitoring", name, getattr(MONITORING, name).__doc__))
    return namespace


def _settraceallthreads(function, /):
    _real_settrace_all(None if function is None else _guarded_trace(function))


def _setprofileallthreads(function, /):
    _swap_profile(_real_setprofile_all, function)


def _for_the_program(frame, _loop_file=_LOOP_FILE):
    """True if ``frame`` (a trace event's, or the innermost Python frame of an audit event) is
    the program's to see: the nearest frame that is neither the standard library's nor the
    virtual event loop's runs the program's code, not the rest of this package's (trusted.py,
    by identity). The standard library's frames are whoever called them's: those Loop Lab's
    own code called (json in the run's summary, io and codecs under its streams), handed to a
    trace function of the program's, called counted, had its lines recorded in the middle of
    the tracer's work, and an ordinary program that left ``sys.settrace`` on ended "damaged"
    (a reviewer's). The loop (loop.py) stands in for asyncio's, whose frames python3's trace
    and profile functions see (a cProfile of the program's counts the coroutines' caller,
    Context.run, in asyncio's Handle._run, which Loop Lab's loop calls). ``frame`` itself is
    never one of this package's, the loop's included: those are never shown."""
    if frame is None or own_code(frame.f_code):
        return False
    while frame is not None:
        code = frame.f_code
        if own_code(code):
            if code.co_filename != _loop_file:
                return False
        elif not present_before(code):
            return True
        frame = frame.f_back
    return False


def _returning_nothing(hook, event, args):
    """Calls an audit hook of the program's and returns None: what the hook returned is let go
    of here, in the counted call (sys.call_tracing), where its __del__ is the program's steps."""
    hook(event, args)


def _addaudithook(hook, /):
    """``sys.addaudithook`` for the program: ``hook`` is added (CPython's own function, which
    raises the ``sys.addaudithook`` event first), wrapped so that it is handed only the events
    the program raises in the run under way, and is called counted (see the module's
    docstring). What the hook raises comes out of the audited operation, as in python3."""
    run = _run[0]
    if type(run) is not int:  # the program's: compared with nothing (its __eq__ would run in the hook)
        run = -1

    def audit(event, args, _examining=_examining, _run=_run, _by_program=_for_the_program,
              _getframe=_getframe, _count=_counted, _nothing=_returning_nothing, _type=type, _int=int):
        # Its own defaults, as trace's in _guarded_trace are. Called only while exactly this run
        # runs: the states read by identity, the run's number as an int.
        number = _run[0]
        if _examining[0] is not False or _run[1] is not True or _type(number) is not _int or number != run:
            return
        _examining[0] = True
        try:
            by_program = _by_program(_getframe(1))
        finally:
            _examining[0] = False
        if by_program:
            # What the hook returns is let go of inside the counted call (_returning_nothing):
            # dropped here, with tracing off, an object of the program's ran its __del__
            # uncounted (a reviewer's: 100,000,000 lines at a 1,000-step budget; attack 71).
            _count(_nothing, (hook, event, args))

    _real_addaudithook(audit)


def begin_run():
    """A program's run begins: the audit hooks it adds are called from now on."""
    number = _run[0]
    _run[0] = (number if type(number) is int else 0) + 1
    _run[1] = True


def end_run():
    """The program's run has ended: no audit hook of its is called again (runner.run's teardown
    and the runs after it are Loop Lab's). Anything but True there is the program's, and already
    calls no hook: it is left where it is, not let go of after the run."""
    if _run[1] is True:
        _run[1] = False


def install():
    """Give the program guarded hooks (once, at install: before any snapshot is made).
    threading.settrace_all_threads and setprofile_all_threads call the ``sys`` ones."""
    sys.monitoring = program_monitoring()
    hooks = {"settrace": _settrace, "gettrace": _gettrace, "setprofile": _setprofile, "getprofile": _getprofile,
             "addaudithook": _addaudithook}
    if _real_settrace_all is not None:
        hooks["_settraceallthreads"] = _settraceallthreads
    if _real_setprofile_all is not None:
        hooks["_setprofileallthreads"] = _setprofileallthreads
    for name, function in hooks.items():
        setattr(sys, name, _named_as(function, "sys", name))
