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

Which files are ready is decided here too, before any wait, as Linux decides it:

* each file is read once as a descriptor, as CPython reads it (``PyObject_AsFileDescriptor``,
  Objects/fileobject.c: an int, or what ``fileno()`` gives), so a ``fileno()`` is called once
  and its answer is the one checked and watched;
* a descriptor that is not open is an error of ``select`` (``OSError: [Errno 9] Bad file
  descriptor``, at once) and ``POLLNVAL`` of ``poll`` (at once): Emscripten's select reported
  one as nothing ready (or ready, once the number was reused), its poll dropped the POLLNVAL,
  and both then waited out the timeout;
* a socket of the virtual network (network.py; asyncio's, reached through a transport's
  ``get_extra_info("socket")`` or a server's ``sockets``) has a descriptor Emscripten knows
  nothing of: its readiness is the network's (``Endpoint.readiness``, as epoll's), never
  Emscripten's answer for whatever file has that number;
* the tracer's own descriptors (wire.Channel's devices, opened as the run goes) are not the
  program's: a number the program closed and the tracer then took is closed to it, as it would
  be in python3.

The asyncio loop's own selector is the virtual network's (selector.py), and is left alone.
"""

import math
import operator
import os
import select
import selectors
import sys
import warnings

from . import current
from .clock import blocked_for, pytime
from .network import READ, WRITE, linux, run_network
from .threads import _what_was_called
from .tracebacks import PACKAGE_DIR

_real_select = select.select
_real_poll = select.poll
# poll()'s timeout, in milliseconds, must fit a C int (Modules/selectmodule.c).
_INT_MAX = 2**31 - 1
# Taken once: a program reaches the same `math` module (rebinding math.ceil must not change a wait).
_ceil = math.ceil
_floor = math.floor
# Taken once too: a program that rebinds os.fstat, warnings.warn or operator.index must not
# change which descriptors are open, or how one is read.
_fstat = os.fstat
_warn = warnings.warn
_index = operator.index
_int_value = int.__index__  # an int subclass's own value: its __index__ is never called
_INT_MIN = -(2**31)
# select()'s sets hold descriptors below FD_SETSIZE, 1024 in musl (Emscripten's C library) and
# glibc alike (Modules/selectmodule.c: _PyIsSelectable_fd).
_FD_SETSIZE = 1024
_POLLIN, _POLLOUT, _POLLERR, _POLLNVAL = select.POLLIN, select.POLLOUT, select.POLLERR, 32
_DEFAULT_EVENTS = select.POLLIN | select.POLLPRI | select.POLLOUT


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


def _fileno(obj):
    """The descriptor ``obj`` stands for, read once as Objects/fileobject.c's
    PyObject_AsFileDescriptor reads it (CPython 3.14): an int (a subclass by its own value), or
    what ``obj.fileno()`` returns, which must be an int; a bool warns, as 3.14's does (3.11's
    did not); out of a C int, or negative, is refused in its words."""
    if issubclass(type(obj), int):
        if type(obj) is bool:
            _warn("bool is used as a file descriptor", RuntimeWarning,
                  skip_file_prefixes=(PACKAGE_DIR,))
        fd = _int_value(obj)
    else:
        try:
            method = obj.fileno
        except AttributeError:
            raise TypeError("argument must be an int, or have a fileno() method.") from None
        number = method()
        if not issubclass(type(number), int):
            raise TypeError("fileno() returned a non-integer")
        fd = _int_value(number)
    if not _INT_MIN <= fd <= _INT_MAX:
        raise OverflowError("Python int too large to convert to C int")
    if fd < 0:
        raise ValueError(f"file descriptor cannot be a negative integer ({fd})")
    return fd


def _select_list(seq):
    """One of select()'s lists as Modules/selectmodule.c's seq2set reads it: [(object, fd)],
    in its order. PySequence_Fast (Objects/abstract.c): a list or tuple as it is (its length
    read again at each item, as CPython's loop reads it), anything else iterated into a list."""
    if type(seq) is not list and type(seq) is not tuple:
        try:
            it = iter(seq)
        except TypeError:
            raise TypeError("arguments 1-3 must be sequences") from None
        seq = list(it)
    pairs = []
    i = 0
    while i < len(seq):
        obj = seq[i]
        fd = _fileno(obj)
        if fd >= _FD_SETSIZE:
            raise ValueError("filedescriptor out of range in select()")
        if len(pairs) >= _FD_SETSIZE:
            raise ValueError("too many file descriptors in select()")
        pairs.append((obj, fd))
        i += 1
    return pairs


def _tracer_fds():
    """The descriptors the tracer holds open now (wire.Channel's): not the program's."""
    rec = current.recorder
    channel = rec.channel if rec is not None else None
    return channel.fds() if channel is not None else ()


def _sockets(fds):
    """fd -> Endpoint for those of ``fds`` that are sockets of the run's virtual network, with
    what is due on the network by now done first (as the loop's selector does)."""
    net = run_network()
    if net is None:
        return {}
    if any(fd in net.fds for fd in fds):
        net.settle()
    return {fd: net.fds[fd] for fd in fds if fd in net.fds}


def _is_open(fd, tracer_fds):
    """True if ``fd`` (>= 0, not a virtual socket's) is a file the program has open."""
    if fd in tracer_fds:
        return False
    try:
        _fstat(fd)
    except OSError:
        return False
    return True


def _bad_file_descriptor():
    # Linux's number, as python3 shows it (Pyodide's errno.EBADF is 8): see network.linux.
    return OSError(linux.EBADF, "Bad file descriptor")


def _select(rlist, wlist, xlist, timeout=None, /):
    """``select.select``: Modules/selectmodule.c's checks, the timeout's first, in its order;
    then the lists, each read once (seq2set); then, as select(2) does, EBADF if any descriptor
    is not open; what is ready now comes back at once, in each list's order, as the objects
    given (set2list)."""
    seconds = None
    if timeout is not None:
        try:
            seconds = pytime(timeout, 10**9)  # read once: the program's object runs no code after
        except TypeError:
            raise TypeError("timeout must be a float or None") from None
        if seconds < 0:
            raise ValueError("timeout must be non-negative")
    lists = (_select_list(rlist), _select_list(wlist), _select_list(xlist))
    sockets = _sockets({fd for pairs in lists for _obj, fd in pairs})
    tracer_fds = _tracer_fds()
    files = ([], [], [])
    for pairs, asked in zip(lists, files):
        for _obj, fd in pairs:
            if fd not in sockets:
                if not _is_open(fd, tracer_fds):
                    raise _bad_file_descriptor()
                asked.append(fd)
    found = _real_select(*files, 0) if files[0] or files[1] or files[2] else ([], [], [])
    found = [set(fds) for fds in found]
    for fd, ep in sockets.items():
        readiness = ep.readiness()  # no socket of the network has out-of-band data
        if readiness & READ:
            found[0].add(fd)
        if readiness & WRITE:
            found[1].add(fd)
    ready = tuple([obj for obj, fd in pairs if fd in ready_fds]
                  for pairs, ready_fds in zip(lists, found))
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


def _event_mask(value):
    """poll()'s event mask as CPython 3.14 reads it (Objects/longobject.c,
    _PyLong_UnsignedShort_Converter): an int by its own value, anything else by ``__index__``,
    once; then within an unsigned short, in 3.14's words (3.11 said "value must be positive")."""
    number = _int_value(value) if issubclass(type(value), int) else _int_value(_index(value))
    if number < 0:
        raise ValueError("Cannot convert negative int")
    if number > 0xFFFF:
        raise OverflowError("Python int too large for C unsigned short")
    return number


def _socket_events(ep, mask):
    """poll()'s revents for a socket of the virtual network: POLLIN and POLLOUT as the network
    reports it ready (Endpoint.readiness, as epoll's), of those asked for; POLLERR, always
    reported, while an error is pending (a refused connect). Linux's POLLHUP is not told."""
    readiness = ep.readiness()
    revents = (_POLLIN if readiness & READ else 0) | (_POLLOUT if readiness & WRITE else 0)
    return (revents & mask) | (_POLLERR if ep.err else 0)


class _Poll:
    """``select.poll()``'s object, as Modules/selectmodule.c's: a dict of descriptor -> event
    mask, in registration order, each descriptor read once as it is registered; ``poll``
    reports them in that order, as Linux's poll(2) does (one not open: POLLNVAL), and waits as
    described above. Emscripten's own poll object, holding the same, answers for its files."""

    __slots__ = ("_poll", "_masks")

    def __init__(self):
        self._poll = _real_poll()
        self._masks = {}

    def register(self, fd, eventmask=_DEFAULT_EVENTS, /):
        fd = _fileno(fd)
        mask = _event_mask(eventmask)
        self._poll.register(fd, mask)
        self._masks[fd] = mask

    def modify(self, fd, eventmask, /):
        fd = _fileno(fd)
        mask = _event_mask(eventmask)
        if fd not in self._masks:
            # ENOENT, with Linux's number as python3 shows it (Pyodide's is 44).
            raise FileNotFoundError(2, "No such file or directory")
        self._poll.modify(fd, mask)
        self._masks[fd] = mask

    def unregister(self, fd, /):
        fd = _fileno(fd)
        del self._masks[fd]  # KeyError(fd) if it was not registered, as CPython's
        self._poll.unregister(fd)

    def _ready(self):
        """[(fd, revents)] for every registered descriptor with something to report now."""
        masks = self._masks
        if not masks:
            return []
        files = dict(self._poll.poll(0))
        sockets = _sockets(masks)
        tracer_fds = _tracer_fds()
        ready = []
        for fd, mask in masks.items():
            ep = sockets.get(fd)
            if ep is not None:
                revents = _socket_events(ep, mask)
            elif not _is_open(fd, tracer_fds):
                revents = _POLLNVAL
            else:
                revents = files.get(fd, 0)
            if revents:
                ready.append((fd, revents))
        return ready

    def poll(self, timeout=None, /):
        ms = _poll_milliseconds(timeout)
        ready = self._ready()
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
