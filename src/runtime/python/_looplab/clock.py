"""The virtual clock: what ``loop.time()``, ``time.*`` and ``datetime.now()`` read in a run.

It starts at 0 with each run and moves only when the loop waits for its next timer or the
program calls ``time.sleep()``; ``time.time()`` reads it as seconds after ``EPOCH``.
"""

import itertools
import math
import operator
import sys
import time

from . import current
from .describe import type_name
from .wire import E_BLOCK

# The longest time.sleep() CPython accepts: 2**63 - 1 nanoseconds, in seconds.
_LONGEST_SLEEP = (2**63 - 1) / 1e9
# Taken once, here: a program reaches the same `math` and `operator` modules, and rebinding
# `math.isnan` or `operator.index` must not change how its timeouts are read (an attacker's).
_isnan = math.isnan
_index = operator.index
_float_value = float.__float__  # a float subclass's own value: its __float__ is never called
_TIME_T = 2.0**63  # PyTime_t counts nanoseconds in a signed 64-bit integer
# The most characters of a blocking call's name kept in its event (`Class.method()`; a class
# named with a million characters made each event a megabyte: an attacker's).
CALL_CHARS = 200
EPOCH = 1_700_000_000.0  # what time.time() reads at virtual time 0 (2023-11-14 22:13:20 UTC)


def now():
    """The virtual clock, in seconds since the run began."""
    rec = current.recorder
    return rec.clock if rec is not None else current.idle_clock[0]


class _LoopTime(float):
    """A reading of the virtual clock by ``loop.time()``: a float that knows when it was read.

    CPython's clock never stands still: of two ``asyncio.sleep(1)`` calls made one after the
    other, the second gets a deadline a few microseconds later, so timers with "the same"
    deadline fire in the order they were set (60 tasks sleeping 1 s wake in creation order).
    The virtual clock does stand still while code runs, and the timer heap, which compares
    deadlines alone, would break such ties in heap order. So each reading carries its place
    in the sequence of readings, and deadlines computed from it (``time() + delay``) keep that
    place: equal deadlines from different readings compare in reading order, as if the clock
    had moved on in between; a deadline passed twice as the same value (``call_at(when)``
    twice) still ties, as it does in CPython. The value itself is exact: 1.0 prints as 1.0.
    """

    __slots__ = ("_ll_read",)

    # The loop reads its clock a few times a turn and compares deadlines on every timer, so
    # these are written for speed: no super(), no tuples, float's own slots called directly.

    def __add__(self, other, _add=float.__add__, _new=float.__new__):
        value = _add(self, other)
        if value.__class__ is float:  # NotImplemented for non-numbers, and then no tag
            value = _new(_LoopTime, value)
            value._ll_read = self._ll_read
        return value

    __radd__ = __add__

    def __lt__(self, other, _lt=float.__lt__, _eq=float.__eq__):
        if other.__class__ is _LoopTime and _eq(self, other):
            return self._ll_read < other._ll_read
        return _lt(self, other)

    def __le__(self, other, _le=float.__le__, _eq=float.__eq__):
        if other.__class__ is _LoopTime and _eq(self, other):
            return self._ll_read <= other._ll_read
        return _le(self, other)

    def __gt__(self, other, _gt=float.__gt__, _eq=float.__eq__):
        if other.__class__ is _LoopTime and _eq(self, other):
            return self._ll_read > other._ll_read
        return _gt(self, other)

    def __ge__(self, other, _ge=float.__ge__, _eq=float.__eq__):
        if other.__class__ is _LoopTime and _eq(self, other):
            return self._ll_read >= other._ll_read
        return _ge(self, other)


# What a learner who prints type(loop.time()) would see in CPython.
_LoopTime.__name__ = _LoopTime.__qualname__ = "float"
_LoopTime.__module__ = "builtins"
_clock_reads = itertools.count()
_new_float = float.__new__


def loop_time():
    """A reading of the virtual clock for ``loop.time()`` (see _LoopTime)."""
    reading = _new_float(_LoopTime, now())
    reading._ll_read = next(_clock_reads)
    return reading


def advance(seconds):
    """Moves the virtual clock on by ``seconds``."""
    rec = current.recorder
    if rec is not None:
        rec.advance_to(rec.clock + seconds)
    else:
        current.idle_clock[0] += seconds


def advance_to(when):
    """Moves the virtual clock on to ``when`` (seconds since the run began), if it is later."""
    rec = current.recorder
    if rec is not None:
        rec.advance_to(when)
    elif when > current.idle_clock[0]:
        current.idle_clock[0] = when


def _virtual_monotonic():
    return now()


def _virtual_time():
    return EPOCH + now()


