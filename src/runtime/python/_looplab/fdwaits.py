"""Waits for a file to be ready, as they would be with one thread: ``select.select``, and
``select.poll``'s ``poll`` (``selectors``' SelectSelector and PollSelector, the default one,
wait through them).

Emscripten's select and poll never wait: with nothing ready they returned at once, with the
virtual clock standing still, where python3 waits out the timeout (a program polling a pipe
every 0.5 s ran its loop with no time passing). Here, what is ready now is returned at once, as
before; with nothing ready, nothing can become ready later (no other thread writes, and nothing
else runs while the thread waits), so a timed wait holds the whole thread for its timeout on the
virtual clock, as ``time.sleep`` does, and returns nothing, as python3's would; an untimed one,
which would never end, raises a RuntimeError that says why, at the program's line. Timeouts are
read once and checked as Modules/selectmodule.c checks them, in its words.

The asyncio loop's own selector is the virtual network's (selector.py), and is left alone.
"""

import math
import select
import selectors
import sys

from .clock import blocked_for, pytime
from .threads import _what_was_called

_real_select = select.select
_real_poll = select.poll
# poll()'s timeout, in milliseconds, must fit a C int (Modules/selectmodule.c).
_INT_MAX = 2**31 - 1
# Taken once: a program reaches the same `math` module (rebinding math.ceil must not change a wait).
_ceil = math.ceil
_floor = math.floor


def _wait_forever(what):
    raise RuntimeError(
        f"Loop Lab runs Python in WebAssembly, which has no threads: {what} waits with no "
        "timeout for a file to be ready, and nothing else can make one ready while the whole "
        "thread waits, so it would wait forever (python3 would hang here). Give it a timeout, "
        "or use asyncio's streams in tasks instead."
    )


def _wait(what, seconds):
    """Nothing is ready: wait ``seconds`` on the virtual clock (None: forever, refused)."""
    if seconds is None:
        _wait_forever(what)
    if seconds > 0:
        blocked_for(seconds, what)


def _select(rlist, wlist, xlist, timeout=None, /):
    """``select.select``: Modules/selectmodule.c's checks, the timeout's first, in its order."""
    seconds = None
    if timeout is not None:
        try:
            seconds = pytime(timeout, 10**9)  # read once: the program's object runs no code after
        except TypeError:
            raise TypeError("timeout must be a float or None") from None
        if seconds < 0:
            raise ValueError("timeout must be non-negative")
    ready = _real_select(rlist, wlist, xlist, 0)
    if ready[0] or ready[1] or ready[2]:
        return ready
    _wait(_what_was_called(sys._getframe(1)) or "select.select()", seconds)
    return ready


_select.__name__ = _select.__qualname__ = "select"
_select.__module__ = "select"
_select.__doc__ = _real_select.__doc__


def _poll_milliseconds(timeout):
    """poll()'s timeout as Modules/selectmodule.c reads it, once (clock.pytime): milliseconds,
    rounded away from zero (Python/pytime.c's _PyTime_ROUND_TIMEOUT), within a C int; None or a
    negative one is no timeout (-1)."""
    if timeout is None:
        return -1
    try:
        value = pytime(timeout, 10**6)
    except TypeError:
        raise TypeError("timeout must be an integer or None") from None
    ms = _ceil(value) if value >= 0 else _floor(value)
    if not -_INT_MAX - 1 <= ms <= _INT_MAX:
        raise OverflowError("timeout is too large")
    return ms if ms >= 0 else -1


class _Poll:
    """``select.poll()``'s object: Emscripten's, whose ``poll`` waits as described above."""

    __slots__ = ("_poll",)

    def __init__(self):
        self._poll = _real_poll()

    def register(self, fd, eventmask=select.POLLIN | select.POLLPRI | select.POLLOUT, /):
        return self._poll.register(fd, eventmask)

    def modify(self, fd, eventmask, /):
        return self._poll.modify(fd, eventmask)

    def unregister(self, fd, /):
        return self._poll.unregister(fd)

    def poll(self, timeout=None, /):
        ms = _poll_milliseconds(timeout)
        ready = self._poll.poll(0)
        if ready:
            return ready
        _wait(_what_was_called(sys._getframe(1)) or "poll.poll()", None if ms < 0 else ms / 1000)
        return ready


_Poll.__name__ = _Poll.__qualname__ = "poll"
_Poll.__module__ = "select"
for _method in (_Poll.__init__, _Poll.register, _Poll.modify, _Poll.unregister, _Poll.poll):
    _method.__qualname__ = "poll." + _method.__name__  # argument errors name poll, not this class
del _method


def virtual_fd_waits():
    """``select.select`` and ``select.poll`` wait on the virtual clock, and so do ``selectors``'
    SelectSelector and PollSelector (which took ``select.select`` and ``select.poll`` as the
    classes were made)."""
    select.select = _select
    select.poll = _Poll
    selectors.SelectSelector._select = staticmethod(_select)
    selectors.PollSelector._selector_cls = _Poll
