"""``_lsprof`` for programs: its ``Profiler`` written in Python, timed by the virtual clock.

CPython's ``_lsprof.Profiler`` (C, behind ``cProfile``) reads the real monotonic clock when it
is given no timer (``clock_gettime``, which Emscripten answers from ``performance.now()``): a
program that profiled itself printed real milliseconds, different at every run (so its trace
differed too), and the bare type, found through ``object.__subclasses__()``, made a
microsecond stopwatch (a second attacker's finding). The C type cannot be made (sandbox.py's
``_UNMADE_TYPES``); ``import _lsprof`` gives this module instead, with the same methods
(``enable``, ``disable``, ``clear``, ``getstats``) and the same stats, so ``cProfile`` and
``pstats`` work unchanged. Its default timer is the virtual clock, on which running code takes
no time: a profile counts calls, and shows where the program waited (``time.sleep``).

The bookkeeping is Modules/_lsprof.c's (CPython 3.14): a context per call, its sub-calls' time
kept apart, recursive calls counted and timed once, callers' sub-entries with ``subcalls``.
Events come from the program's own ``sys.setprofile`` (hooks.py keeps the tracer's frames out
of them), the events Modules/_lsprof.c takes from ``sys.monitoring``: a call or resume starts a
context, a return, yield or unwind ends it; a builtin's call and return or raise, with
``builtins``.
"""

import sys
import time

__all__ = ["Profiler", "profiler_entry", "profiler_subentry"]


def _struct(name, fields, doc):
    """A tuple with named fields, as ``_lsprof``'s structseqs read (``entry.code``, ``entry[1]``)."""

    def field(index):
        return property(lambda self: tuple.__getitem__(self, index))

    namespace = {"__slots__": (), "__doc__": doc, "n_fields": len(fields), "n_sequence_fields": len(fields),
                 "__module__": "_lsprof"}
    namespace.update({name: field(index) for index, name in enumerate(fields)})

    def __new__(cls, values):
        values = tuple(values)
        if len(values) != len(fields):
            raise TypeError(f"_lsprof.{name}() takes a {len(fields)}-sequence ({len(values)}-sequence given)")
        return tuple.__new__(cls, values)

    def __repr__(self):
        return f"_lsprof.{name}(" + ", ".join(f"{f}={v!r}" for f, v in zip(fields, self)) + ")"

    namespace["__new__"] = __new__
    namespace["__repr__"] = __repr__
    return type(name, (tuple,), namespace)


profiler_entry = _struct(
    "profiler_entry", ("code", "callcount", "reccallcount", "totaltime", "inlinetime", "calls"),
    "code: code object or built-in function name; callcount: how many times this was called; "
    "reccallcount: how many times called recursively; totaltime: total time in this entry; "
    "inlinetime: inline time in this entry (not in subcalls); calls: details of the calls")
profiler_subentry = _struct(
    "profiler_subentry", ("code", "callcount", "reccallcount", "totaltime", "inlinetime"),
    "code: called code object or built-in function name; callcount: how many times this is "
    "called; reccallcount: how many times this is called recursively; totaltime: total time "
    "spent in this call; inlinetime: inline time (not in further subcalls)")


class _Entry:
    """A function's totals (Modules/_lsprof.c's ProfilerEntry): times in the timer's units."""

    __slots__ = ("key", "callcount", "reccallcount", "tt", "it", "level", "calls")

    def __init__(self, key):
        self.key = key
        self.callcount = self.reccallcount = self.level = 0
        self.tt = self.it = 0
        self.calls = {}  # callee key -> _Entry used as a sub-entry (its calls unused)

    def ended(self, total, inline):
        """A call of this entry's returned after ``total`` (``inline`` of it outside sub-calls):
        the time of the outermost of recursive calls only is added to ``tt``, as Stop() does."""
        self.level -= 1
        if self.level == 0:
            self.tt += total
        else:
            self.reccallcount += 1
        self.it += inline
        self.callcount += 1