def pytime(value, unit):
    """A timeout or a length of time as Python/pytime.c reads one (_PyTime_FromSecondsObject,
    _PyTime_FromMillisecondsObject), once: ``unit`` is 10**9 for seconds, 10**6 for
    milliseconds. A float's own value (a subclass's ``__float__`` is never called, as CPython
    never calls it), else an integer by ``__index__``; a float by its type, not ``isinstance``
    (which asks a program's ``__class__``). Returns an exact float, in the unit given, so a
    program's object cannot answer one thing to a check and another to the wait (a third
    attacker's NaN-then-1e300 timeout). Errors in CPython's words."""
    if issubclass(type(value), float):
        number = _float_value(value)
        if _isnan(number):
            raise ValueError("Invalid value NaN (not a number)")
        if not -_TIME_T <= number * unit <= _TIME_T:
            raise OverflowError("timestamp out of range for platform time_t")
        return number
    whole = _index(value)
    if not -_TIME_T <= whole * unit < _TIME_T:
        raise OverflowError("timestamp too large to convert to C PyTime_t")
    return float(whole)


def blocked_for(seconds, call=None):
    """The whole thread waits ``seconds`` (>= 0) on the virtual clock, in ``call`` (what the
    program called that waits, for the trace; time.sleep's, unnamed): no task runs meanwhile.
    ``seconds`` is a float the caller has read with ``pytime`` and checked; anything else is
    refused here too, never handed to the trace."""
    if type(seconds) is not float or not 0 <= seconds <= _LONGEST_SLEEP:  # NaN too
        raise OverflowError("timestamp out of range for platform time_t")
    rec = current.recorder
    if rec is not None:
        event = [E_BLOCK, seconds, rec.current_user_line()]
        # Where the running task stands as it blocks (its chain, locals and all), when that
        # changed since its last record: the task inspector showed the line of its last
        # suspend, not the blocking call's. Taken as `write` takes it (room made, lines placed first).
        rec.make_room()
        rec.mark_lines()
        extra = rec.running_extra()
        if call is not None or extra:
            event.append(None if call is None else call if len(call) <= CALL_CHARS else call[: CALL_CHARS - 1] + "…")
        if extra:
            event.append(extra)
        rec.emit(event)
    advance(seconds)


def _virtual_sleep(seconds):
    """time.sleep: the whole thread stops, so no task runs; on the virtual clock, instantly."""
    # CPython's own checks, in its order and words (Modules/timemodule.c, Python/pytime.c):
    # a NaN, a negative length, and one past what a 64-bit count of nanoseconds holds. Read as
    # CPython reads it: time.sleep(Decimal("0.5")) is a TypeError in python3 (it took 0.5 s here).
    seconds = pytime(seconds, 10**9)
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    if seconds > _LONGEST_SLEEP:
        raise OverflowError("timestamp out of range for platform time_t")
    blocked_for(seconds)


def _ns(clock):
    return lambda: int(clock() * 1e9)


def _virtual_process_time():
    """CPU time: on the virtual clock, running code takes none (``perf_counter`` does not move
    across a computation either), and sleeping uses none, so it stays at 0.0."""
    return 0.0


_real_clock_gettime, _real_clock_gettime_ns = time.clock_gettime, time.clock_gettime_ns

# What each clock of time.clock_gettime reads (the four Pyodide's C library answers for; it
# refuses the others with EINVAL, and so do these): the wall clock, the monotonic clock, and
# the process's and thread's CPU time. Each read the host's real clocks, for a program to see
# and a trace to differ by, after time.time() and the rest had been made virtual.
_CLOCK_READINGS = {
    time.CLOCK_REALTIME: _virtual_time,
    time.CLOCK_MONOTONIC: _virtual_monotonic,
    time.CLOCK_PROCESS_CPUTIME_ID: _virtual_process_time,
    time.CLOCK_THREAD_CPUTIME_ID: _virtual_process_time,
}


def _clock_id(clk_id):
    """``clk_id`` read once, as a plain int, as CPython reads it (Modules/timemodule.c,
    time_clockid_converter: ``__index__``, a C int, and any error it meets said as one
    TypeError). The real function is handed that int, never the program's object: an
    ``__index__`` that raised, or named no virtual clock, then said 1 (CLOCK_MONOTONIC) was read
    again by it, and the real clock's time came back (the kind a reviewer found in os.kill)."""
    try:
        number = int.__int__(_index(clk_id))
    except Exception:
        number = None
    if number is None or not -2**31 <= number < 2**31:
        raise TypeError(f"clk_id should be integer, not {type_name(clk_id)}")
    return number


def _virtual_clock_gettime(clk_id, /):
    number = _clock_id(clk_id)
    reading = _CLOCK_READINGS.get(number)
    return _real_clock_gettime(number) if reading is None else reading()


def _virtual_clock_gettime_ns(clk_id, /):
    number = _clock_id(clk_id)
    reading = _CLOCK_READINGS.get(number)
    return _real_clock_gettime_ns(number) if reading is None else int(reading() * 1e9)


_real_gmtime = time.gmtime


def _utc_struct(secs=None):
    """time.localtime as python3 gives it under TZ=UTC: tm_zone "UTC" (gmtime's says "GMT")."""
    return time.struct_time(tuple(_real_gmtime(secs))[:9] + ("UTC", 0))


