"""The loop's selector: it watches sockets of the virtual network (network.py) and, when
nothing is ready, moves the virtual clock on instead of blocking.

CPython's ``BaseSelectorEventLoop`` asks it, once a turn, what is ready (``select(timeout)``;
``timeout`` is 0 when the ready queue has work, None when no timer is set). When nothing is,
it goes straight to whichever comes first: the soonest timer's deadline or the network's next
moment (bytes arriving, a handshake's next step); with neither, every task waits for
something that can never happen, and the run ends as a deadlock.

Readiness is reported as Linux's epoll reports it, level-triggered: a ready list in the order
sockets became ready (or were registered while ready); each ``select`` reports those still
ready, in that order, and keeps them listed while they stay ready.
"""

import selectors
import weakref

from . import current
from .clock import advance_to, now
from .deadlock import deadlock_message
from .network import INFINITY, READ, WRITE, network


_FOREVER = "Real Python would wait here forever."


def _wait_forever(rec, loop, why):
    """The loop would wait forever: end the run as a deadlock (or, untraced, raise). The
    message names every stuck task, what it waits on and where (deadlock.py)."""
    if rec is not None:
        rec.stop("deadlock", deadlock_message(rec, loop, why, _FOREVER))
    raise RuntimeError("the event loop has nothing to run and would wait forever")


def _fd_of(fileobj):
    if isinstance(fileobj, int):
        fd = fileobj
    else:
        try:
            fd = int(fileobj.fileno())
        except (AttributeError, TypeError, ValueError):
            raise ValueError(f"Invalid file object: {fileobj!r}") from None
    if fd < 0:
        raise ValueError(f"Invalid file descriptor: {fd}")
    return fd


class VirtualSelector(selectors.BaseSelector):
    """A selector over the virtual network's sockets, on the virtual clock."""

    def __init__(self, loop):
        # A weak reference: the loop holds its selector, and a selector holding its loop made a
        # cycle python3's loop is not in, so a loop dropped without close() (which lets go of
        # the selector) was left for the collector to find, where python3's is freed at once.
        self._loop = weakref.ref(loop)
        self.keys = {}       # fd -> SelectorKey, as a Python selector keeps them
        self.watched = {}    # fd -> the Endpoint registered under it
        self.ready = {}      # fd -> None, in the order they became ready (epoll's ready list)
        self.net = None

    @property
    def loop(self):
        """The loop this selector serves (asked only while that loop runs, so still there)."""
        return self._loop()

    def _network(self):
        if self.net is None:
            self.net = network()
        return self.net

    # -- registration ---------------------------------------------------------------------
    def register(self, fileobj, events, data=None):
        fd = _fd_of(fileobj)
        if not events or events & ~(READ | WRITE):
            raise ValueError(f"Invalid events: {events!r}")
        ep = self._network().fds.get(fd)
        if ep is None:
            raise OSError("Loop Lab's event loop has no real I/O: it watches only the sockets "
                          "asyncio makes on Loop Lab's virtual network (no files, pipes or "
                          "sockets of the machine)")
        if fd in self.keys:
            raise KeyError(f"{fileobj!r} (FD {fd}) is already registered")
        key = selectors.SelectorKey(fileobj, fd, events, data)
        self.keys[fd] = key
        self.watched[fd] = ep
        ep.selector = self
        self.poke(fd)
        return key

    def unregister(self, fileobj):
        fd = _fd_of(fileobj)
        try:
            key = self.keys.pop(fd)
        except KeyError:
            raise KeyError(f"{fileobj!r} is not registered") from None
        ep = self.watched.pop(fd)
        if ep.selector is self:
            ep.selector = None
        self.ready.pop(fd, None)
        return key

    def modify(self, fileobj, events, data=None):
        fd = _fd_of(fileobj)
        try:
            key = self.keys[fd]
        except KeyError:
            raise KeyError(f"{fileobj!r} is not registered") from None
        if not events or events & ~(READ | WRITE):
            raise ValueError(f"Invalid events: {events!r}")
        key = key._replace(events=events, data=data)
        self.keys[fd] = key
        self.poke(fd)
        return key

    def get_key(self, fileobj):
        fd = _fd_of(fileobj)
        try:
            return self.keys[fd]
        except KeyError:
            raise KeyError(f"{fileobj!r} is not registered") from None

    def get_map(self):
        return self.keys

    def forget(self, ep):
        """A watched socket was closed: like epoll, stop reporting it (its key stays, as a
        Python selector keeps it until asyncio unregisters it)."""
        if self.watched.get(ep.fd) is ep:
            self.ready.pop(ep.fd, None)
        ep.selector = None

    def poke(self, fd):
        """A watched socket's state changed: if it is now ready, it joins the ready list."""
        key = self.keys.get(fd)
        if key is None or fd in self.ready:
            return
        if self.watched[fd].readiness() & key.events:
            self.ready[fd] = None

    def close(self):
        for ep in self.watched.values():
            if ep.selector is self:
                ep.selector = None
        self.keys.clear()
        self.watched.clear()
        self.ready.clear()

    # -- waiting --------------------------------------------------------------------------
    def _collect(self):
        out = []
        ready = self.ready
        for fd in list(ready):
            key = self.keys.get(fd)
            mask = self.watched[fd].readiness() & key.events if key is not None else 0
            if mask:
                out.append((key, mask))
            else:
                del ready[fd]
        return out

    def select(self, timeout=None):
        rec = current.recorder
        if rec is not None:
            rec.finish_running()
            if rec.stopped is not None:
                raise rec.stopped
        net = self._network()
        net.settle()
        events = self._collect()
        if events or (timeout is not None and timeout <= 0):
            return events
        # Nothing is ready: on the virtual clock, go straight to whichever comes first, the
        # soonest timer (asyncio asks to wait only until it, for at most a day at a time) or
        # the network's next moment.
        # A program may call the selector itself, with no loop or no timer behind its timeout
        # (a reviewer's `loop._selector.select(1)` after the loop was let go): it then waits out
        # that timeout, as a real selector does.
        loop = self.loop
        scheduled = loop._scheduled if loop is not None else None
        if timeout is None:
            when = INFINITY
        elif scheduled:
            when = scheduled[0]._when
        else:
            when = now() + timeout
        target = min(when, net.next_moment())
        if target == INFINITY:
            if timeout is None:
                _wait_forever(rec, self.loop, "Every task is waiting for something that can "
                                              "never happen, so the loop has nothing left to run")
            _wait_forever(rec, self.loop, "Every task is waiting, and the soonest wake-up is at "
                                          "infinity (a sleep that never ends), so the loop has "
                                          "nothing left to run")
        advance_to(float(target))
        net.settle()
        return self._collect()