def _builtin_label(function):
    """The name Modules/_lsprof.c's normalizeUserObj gives a builtin function or method."""
    owner = getattr(function, "__self__", None)
    name = getattr(function, "__name__", "?")
    module = getattr(function, "__module__", None)
    if owner is None:
        return f"<{module}.{name}>" if isinstance(module, str) and module != "builtins" else f"<{name}>"
    for klass in type(owner).__mro__:
        if name in klass.__dict__:
            return repr(klass.__dict__[name])
    return f"<built-in method {module}.{name}>" if isinstance(module, str) else f"<built-in method {name}>"


_DISABLE_LABEL = "<method 'disable' of '_lsprof.Profiler' objects>"


class Profiler:
    """Profiler(timer=None, timeunit=0.0, subcalls=True, builtins=True)

    Builds a profiler object using the specified timer function. The default timer is the
    virtual clock (seconds). With a timer, ``timeunit`` (when above 0) scales what it returns."""

    def __init__(self, timer=None, timeunit=0.0, subcalls=True, builtins=True):
        self._timer = timer
        self._unit = float(timeunit)
        self._subcalls = bool(subcalls)
        self._builtins = bool(builtins)
        self._enabled = False
        self.clear()

    def _now(self):
        if self._timer is None:
            return time.perf_counter()  # the virtual clock (clock.py)
        return self._timer()

    def clear(self):
        """Clear all profiling information collected so far."""
        self._entries = {}
        self._stack = []  # of [entry, start, time spent in sub-calls]

    def enable(self, subcalls=True, builtins=True):
        """Start collecting profiling information."""
        self._subcalls = bool(subcalls)
        self._builtins = bool(builtins)
        self._enabled = True
        sys.setprofile(self._event)

    def disable(self):
        """Stop collecting profiling information; calls still open are closed now."""
        if self._enabled:
            self._enabled = False
            sys.setprofile(None)
            # The C profiler saw its own disable() called, a builtin method, and closes it below.
            if self._builtins:
                self._enter(_DISABLE_LABEL)
        while self._stack:
            self._leave()

    def _entry(self, key):
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry(key)
        return entry

    def _enter(self, key):
        entry = self._entry(key)
        caller = self._stack[-1][0] if self._stack else None
        entry.level += 1
        if self._subcalls and caller is not None:
            sub = caller.calls.get(key)
            if sub is None:
                sub = caller.calls[key] = _Entry(key)
            sub.level += 1
        self._stack.append([entry, self._now(), 0])

    def _leave(self):
        entry, start, sub_time = self._stack.pop()
        total = self._now() - start
        inline = total - sub_time
        if self._stack:
            self._stack[-1][2] += total
        entry.ended(total, inline)
        if self._subcalls and self._stack:
            sub = self._stack[-1][0].calls.get(entry.key)
            if sub is not None:
                sub.ended(total, inline)

    def _event(self, frame, event, arg):
        if event == "call":
            self._enter(frame.f_code)
        elif event == "return":
            if self._stack and self._stack[-1][0].key is frame.f_code:
                self._leave()
        elif self._builtins and event == "c_call":
            self._enter(_builtin_label(arg))
        elif self._builtins and event in ("c_return", "c_exception"):
            if self._stack and self._stack[-1][0].key == _builtin_label(arg):
                self._leave()

    def getstats(self):
        """list of profiler_entry objects: what was collected, times in seconds."""
        scale = self._unit if self._timer is not None and self._unit > 0 else 1.0
        stats = []
        for entry in self._entries.values():
            calls = None
            if self._subcalls:
                calls = [profiler_subentry((sub.key, sub.callcount, sub.reccallcount, sub.tt * scale, sub.it * scale))
                         for sub in entry.calls.values()]
            stats.append(profiler_entry((entry.key, entry.callcount, entry.reccallcount,
                                         entry.tt * scale, entry.it * scale, calls)))
        return stats

    def __enter__(self):
        self.enable()
        return self

    def __exit__(self, *exc_info):
        self.disable()

