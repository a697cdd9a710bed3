"""The collections of a program's teardown after the first: none calls a callback of the program's.

CPython's exit collects once with ``gc.callbacks`` called (``PyGC_Collect()`` in
``Py_FinalizeEx``, Python/pylifecycle.c); every later collection of its exit is made with
``_Py_GC_REASON_SHUTDOWN``, for which Python/gc.c calls no callback at all, wherever in the list
it stands and whenever it was put there. Python cannot make a collection of that reason, and
gc's list is the one ``gc.callbacks`` names (a program may keep it under another name too), so
here:

* the program's callbacks are taken out of gc's list before each such collection, and kept to
  the end of the run (``quieted``), as python3 keeps them to its end (a callback keeps what it
  refers to alive: its module's globals among them);
* one a ``__del__`` puts in the list during the collection, anywhere in it, is kept from
  running: once the collection has ended (gc's count of full collections has moved: Python/gc.c
  counts it just before it calls the "stop" callbacks), Python frames are refused as they start,
  by a ``PY_START`` hook of the tracer's tool (lines.TOOL_ID), and once one is, every frame after
  it: the callback's own, a C callback's call into Python (``print`` calls
  ``sys.stdout.write``), the code of the program's an import of the standard library's would run
  (``__import__`` given a module it wrote), and the unraisable hook gc calls about the refusal,
  whose report is refused in turn (or, the tracer's, prints nothing for it:
  tracebacks.RefusedCallback). Then the list is emptied again. Before, a guard first in the list
  took out what was appended after it, and one inserted before it (``gc.callbacks.insert(0,
  f)``) was called: one that never returned held the run 8 s, where python3 ends at once (a
  reviewer's). A suspended generator or coroutine gc's callback resumes (``max`` comparing
  with a ``__lt__ = g.send``), or throws into, is refused as it resumes (``PY_RESUME``,
  ``PY_THROW``): a reviewer's, which printed "resumed in gc stop".

The hook runs for every frame the teardown's ``__del__``s start, so it reads gc's count only for
a frame gc could have started as a callback (any called straight from the collecting frame:
a __del__ a C callback sets off takes one argument, and one that printed got through a
narrower rule, a reviewer's), or a frame of the program's that code there before it started; code that was there
before the program (trusted.present_before) is left alone after its first start (``DISABLE``),
but for ``sys.stdout.write`` and the tracer's hook. (130,000 ``__del__``s printing at exit took
4.5 s more without that, past the host's 8 s: a robustness test.) Left: a function of the
standard library's already started during the collection, put there as a callback, is not
refused (``logging.warning`` would print "WARNING:root:stop"); what it starts of the program's
is.
"""

import gc
import sys

from .lines import MONITORING, TOOL_ID
from .streams import _Stream
from .tracebacks import RefusedCallback
from .trusted import present_before

# gc's own list of callbacks, taken as this module loads: a program may bind gc.callbacks to
# another list (which CPython then never calls), never replace this one.
_GC_CALLBACKS = gc.callbacks
# Taken at import: a program may rebind the modules' names.
_collect = gc.collect
_get_stats = gc.get_stats
_getframe = sys._getframe
_PY_START = MONITORING.events.PY_START
# A suspended generator or coroutine gc resumes, or throws into (a callback that reaches g.send
# through C, max comparing with a __lt__ = g.send: a reviewer's): PY_START does not see it.
_PY_RESUME = MONITORING.events.PY_RESUME
_PY_THROW = MONITORING.events.PY_THROW
_register_callback = MONITORING.register_callback
_set_events = MONITORING.set_events
_DISABLE = MONITORING.DISABLE
_sys = sys
_trusted = present_before
# The tracer's own sys.unraisablehook (tracebacks.py) and its code, once installed (runner.install).
_TRACER_HOOK = [None, None]
_WRITE_CODE = _Stream.write.__code__  # what print calls: sys.stdout's and sys.stderr's

# The program's callbacks taken out at its teardown, kept to the end of the run.
quieted = []


def know_unraisable_hook(hook):
    """``hook`` is the tracer's own ``sys.unraisablehook``: gc may call it about a refused callback."""
    _TRACER_HOOK[:] = [hook, hook.__code__]


def quiet_program_callbacks():
    """Take the program's ``gc.callbacks`` out of gc's list, keeping them (``quieted``)."""
    quieted.extend(_GC_CALLBACKS)
    del _GC_CALLBACKS[:]


def collect_quietly():
    """A collection of the shutdown's, which calls no callback of the program's (see the
    module's docstring)."""
    quiet_program_callbacks()
    collecting = _getframe()
    collections = _get_stats()[-1]["collections"]  # of the oldest generation: a full collection's
    ended = [False]

    def refuse_after_the_collection(code, offset):
        # Cheap for the thousands of frames a teardown's __del__s start: gc's count is read only
        # for a frame gc could have started as a callback (any it starts straight from the
        # collecting frame), or one of the program's that code of the standard
        # library's or Loop Lab's started (an import of a module it wrote); code that was there
        # before the program is left alone after its first start (DISABLE), so that print's
        # sys.stdout.write costs nothing the next 130,000 times (a robustness test).
        if ended[0]:
            raise RefusedCallback
        caller = _getframe(1).f_back
        watched = code is _WRITE_CODE or code is _TRACER_HOOK[1]
        if caller is collecting:
            # Any frame gc starts straight from the collecting frame, whatever it takes: a
            # __del__ or weakref callback a C callback sets off takes one argument (a dict's
            # bound pop as a callback dropped an object whose __del__ printed: a reviewer's).
            suspect = True
        else:
            suspect = not _trusted(code) and _trusted(caller.f_code)
        if suspect and _get_stats()[-1]["collections"] != collections:
            ended[0] = True
            raise RefusedCallback
        # What prints (sys.stdout.write, the unraisable hook) is looked at every time: a C
        # callback's print, or a report of a refusal, is refused as it starts.
        return _DISABLE if _trusted(code) and not watched else None

    def refuse_resumed(code, offset, exception=None):
        # Resumed straight from the collecting frame, only C code gc called can have done it (a
        # callback); resumed by Loop Lab's or the library's code, a generator of the program's.
        if ended[0]:
            raise RefusedCallback
        caller = _getframe(1).f_back
        suspect = caller is collecting or (caller is not None and not _trusted(code) and _trusted(caller.f_code))
        if suspect and _get_stats()[-1]["collections"] != collections:
            ended[0] = True
            raise RefusedCallback

    _register_callback(TOOL_ID, _PY_START, refuse_after_the_collection)
    _register_callback(TOOL_ID, _PY_RESUME, refuse_resumed)
    _register_callback(TOOL_ID, _PY_THROW, refuse_resumed)
    _set_events(TOOL_ID, _PY_START | _PY_RESUME | _PY_THROW)
    try:
        _collect()
    finally:
        _set_events(TOOL_ID, 0)
        for event in (_PY_START, _PY_RESUME, _PY_THROW):
            _register_callback(TOOL_ID, event, None)
        quiet_program_callbacks()
