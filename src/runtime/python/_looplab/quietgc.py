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
  counts it just before it calls the "stop" callbacks), every Python frame gc starts directly
  from the collecting frame is refused as it starts (or a generator or coroutine it resumes, as
  it resumes), by a ``PY_START`` (``PY_RESUME``, ``PY_THROW``) hook of the tracer's tool
  (lines.TOOL_ID): the callback's own, a C callback's call into Python (``print`` calls
  ``sys.stdout.write``), and the unraisable hook gc then calls about the refusal (its report
  is refused in turn, so nothing is printed). Then the list is emptied again. Before, a guard
  first in the list took out what was appended after it, and one inserted before it
  (``gc.callbacks.insert(0, f)``) was called: one that never returned held the run 8 s, where
  python3 ends at once (a reviewer's). A C function that calls no Python is still called (a
  bound ``dict.__setitem__`` stores ``"stop"``): it cannot run the program's code.
"""

import gc
import sys

from .lines import MONITORING, TOOL_ID

# gc's own list of callbacks, taken as this module loads: a program may bind gc.callbacks to
# another list (which CPython then never calls), never replace this one.
_GC_CALLBACKS = gc.callbacks
# Taken at import: a program may rebind the modules' names.
_collect = gc.collect
_get_stats = gc.get_stats
_getframe = sys._getframe
_register_callback = MONITORING.register_callback
_set_events = MONITORING.set_events
# A frame gc starts, or a suspended generator or coroutine it resumes (a callback that reaches
# ``g.send`` through C, ``max`` comparing with a ``__lt__ = g.send``: a reviewer's), or throws into.
_STARTS = (MONITORING.events.PY_START, MONITORING.events.PY_RESUME, MONITORING.events.PY_THROW)
_ANY_START = MONITORING.events.PY_START | MONITORING.events.PY_RESUME | MONITORING.events.PY_THROW

# The program's callbacks taken out at its teardown, kept to the end of the run.
quieted = []


class _Refused(Exception):
    """Raised as a frame starts that gc called after a teardown collection (see above)."""


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

    def refuse_after_the_collection(code, offset, exception=None):
        if _getframe(1).f_back is collecting and _get_stats()[-1]["collections"] != collections:
            raise _Refused

    for event in _STARTS:
        _register_callback(TOOL_ID, event, refuse_after_the_collection)
    _set_events(TOOL_ID, _ANY_START)
    try:
        _collect()
    finally:
        _set_events(TOOL_ID, 0)
        for event in _STARTS:
            _register_callback(TOOL_ID, event, None)
        quiet_program_callbacks()
