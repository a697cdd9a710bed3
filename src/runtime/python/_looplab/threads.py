"""WebAssembly has no threads: every way a program starts one says so, at the program's line.

Pyodide's ``_thread`` refuses with a bare ``RuntimeError: can't start new thread``, deep inside
``threading``. ``refuse_threads()`` puts a function of ours in the place of each of
``_thread``'s ways to start a thread (and of ``threading``'s own copy of one), raising a
RuntimeError that says what cannot work here and why, naming what the program called:
``Thread.start()``, ``Timer.start()``, ``ThreadPoolExecutor.submit()`` … The traceback still
runs from the program's line through the standard library, as CPython's would; this package's
frame is kept out of it (tracebacks.py). ``call_soon_threadsafe`` needs a thread to be called
from, so it meets this at that thread's ``start()``. ``run_in_executor`` and
``asyncio.to_thread`` say it themselves (loop.py), before any executor is asked.
"""

import _thread
import sys
import threading

from . import current

_STARTERS = ("start_new_thread", "start_new", "start_joinable_thread")


def _what_was_called(frame):
    """``Thread.start()``, ``ThreadPoolExecutor.submit()`` …: the outermost standard-library
    call below the program's own code, from the frame that asked for a thread; or None."""
    rec = current.recorder
    user_codes = rec.user_codes if rec is not None else frozenset()
    called = None
    while frame is not None and frame.f_code not in user_codes:
        code = frame.f_code
        owner = frame.f_locals.get("self") if "self" in code.co_varnames[:1] else None
        method = code.co_name
        called = f"{type(owner).__name__}.{method}()" if owner is not None else f"{code.co_qualname}()"
        frame = frame.f_back
    return called if frame is not None else None


def _refusal(starter):
    """What stands in for ``_thread.<starter>``: it raises, naming what the program called."""

    def refuse(*args, **kwargs):
        called = _what_was_called(sys._getframe(1)) or f"_thread.{starter}()"
        raise RuntimeError(
            "Loop Lab runs Python in WebAssembly, which has no threads: "
            f"{called} cannot start one here (in real Python it would run code in a thread of "
            "its own). Use asyncio tasks instead, or run this program with python3."
        )

    refuse.__name__ = refuse.__qualname__ = starter
    refuse.__module__ = "_thread"
    refuse._ll_refusal = True
    return refuse


def refuse_threads():
    """Make every way to start a thread fail with a message that says why. Idempotent."""
    for name in _STARTERS:
        if hasattr(_thread, name) and not getattr(getattr(_thread, name), "_ll_refusal", False):
            setattr(_thread, name, _refusal(name))
    threading._start_joinable_thread = _thread.start_joinable_thread
