"""The wire form of a trace: how events leave the tracer. Decoded by src/runtime/wire.ts into
the shared trace contract (src/shared/trace.ts); keep the codes in step with it.

* the line numbers of LINE events go, one int32 each, into an ``array`` (the hot path: one C
  call per line), handed to the host as raw bytes with each chunk;
* the other events are a list; in it, a bare ``int`` N says "here come the LINE events up to
  the N-th of the line array", and a ``list`` ``[code, ...]`` is an event of its own, with the
  codes of the ``E_*`` constants below. ``extra`` is an optional dict at an event's end:
  ``wake``, ``frames``, ``sync``, ``objects`` (see inside.py; trace.ts names their shapes).
"""

import fcntl as _fcntl
import json
import math
import os as _os

E_TASK = "task"           # [E_TASK, tid, name, coro, creator_tid|None, loop, internal]
E_PUSH = "push"           # [E_PUSH, loop, item, reason, real_queue|None, extra?]   item: ["t", tid] | ["c", hid]
E_POP = "pop"             # [E_POP, loop, item, cancelled, real_queue?]
E_SUSPEND = "susp"        # [E_SUSPEND, tid, wait, line|None, extra?]
E_CB = "cb"               # [E_CB, hid, label, user, line|None]        a callback, first seen
E_CB_END = "cbend"        # [E_CB_END, hid, extra?]
E_DONE = "done"           # [E_DONE, tid, outcome, text, line|None, extra?]
E_TIMER = "timer"         # [E_TIMER, loop, hid, when|None]
E_TIMER_CANCEL = "tcan"   # [E_TIMER_CANCEL, loop, hid]
E_CLOCK = "clock"         # [E_CLOCK, t]
E_OUT = "out"             # [E_OUT, stream, text, extra?]
E_LOOP = "loop"           # [E_LOOP, loop, action]      action: new | run | stop | close
E_BLOCK = "block"         # [E_BLOCK, seconds, line|None, call|None?, extra?]  time.sleep(), or a timed wait (call) holds the whole thread
E_EXC = "exc"             # [E_EXC, type, message, line|None]  uncaught: the program ends
E_LIMIT = "limit"         # [E_LIMIT, reason, message]
E_RENAME = "rename"       # [E_RENAME, tid, name]
E_EAGER = "eager"         # [E_EAGER, tid]   the task's first step runs now, inside the running step
E_EAGER_END = "eagerend"  # [E_EAGER_END, tid]  that step is over (its susp/done came just before)
E_NET = "net"             # [E_NET, op, ...]  the virtual network (network.py; ops in wire-net.ts)


def _finite_only(value):
    """The same structure with every non-finite float (nan, inf) replaced by None: JSON has no
    way to write them, and the host would refuse the chunk."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list):
        return [_finite_only(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite_only(v) for k, v in value.items()}
    return value


# json.dumps with any option set makes a JSONEncoder for each call; one made here serves them all
# (an encoder keeps no state between calls: each encode makes its own C encoder).
_encode = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode


def encode(value):
    """``value`` as compact JSON that any JSON parser reads: non-finite numbers become null."""
    try:
        return _encode(value)
    except ValueError:
        return _encode(_finite_only(value))


TRACE_DEVICE = "/dev/looplab-trace"  # write-only: each frame is one chunk of the trace
MEMORY_DEVICE = "/dev/looplab-memory"  # read-only: the interpreter's memory in use, in bytes
# The tracer's descriptors are moved to the lowest free number from here: at the lowest free
# number they took 3 (and 4), so a program's os.pipe() gave (4, 5) where python3 gives (3, 4),
# and its files' numbers moved by one or two depending on when the tracer first wrote.
HIGH_FD = 1000

# Bound at import: the program can rebind fcntl.fcntl, and os's functions (a program that
# replaced os.write saw, and could drop, every chunk the tracer wrote).
_dupfd = _fcntl.fcntl
_F_DUPFD = _fcntl.F_DUPFD
_open, _close, _write, _pread, _fstat = _os.open, _os.close, _os.write, _os.pread, _os.fstat
_O_WRONLY, _O_RDONLY = _os.O_WRONLY, _os.O_RDONLY


def _opened_high(path, flags):
    """``os.open(path, flags)``, moved to the lowest free descriptor at or above HIGH_FD (kept
    where it is if it cannot be: still a working descriptor)."""
    fd = _open(path, flags)
    try:
        high = _dupfd(fd, _F_DUPFD, HIGH_FD)
    except OSError:
        return fd
    _close(fd)
    return high


def _identity(fd):
    """Which file ``fd`` is: (device, inode, device it stands for)."""
    st = _fstat(fd)
    return (st.st_dev, st.st_ino, st.st_rdev)


class Channel:
    """How chunks reach the host while a run goes on, and how the tracer reads its memory use.

    Both are device files the host's JavaScript serves (src/runtime/engine.ts): no JavaScript
    function is ever handed to Python, so none can be found by a program walking frames or the
    heap. A chunk is one frame: the JSON's length in bytes and the line numbers' length in bytes
    (4 each, little-endian), the JSON, then the LINE events' line numbers (int32 each, native
    order, which is little-endian in WebAssembly).

    A program may find and write to these files too: what it writes can only damage its own
    trace, which the host checks in full (and then ends the run as damaged). It may also close
    the tracer's descriptors, or put a file of its own in their place (``os.dup2``): each is
    checked to be its device before it is used, and opened again if it is not (a fifth attacker
    sent the tracer's chunks to a file of its own, and only its forged one reached the host).
    """

    def __init__(self):
        self._trace = None
        self._memory = None
        self._devices = {}  # "trace" | "memory" -> _identity of the device as opened

    def _fd(self, which):
        fd = self._trace if which == "trace" else self._memory
        if fd is not None:
            try:
                if _identity(fd) == self._devices[which]:
                    return fd
            except OSError:
                pass
        if which == "trace":
            fd = self._trace = _opened_high(TRACE_DEVICE, _O_WRONLY)
        else:
            fd = self._memory = _opened_high(MEMORY_DEVICE, _O_RDONLY)
        self._devices[which] = _identity(fd)
        return fd

    def send(self, events_json, lines_bytes):
        """Hands one chunk to the host; False if the device is gone (the program removed it)."""
        body = events_json.encode("utf-8")
        # One join: each part is copied once (a chain of ``+`` copied the JSON twice).
        frame = b"".join((len(body).to_bytes(4, "little"), len(lines_bytes).to_bytes(4, "little"),
                          body, lines_bytes))
        for attempt in range(2):
            try:
                view = memoryview(frame)
                fd = self._fd("trace")
                while view:
                    written = _write(fd, view)
                    view = view[written:]
                return True
            except OSError:
                self._trace = None  # closed or replaced by the program: open it again, once
        return False

    def memory_bytes(self):
        """Bytes of memory the interpreter holds now (its heap and its files), or 0 if unknown."""
        for attempt in range(2):
            try:
                return int(_pread(self._fd("memory"), 32, 0) or b"0")
            except (OSError, ValueError):
                self._memory = None
        return 0

    def fds(self):
        """The file descriptors it holds open now (0, 1 or 2 of them): the tracer's, which a
        program run by python3 would not have (fdwaits.py reads them as closed)."""
        return [fd for fd in (self._trace, self._memory) if fd is not None]

    def close(self):
        for fd in (self._trace, self._memory):
            if fd is not None:
                try:
                    _close(fd)
                except OSError:
                    pass
        self._trace = self._memory = None
