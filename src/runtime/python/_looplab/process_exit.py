"""A program that ends its own process at once: ``os._exit(n)``, ``os.abort()``, or a signal to
itself whose default action ends a process (``os.kill(os.getpid(), signal.SIGTERM)``,
``signal.raise_signal(signal.SIGKILL)`` …).

python3 ends there and then: no ``finally:`` block, no ``atexit`` function, no ``__del__`` runs,
and a shell gets the status (``n``, or 128 + the signal's number: 134 for ``abort``, 143 for
SIGTERM). In Pyodide each of these ended the interpreter itself (Emscripten's ``exit``, or a
WebAssembly trap for ``abort``), and the run was reported as Loop Lab's interpreter breaking:
"crashed", with the steps after the last flush lost. Here the run ends as python3's does, with
that status and every step kept: the call raises ``ProcessExit``, which the recorder holds as it
holds a limit (nothing more is recorded, and each line the program would still run raises it
again), but which ends the trace as the program's own end, not as a limit (runner.run). Called
by a ``__del__`` as the program exits, it ends the teardown's recording there: what the
teardown still runs (other ``__del__`` methods, in the same collection) is recorded no more.

A signal the program gave a handler of its own (``signal.signal``), or ignores, is left to the
real call, which Pyodide already handles as python3 does (the handler runs; SIGINT's default
handler raises KeyboardInterrupt). Stop signals (SIGSTOP, SIGTSTP …), and those whose default
is to be ignored (SIGCHLD, SIGURG, SIGWINCH, SIGCONT), are left to it too.
"""

import operator
import os
import posix
import signal
import _signal

from . import current
from .stop import StopProgram

# Signals whose default action ends the process, as signal(7) lists them for Linux (Term and
# Core); SIGINT is not among them here: python3 gives it a handler of its own
# (``default_int_handler``), which the real call runs.
_ENDS_PROCESS = frozenset(
    getattr(signal, name).value
    for name in ("SIGHUP", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1",
                 "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGXCPU", "SIGXFSZ",
                 "SIGVTALRM", "SIGPROF", "SIGIO", "SIGPWR", "SIGSYS")
    if hasattr(signal, name)
)
_SIGKILL = signal.SIGKILL.value
_SIGABRT = signal.SIGABRT.value

# Taken once, as this module loads (before any program): the program can rebind the names.
_real_exit = posix._exit
_real_abort = posix.abort
_real_kill = posix.kill
_real_killpg = getattr(posix, "killpg", None)
_real_raise_signal = _signal.raise_signal
_real_getsignal = _signal.getsignal
_real_getpid = posix.getpid
_real_getpgrp = getattr(posix, "getpgrp", None)
_SIG_DFL = _signal.SIG_DFL
_index = operator.index


class ProcessExit(StopProgram):
    """The program ended its process at once; ``status`` is what a shell gets (0–255)."""

    def __init__(self, status, how):
        super().__init__("exit", how)
        self.status = status


# The recorder of a run whose teardown is under way (runner._teardown_program: current.recorder
# is None then): a __del__ that calls os._exit as the program exits ends it with that status too.
_tearing_down = [None]


def tearing_down(rec):
    """``rec``'s teardown begins (a Recorder), or has ended (None)."""
    _tearing_down[0] = rec


def _active():
    """The recorder of the run the call is part of, if any."""
    return current.recorder or _tearing_down[0]


def _end(status, how):
    rec = _active()
    if rec is None or rec.stopped is not None:
        return False
    rec.stopped = ProcessExit(status, how)
    rec.request_check()  # the program's next line raises it again, unrecorded
    raise rec.stopped


def _exit(status, /):
    """``os._exit(status)``: the status must be an int, as the real one requires."""
    if _active() is None:
        _real_exit(status)
    # The real function's own check, and its message ("'str' object cannot be interpreted as
    # an integer"); the low byte is what a shell gets (os._exit(256) is a success).
    number = int.__int__(_index(status))
    _end(number & 0xFF, f"os._exit({number})")


def _abort():
    """``os.abort()``: SIGABRT, which ends the process (a shell gets 134)."""
    if _active() is None:
        _real_abort()
    _end(128 + _SIGABRT, "os.abort()")


def _by_signal(signum, how):
    """Ends the run if ``signum``, sent to this process, would end it by its default action."""
    number = int(signum)
    if number == _SIGKILL or (number in _ENDS_PROCESS and _real_getsignal(number) == _SIG_DFL):
        _end(128 + number, how)


def _kill(pid, sig, /):
    if _active() is not None and pid in (0, _real_getpid()):
        _by_signal(sig, f"os.kill({pid}, {int(sig)})")
    return _real_kill(pid, sig)


def _killpg(pgid, sig, /):
    if _active() is not None and _real_getpgrp is not None and pgid in (0, _real_getpgrp()):
        _by_signal(sig, f"os.killpg({pgid}, {int(sig)})")
    return _real_killpg(pgid, sig)


def _raise_signal(signalnum, /):
    if _active() is not None:
        _by_signal(signalnum, f"signal.raise_signal({int(signalnum)})")
    return _real_raise_signal(signalnum)


def install():
    """Put the stand-ins in ``os``/``posix`` and ``signal``/``_signal`` (once, at install),
    under the real functions' names."""
    stand_ins = {"_exit": _exit, "abort": _abort, "kill": _kill}
    if _real_killpg is not None:
        stand_ins["killpg"] = _killpg
    for name, function in stand_ins.items():
        function.__name__ = function.__qualname__ = name
        function.__module__ = "posix"
        setattr(posix, name, function)
        setattr(os, name, function)
    _raise_signal.__name__ = _raise_signal.__qualname__ = "raise_signal"
    _raise_signal.__module__ = "_signal"
    _signal.raise_signal = _raise_signal
    signal.raise_signal = _raise_signal
