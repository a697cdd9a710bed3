"""WebAssembly has no threads: every way a program starts one says so, at the program's line,
and a wait on a lock only another thread could release is what it would be with none: a timed
one times out, on the virtual clock, and an untimed one, which would never end, says so.

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
from .clock import blocked_for, pytime
from .identity import address_key

# The standard library's file names (Pyodide's included): only for naming what was called, in
# the refusal's words (trust, for the step budget and hidden frames, is by identity: trusted.py).
STDLIB_FILES = ("/lib/python3", "<frozen ")
_STARTERS = ("start_new_thread", "start_new", "start_joinable_thread")


_TYPE_NAME = type.__dict__["__name__"]


def _type_name(cls):
    """A class's own name, as CPython keeps it: read through type's descriptor, so a metaclass's
    ``__name__`` property (a program's code, and any string at all) is never run (a reviewer's)."""
    return _TYPE_NAME.__get__(cls)


def _what_was_called(frame):
    """``Thread.start()``, ``ThreadPoolExecutor.submit()`` …: the outermost standard-library
    call below the program's own code, from the frame that asked for a thread; or None. The
    program's own code is the learner's and any it compiled itself (whose file is not the
    standard library's): from a copy of the learner's function, ``go()`` was named for
    ``Thread.start()`` (a reviewer's)."""
    rec = current.recorder
    user_keys = rec.user_keys if rec is not None else frozenset()
    called = None
    while frame is not None and address_key(frame.f_code) not in user_keys and \
            frame.f_code.co_filename.startswith(STDLIB_FILES):
        code = frame.f_code
        owner = frame.f_locals.get("self") if "self" in code.co_varnames[:1] else None
        method = code.co_name
        called = f"{_type_name(type(owner))}.{method}()" if owner is not None else f"{code.co_qualname}()"
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


_real_allocate_lock = _thread.allocate_lock


class _Lock:
    """``threading.Lock`` for a program: _thread's lock, whose waits no thread can end.

    With no other thread, nothing releases a lock while its acquirer waits. Pyodide's C lock
    waited out a timeout in real time, with the virtual clock standing still: a second
    attacker's ``threading.Event().wait(0.5)`` took 0.5 real seconds and no virtual time, and
    ``queue.Queue().get(timeout=0.1)``, which waits until ``time.monotonic()`` passes its
    deadline, never timed out (the run was stopped as stuck). Here a timed wait holds the
    whole thread for its timeout on the virtual clock, as ``time.sleep`` does, and fails, as
    python3's would with nobody to release it; ``Event.wait``, ``Condition.wait``,
    ``Semaphore.acquire`` and ``queue.Queue`` wait through it. An untimed wait, which python3
    would never end, raises a RuntimeError that says why, at the program's line (before, the
    run was stopped as stuck after 8 s of real time). Arguments are checked as
    Modules/_threadmodule.c checks them, in its words.
    """

    __slots__ = ("_lock", "__weakref__")

    def __init__(self):
        self._lock = _real_allocate_lock()

    def acquire(self, blocking=True, timeout=-1):
        blocking = bool(blocking)
        seconds = pytime(timeout, 10**9)  # read once: the program's object runs no code after
        if not blocking and seconds != -1:
            raise ValueError("can't specify a timeout for a non-blocking call")
        if seconds < 0 and seconds != -1:
            raise ValueError("timeout value must be a non-negative number")
        if seconds > threading.TIMEOUT_MAX:
            raise OverflowError("timeout value is too large")
        if self._lock.acquire(False):
            return True
        if not blocking or seconds == 0:
            return False  # a try, as CPython's is: no wait, no time
        what = _what_was_called(sys._getframe(1)) or "Lock.acquire()"
        if seconds == -1:
            _wait_forever(what)
        blocked_for(seconds, what)
        return False

    def release(self):
        self._lock.release()

    def locked(self):
        return self._lock.locked()

    def _at_fork_reinit(self):
        self._lock = _real_allocate_lock()

    acquire_lock = acquire
    release_lock = release
    locked_lock = locked

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc_info):
        self.release()

    def __repr__(self):
        return f"<{'locked' if self.locked() else 'unlocked'} _thread.lock object at {id(self):#x}>"


_Lock.__name__ = _Lock.__qualname__ = "lock"
_Lock.__module__ = "_thread"


def _wait_forever(what):
    """An untimed wait on a lock nothing can release: python3 would hang here for good; this
    says so, at the program's line, as a thread's start does."""
    raise RuntimeError(
        f"Loop Lab runs Python in WebAssembly, which has no threads: {what} waits for a lock that "
        "only another thread could release, so it would wait forever (python3 would hang here). "
        "Give it a timeout, or use asyncio's locks and events in tasks instead."
    )


def virtual_lock_waits():
    """Every lock a program can make is a _Lock: ``threading.Lock()``, the locks threading's
    Condition, Event, Semaphore and ``queue.Queue`` make, ``_thread.allocate_lock()`` and its
    aliases (importlib's module locks too, which no thread contends); and ``queue.SimpleQueue``
    is the standard library's Python one, which waits through a Semaphore, and so through them
    (the C one waited in real time with the clock still, and its untimed ``get()`` was stopped
    as stuck after 8 s: a third attacker's finding). Timed waits move the virtual clock;
    untimed ones say they never end. The C lock type is still reachable (``type()`` of a lock
    made before, ``_Lock()._lock``): its waits are real time, as before, and read no clock.

    Called after the virtual clock is installed: ``queue`` is imported here, and keeps the
    ``time.monotonic`` it finds as it is imported (imported before, it read the real one)."""
    import _queue
    import queue

    class SimpleQueue(queue._PySimpleQueue):
        __slots__ = ()

    SimpleQueue.__module__ = "_queue"
    threading.Lock = threading._allocate_lock = _Lock
    _thread.allocate_lock = _thread.allocate = _thread.LockType = _Lock
    if hasattr(_thread, "lock"):
        _thread.lock = _Lock
    queue.SimpleQueue = _queue.SimpleQueue = SimpleQueue
