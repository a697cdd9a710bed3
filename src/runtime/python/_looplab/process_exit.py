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
again), but which ends the trace as the program's own end, not as a limit (runner.run). This
holds for the whole run, its exit too (a ``__del__``, an ``atexit`` function, a ``gc.callbacks``
function, an exception's ``__str__`` as its traceback is printed): what still runs after it
(other ``__del__`` methods of the same collection) is recorded no more, and the program's
objects are then never let go (a worker serves one run and is ended: supervisor.ts), as
python3's process lets go of none.

A signal the program gave a handler of its own (``signal.signal``), or ignores, is left to the
real call, which Pyodide already handles as python3 does (the handler runs; SIGINT's default
handler raises KeyboardInterrupt). Stop signals (SIGSTOP, SIGTSTP …: python3's process is
stopped until continued, this one carries on), and those whose default is to be ignored
(SIGCHLD, SIGURG, SIGWINCH, SIGCONT), are left to it too. Arguments are read once, as the real
functions read them (``operator.index``, a C int), and the real function is handed the plain
ints read, never the program's objects: an int out of range is refused by the real function,
with its own error.
"""

import operator
import os
import posix
import signal
import struct
import _signal
import _thread

from .describe import type_name
from .stop import StopProgram

# Signals whose default action ends the process, as signal(7) lists them for Linux (Term and
# Core), and the real-time ones; each only while the program leaves it at SIG_DFL (python3 gives
# SIGINT a handler of its own, default_int_handler, and ignores SIGPIPE and SIGXFSZ).
_ENDS_PROCESS = frozenset(
    [getattr(signal, name).value
     for name in ("SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS", "SIGFPE", "SIGKILL",
                  "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGXCPU",
                  "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGIO", "SIGPWR", "SIGSYS")
     if hasattr(signal, name)]
    + (list(range(signal.SIGRTMIN, signal.SIGRTMAX + 1)) if hasattr(signal, "SIGRTMIN") else [])
)
_SIGKILL = signal.SIGKILL.value
_SIGABRT = signal.SIGABRT.value
_INT_MIN, _INT_MAX = -2**31, 2**31 - 1  # a C int (WebAssembly's and x86-64 Linux's)
# A C unsigned long, as pthread_kill reads its thread id (bitwise: -1 is its largest value);
# 32 bits in WebAssembly, so every Py_ssize_t and pid_t the real functions read is a C int too.
_ULONG_MASK = (1 << (8 * struct.calcsize("L"))) - 1

# Taken once, as this module loads (before any program): the program can rebind the names.
_real_exit = posix._exit
_real_abort = posix.abort
_real_kill = posix.kill
_real_killpg = getattr(posix, "killpg", None)
_real_raise_signal = _signal.raise_signal
_real_pthread_kill = getattr(_signal, "pthread_kill", None)
_real_getsignal = _signal.getsignal
_real_getpid = posix.getpid
_real_getpgrp = getattr(posix, "getpgrp", None)
_real_get_ident = _thread.get_ident
_SIG_DFL = _signal.SIG_DFL
_index = operator.index


class ProcessExit(StopProgram):
    """The program ended its process at once; ``status`` is what a shell gets (0–255)."""

    def __init__(self, status, how):
        super().__init__("exit", how)
        self.status = status


# The recorder of the run under way, from its start to its very end (runner.run: begin, end).
_running = [None]


def begin(rec):
    """A run begins: its Recorder."""
    _running[0] = rec


def end():
    """The run has ended: the real functions are called again."""
    _running[0] = None


def _end(status, how):
    """Ends the run with ``status``; if it has ended already (a limit, an earlier exit), the
    code that asked stops again the same way (Recorder.halt)."""
    _running[0].halt(ProcessExit(status, how))


def _c_int(value):
    """``value`` as the real functions read a C int: TypeError or OverflowError as theirs."""
    number = int.__int__(_index(value))
    if not _INT_MIN <= number <= _INT_MAX:
        raise OverflowError("Python int too large to convert to C int")
    return number


def _exit(status):
    """``os._exit(status)``; the low byte is what a shell gets (os._exit(256) is a success)."""
    if _running[0] is None:
        _real_exit(status)
    number = _c_int(status)
    _end(number & 0xFF, f"os._exit({number})")


def _abort():
    """``os.abort()``: SIGABRT, which ends the process (a shell gets 134)."""
    if _running[0] is None:
        _real_abort()
    _end(128 + _SIGABRT, "os.abort()")


def _c_ints(*values):
    """``values`` read once each, in order, as plain ints, and whether all fit a C int. An
    ``__index__`` of the program's is never read twice: one that said 28, then 15, got past the
    check to the real call, which ended the interpreter; one that raised TypeError, then said
    15, was handed on as it was, with the same end (reviewers'). Its TypeError is raised here,
    as python3 raises it (operator.index's message is PyNumber_Index's). Reading stops at the
    first int out of range; the ones read so far, then 0s, are returned for the real function
    to refuse with its own OverflowError, from plain ints only."""
    ints = []
    for value in values:
        number = int.__int__(_index(value))
        ints.append(number)
        if not _INT_MIN <= number <= _INT_MAX:
            return tuple(ints) + (0,) * (len(values) - len(ints)), False
    return tuple(ints), True


def _end_if_deadly(target, number, own, how):
    """Ends the run if sending signal ``number`` to ``target`` (C ints) reaches this process
    (``own``: the ids that name it) and would end it by its default action (``how``, with
    ``{signal}``, says what the program called)."""
    if _running[0] is None or target not in own:
        return
    if number == _SIGKILL or (number in _ENDS_PROCESS and _real_getsignal(number) == _SIG_DFL):
        _end(128 + number, how.format(signal=number))


def _kill(pid, signal, /):
    ints, fit = _c_ints(pid, signal)
    if fit:
        _end_if_deadly(*ints, (0, _real_getpid(), -_real_getpgrp() if _real_getpgrp else 0), "os.kill(pid, {signal})")
    return _real_kill(*ints)


def _killpg(pgid, signal, /):
    ints, fit = _c_ints(pgid, signal)
    if fit:
        _end_if_deadly(*ints, (0, _real_getpgrp()), "os.killpg(pgid, {signal})")
    return _real_killpg(*ints)


def _raise_signal(signalnum, /):
    ints, fit = _c_ints(signalnum)
    if fit:
        _end_if_deadly(0, *ints, (0,), "signal.raise_signal({signal})")
    return _real_raise_signal(*ints)


def _pthread_kill(thread_id, signalnum, /):
    # To any thread of the process: a signal whose default ends a process ends it. The thread
    # id is read once too, as a plain int (an __eq__ of the program's said "not this thread").
    # As python3 takes it: an int (its subclasses too), no __index__.
    if not issubclass(type(thread_id), int):
        raise TypeError(f"pthread_kill() argument 1 must be int, not {type_name(thread_id)}")
    thread = int.__int__(thread_id)
    ints, fit = _c_ints(signalnum)
    if fit and thread & _ULONG_MASK == _real_get_ident():
        _end_if_deadly(0, *ints, (0,), "signal.pthread_kill(thread_id, {signal})")
    return _real_pthread_kill(thread, *ints)


def _named(function, name, module):
    function.__name__ = function.__qualname__ = name
    function.__module__ = module
    return function


def install():
    """Put the stand-ins in ``os``/``posix`` and ``signal``/``_signal`` (once, at install),
    under the real functions' names."""
    stand_ins = {"_exit": _exit, "abort": _abort, "kill": _kill}
    if _real_killpg is not None:
        stand_ins["killpg"] = _killpg
    for name, function in stand_ins.items():
        _named(function, name, "posix")
        setattr(posix, name, function)
        setattr(os, name, function)
    signal_stand_ins = {"raise_signal": _raise_signal}
    if _real_pthread_kill is not None:
        signal_stand_ins["pthread_kill"] = _pthread_kill
    for name, function in signal_stand_ins.items():
        _named(function, name, "_signal")
        setattr(_signal, name, function)
        setattr(signal, name, function)