def _utc_ctime(secs):
    """time.ctime in the virtual clock's time zone, UTC (see install_virtual_time)."""
    return _real_asctime(_utc_struct(secs))


_real_asctime, _real_strftime = time.asctime, time.strftime


def _at_virtual_now(real, name):
    """time.localtime/gmtime/ctime: with no seconds given, the virtual clock's now."""

    def at(secs=None):
        return real(_virtual_time() if secs is None else secs)

    at.__name__ = at.__qualname__ = name
    at.__doc__ = getattr(time, name).__doc__
    return at


def _utc_mktime(t):
    """time.mktime, the inverse of localtime, in UTC: Emscripten's asks JavaScript's Date."""
    if not isinstance(t, (tuple, time.struct_time)):
        raise TypeError("Tuple or struct_time argument required")
    if len(t) != 9:
        raise TypeError("mktime(): illegal time tuple argument")
    year, month, day, hour, minute, second = (int(x) for x in tuple(t)[:6])
    # Days from 1970-01-01 to the date (H. Hinnant's days_from_civil), months past 12 carried
    # into years as mktime carries them. Not calendar.timegm: importing calendar as the tracer
    # installs brought in the C datetime, and a restored interpreter's heap then differed from
    # the one that made the snapshot (tests/determinism.test.ts).
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    y = year - (month <= 2)
    era = y // 400
    year_of_era = y - era * 400
    day_of_year = (153 * ((month + 9) % 12) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    days = era * 146097 + day_of_era - 719468
    return float(days * 86400 + hour * 3600 + minute * 60 + second)


def _virtual_asctime(t=None):
    return _real_asctime(time.localtime() if t is None else t)


def _virtual_strftime(format, t=None):
    return _real_strftime(format, time.localtime() if t is None else t)


def _virtual_calendar_clock():
    """datetime.now(), date.today() … read the virtual clock too. The C ``_datetime`` asks
    the system clock directly, so the pure-Python ``_pydatetime`` (CPython's reference
    implementation, the same classes and reprs) takes its place: it asks ``time.time()``."""
    for name in ("datetime", "_pydatetime"):
        sys.modules.pop(name, None)
    sys.modules["_datetime"] = None
    import datetime  # noqa: F401  (imported now, so every run finds it ready)


def _rebind_captured_clocks(real_monotonic):
    """Modules imported before the clocks were replaced that kept a real one under a name of
    their own: ``threading._time`` and ``subprocess._time`` are the real ``time.monotonic``
    (asyncio imports both; found by scanning every module for the time module's own functions,
    Pyodide 314), and logging's start time, a reading taken at its import that
    ``relativeCreated`` counts from (it told a program how old the snapshot was). Named, not
    found by a walk over every module as the tracer installs: the walk's allocations moved
    where a program's objects land, and a repr's address differed between plain and verified
    runs (tests/determinism.test.ts)."""
    for name in ("threading", "subprocess"):
        module = sys.modules.get(name)
        if module is not None and getattr(module, "_time", None) is real_monotonic:
            module._time = _virtual_monotonic
    logging = sys.modules.get("logging")
    started = getattr(logging, "_startTime", None)
    if isinstance(started, int):  # time.time_ns() at its import, in CPython 3.13 and later
        logging._startTime = int(EPOCH * 1e9)
    elif isinstance(started, float):
        logging._startTime = EPOCH


def install_virtual_time():
    """Every stdlib clock reads the virtual one from now on."""
    real_monotonic = time.monotonic
    time.sleep = _virtual_sleep
    time.monotonic = time.perf_counter = _virtual_monotonic
    time.time = _virtual_time
    time.monotonic_ns = time.perf_counter_ns = _ns(_virtual_monotonic)
    time.time_ns = _ns(_virtual_time)
    time.process_time = _virtual_process_time
    time.process_time_ns = _ns(_virtual_process_time)
    time.clock_gettime = _virtual_clock_gettime
    time.clock_gettime_ns = _virtual_clock_gettime_ns
    # The virtual clock's time zone is UTC, in every shell and on every machine. Emscripten's
    # localtime asks JavaScript's Date, so a program's local times were the learner's (or the
    # trace recorder's) time zone, and the time module's names were fixed where a snapshot was
    # made: the same program gave other traces on other machines, or said "UTC-0000" while it
    # applied -5 h (a fresh attacker's finding). As python3 under TZ=UTC.
    time.localtime = _at_virtual_now(_utc_struct, "localtime")
    time.gmtime = _at_virtual_now(_real_gmtime, "gmtime")
    time.ctime = _at_virtual_now(_utc_ctime, "ctime")
    time.mktime = _utc_mktime
    time.tzname = ("UTC", "UTC")
    time.timezone = time.altzone = 0
    time.daylight = 0
    time.asctime = _virtual_asctime
    time.strftime = _virtual_strftime
    _rebind_captured_clocks(real_monotonic)
    _virtual_calendar_clock()
