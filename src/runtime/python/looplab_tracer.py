"""Loop Lab's tracer: run a learner's program on a virtual-time asyncio loop and record a trace.

This file runs inside Pyodide (CPython compiled to WebAssembly). The host calls ``run()`` with
the program's source. The program runs on CPython's own asyncio, with three changes:

* the event loop is ``_UnixSelectorEventLoop``: CPython's ``BaseEventLoop`` with a selector
  that moves a virtual clock instead of blocking, so ``asyncio.sleep(1)`` costs no wall time;
* ``time.sleep``, ``time.time``, ``time.monotonic`` and ``time.perf_counter`` read and move that
  same virtual clock (and so do ``time.localtime``/``strftime``/``ctime`` and ``datetime.now``
  when given no time of their own);
* ``sys.monitoring`` reports each line of the learner's code, and the loop's ready queue, its
  timer heap and every task step are observed as they happen.

Events are written in a compact wire form that ``src/runtime/wire.ts`` decodes into the shared
trace contract (``src/shared/trace.ts``):

* the line numbers of LINE events go, one int32 each, into an ``array`` (the hot path: one C
  call per line), handed to the host as raw bytes with each chunk;
* the other events are a list; in it, a bare ``int`` N says "here come the LINE events up to
  the N-th of the line array", and a ``list`` ``[code, ...]`` is an event of its own, with the
  codes of the ``E_*`` constants below.

The learner's frames never see ours: tracebacks shown to them start at their own code.
"""

import array
import asyncio
import asyncio.base_events as _base_events
import asyncio.events as _events
import asyncio.futures as _futures
import asyncio.tasks as _tasks
import builtins
import collections
import functools
import gc
import inspect
import io
import itertools
import json
import linecache
import logging
import math
import re
import sys
import time
import traceback
import types
import warnings
import weakref

# ----------------------------------------------------------------------------- wire codes
# Keep in step with src/runtime/wire.ts.
E_TASK = "task"           # [E_TASK, tid, name, coro, creator_tid|None, loop, internal]
E_PUSH = "push"           # [E_PUSH, loop, item, reason, real_queue?]   item: ["t", tid] | ["c", hid]
E_POP = "pop"             # [E_POP, loop, item, cancelled, real_queue?]
E_SUSPEND = "susp"        # [E_SUSPEND, tid, wait, line|None]
E_CB = "cb"               # [E_CB, hid, label, user, line|None]        a callback, first seen
E_CB_END = "cbend"        # [E_CB_END, hid]
E_DONE = "done"           # [E_DONE, tid, outcome, text, line|None]
E_TIMER = "timer"         # [E_TIMER, loop, hid, when|None]
E_TIMER_CANCEL = "tcan"   # [E_TIMER_CANCEL, loop, hid]
E_CLOCK = "clock"         # [E_CLOCK, t]
E_OUT = "out"             # [E_OUT, stream, text]
E_LOOP = "loop"           # [E_LOOP, loop, action]      action: new | run | stop | close
E_BLOCK = "block"         # [E_BLOCK, seconds, line|None]  time.sleep() holds the whole thread
E_EXC = "exc"             # [E_EXC, type, message, line|None]  uncaught: the program ends
E_LIMIT = "limit"         # [E_LIMIT, reason, message]
E_RENAME = "rename"       # [E_RENAME, tid, name]

TOOL_ID = 4
_THIS_FILE = __file__ if "__file__" in globals() else "<looplab>"
_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]+")
_LIBRARY_FILES = ("asyncio/locks.py", "asyncio/queues.py", "asyncio/tasks.py",
                  "asyncio/taskgroups.py", "asyncio/timeouts.py")
_SYNC_CLASSES = {"Queue", "PriorityQueue", "LifoQueue", "Lock", "Event", "Condition",
                 "Semaphore", "BoundedSemaphore", "Barrier"}

_real_perf_counter = time.perf_counter
_CTask = _tasks._CTask if hasattr(_tasks, "_CTask") else _tasks.Task
_EPOCH = 1_700_000_000.0  # what time.time() reads at virtual time 0


class StopProgram(KeyboardInterrupt):
    """Ends the learner's program from inside: a limit was reached, or a deadlock found.

    A KeyboardInterrupt, because asyncio lets those escape task steps and the loop, where an
    ordinary exception would be kept in a task while the loop went on.
    """

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason
        self.message = message


def _finite(value):
    return value if isinstance(value, (int, float)) and math.isfinite(value) else None


def _is_task(obj):
    return isinstance(obj, (_CTask, _tasks._PyTask))


def _await_chain(coro):
    """The coroutine a task runs, then what that awaits, and so on down."""
    obj = coro
    depth = 0
    while obj is not None and depth < 200:
        yield obj
        depth += 1
        obj = (getattr(obj, "cr_await", None) or getattr(obj, "gi_yieldfrom", None)
               or getattr(obj, "ag_await", None))


def _code_and_frame(obj):
    for prefix in ("cr_", "gi_", "ag_"):
        code = getattr(obj, prefix + "code", None)
        if code is not None:
            return code, getattr(obj, prefix + "frame", None)
    return None, None


# ----------------------------------------------------------------------------- the recorder
class Recorder:
    """One run's trace, its limits, and the identities of the tasks and handles it has seen."""

    def __init__(self, options, flush, heap_probe):
        self.ev = []
        self.flushed = 0
        self.lines = array.array("i")  # the line number of each LINE event, in order
        self.lines_marked = 0  # how many of them a marker in self.ev already covers
        self.lines_flushed = 0
        self.user_codes = frozenset()
        self.max_steps = int(options.get("maxSteps", 10_000))
        self.max_events = int(options.get("maxEvents", self.max_steps * 40 + 10_000))
        self.max_output = int(options.get("maxOutputChars", 1_000_000))
        self.wall_limit = float(options.get("wallSeconds", 1.5))
        self.flush_every = float(options.get("flushSeconds", 0.15))
        self.heap_limit = int(options.get("heapLimitBytes", 0))
        self.verify = bool(options.get("verify", False))
        self.heap_probe = heap_probe
        self.flush_fn = flush
        self.started = _real_perf_counter()
        self.last_flush = -math.inf
        self.output_pending = False
        # Set by the line hooks: move buffered line numbers into self.lines, and have the
        # next line look in (call periodic()) whatever the count.
        self.spill_lines = lambda: None
        self.request_check = lambda: None
        self.output_chars = 0
        self.stopped = None         # the StopProgram, once a limit is reached
        self.clock = 0.0
        self.tids = {}              # id(task) -> (tid, weakref)
        self.hids = {}              # id(handle) -> (hid, weakref)
        self.sleep_timers = {}      # id(future) -> (hid, when, weakref to the future)
        self.timeout_timers = {}    # tid -> (hid, when, weakref to the timer handle)
        self.done_tids = set()
        self.loop_count = 0
        self.running = None         # ("t", tid, task) | ("c", hid, None) | None
        self.name_counter = itertools.count(1)
        self.tid_counter = itertools.count(0)
        self.task_hashes = itertools.count(1)
        self.hid_counter = itertools.count(0)
        self.addresses = {}

    # -- plumbing -----------------------------------------------------------------------
    def emit(self, event):
        if self.stopped is not None:
            # Once a limit is reached the program only unwinds (the loop stops and closes as
            # StopProgram passes through asyncio): none of that is the program's doing, and
            # the trace must end as the program stood, with the limit record right after.
            return
        self.mark_lines()
        self.ev.append(event)
        if len(self.ev) > self.max_events and self.stopped is None:
            self.stop("events", f"The trace grew past {self.max_events:,} events, the most "
                                "Loop Lab keeps for one run. The steps so far are kept.")

    def mark_lines(self):
        """Put the LINE events recorded since the last event in their place among the events."""
        self.spill_lines()
        count = len(self.lines)
        if count != self.lines_marked:
            self.ev.append(count)
            self.lines_marked = count

    def final(self, event):
        """The run's last event (its limit or its uncaught exception): always recorded."""
        self.mark_lines()
        self.ev.append(event)

    def stop(self, reason, message):
        self.stopped = StopProgram(reason, message)
        self.request_check()  # the learner's next line raises it again, unrecorded
        raise self.stopped

    def periodic(self, steps):
        """Called every few hundred lines (and at the line after any output): enforce the
        limits, and stream the trace to the host."""
        if self.stopped is not None:
            # A `finally:` of the learner's, run as StopProgram unwinds: stop it at once.
            raise self.stopped
        if steps > self.max_steps:
            self.stop("steps", f"The program ran {self.max_steps:,} lines, its step budget, "
                               "and had not finished. It may never end. The steps so far "
                               "are kept.")
        now = _real_perf_counter()
        if now - self.started > self.wall_limit:
            self.stop("time", f"The program ran for {self.wall_limit:g} seconds of real time "
                              "without finishing. The steps so far are kept.")
        if self.heap_limit and self.heap_probe is not None and \
                self.heap_probe() > self.heap_limit:
            self.stop("memory", "The program kept asking for memory, past the "
                                f"{self.heap_limit // (1024 * 1024)} MB Loop Lab allows. "
                                "The steps so far are kept.")
        # Output reaches the host promptly, so that what a program printed survives even if it
        # then hangs inside one C call and its worker has to be stopped.
        pending_output = self.output_pending and now - self.last_flush > 0.002
        if pending_output or now - self.last_flush > self.flush_every:
            self.flush()

    def flush(self):
        self.output_pending = False
        self.last_flush = _real_perf_counter()
        if self.flush_fn is None:
            return
        self.mark_lines()
        if self.flushed == len(self.ev):
            return
        events, lines = self.take_chunk()
        self.flush_fn(json.dumps(events, separators=(",", ":")), lines.tobytes())

    def take_chunk(self):
        """The events and line numbers not yet handed to the host; they are handed now."""
        events = self.ev[self.flushed:]
        self.flushed = len(self.ev)
        lines = self.lines[self.lines_flushed:self.lines_marked]
        self.lines_flushed = self.lines_marked
        return events, lines

    def stable(self, text):
        """Object addresses differ from run to run: give each one a stable stand-in."""
        if "at 0x" not in text:
            return text

        def swap(match):
            fake = self.addresses.get(match.group(0))
            if fake is None:
                fake = "at 0x7f4c%08x" % (0x1000 + 0x60 * len(self.addresses))
                self.addresses[match.group(0)] = fake
            return fake

        return _ADDRESS.sub(swap, text)

    def short_repr(self, value, limit=200):
        try:
            text = repr(value)
        except Exception as exc:  # a learner's __repr__ may raise
            text = f"<repr failed: {type(exc).__name__}>"
        text = self.stable(text)
        return text if len(text) <= limit else text[: limit - 1] + "…"

    def write(self, stream, text):
        if not text or self.stopped is not None:  # see emit()
            return
        text = self.stable(text)
        self.output_chars += len(text)
        self.mark_lines()
        last = self.ev[-1] if len(self.ev) > self.flushed else None
        if type(last) is list and last[0] == E_OUT and last[1] == stream:
            last[2] += text
        else:
            self.emit([E_OUT, stream, text])
        if self.output_chars > self.max_output and self.stopped is None:
            self.stop("output", f"The program printed more than {self.max_output:,} "
                                "characters. What it printed so far is kept.")
        self.output_pending = True
        self.request_check()  # look in at the next line: periodic() streams it out

    def current_user_line(self):
        frame = sys._getframe(1)
        while frame is not None:
            if frame.f_code in self.user_codes:
                return frame.f_lineno
            frame = frame.f_back
        return None

    # -- identities ---------------------------------------------------------------------
    def known_tid(self, task):
        entry = self.tids.get(id(task))
        return entry[0] if entry is not None and entry[1]() is task else None

    def tid_of(self, task):
        tid = self.known_tid(task)
        return tid if tid is not None else self.register_task(task)

    def register_task(self, task):
        tid = next(self.tid_counter)
        self.tids[id(task)] = (tid, weakref.ref(task))
        creator = self.running[1] if self.running and self.running[0] == "t" else None
        loop_id = getattr(task.get_loop(), "_ll_id", -1)
        coro = task.get_coro()
        code, _frame = _code_and_frame(coro)
        # asyncio's own tasks (asyncio.run's clean-up: shutdown_asyncgens …) run no code of the
        # learner's and are created by no task: the player tucks them away with Loop internals.
        internal = creator is None and code is not None and code not in self.user_codes and \
            code.co_filename.endswith(("asyncio/base_events.py", "asyncio/runners.py"))
        self.emit([E_TASK, tid, task.get_name(), self.coro_label(coro), creator, loop_id,
                   1 if internal else 0])
        return tid

    def coro_label(self, coro):
        """``print_nums(5)``: the coroutine's name and the arguments it was called with."""
        name = getattr(coro, "__qualname__", None) or type(coro).__name__
        code, frame = _code_and_frame(coro)
        if code is None or frame is None:
            return name + "()"
        try:
            local = frame.f_locals
            shown = [self.short_repr(local[n], 24)
                     for n in code.co_varnames[: code.co_argcount] if n in local]
            label = f"{name}({', '.join(shown)})"
        except Exception:
            label = name + "(…)"
        return label if len(label) <= 60 else label[:59] + "…"

    def hid_of(self, handle):
        entry = self.hids.get(id(handle))
        if entry is not None and entry[1]() is handle:
            return entry[0]
        hid = next(self.hid_counter)
        self.hids[id(handle)] = (hid, weakref.ref(handle))
        func = handle._callback
        while isinstance(func, functools.partial):
            func = func.func
        label = getattr(func, "__qualname__", None) or type(func).__qualname__
        code = getattr(getattr(func, "__func__", func), "__code__", None)
        user = code is not None and code in self.user_codes
        self.emit([E_CB, hid, label, 1 if user else 0, code.co_firstlineno if user else None])
        return hid

    def item_of(self, handle):
        """What a handle in the ready queue is to a learner: a task's next step, or a callback.

        Returns (item, task or None, whether the task was first seen just now).
        """
        owner = getattr(handle._callback, "__self__", None)
        if _is_task(owner):
            tid = self.known_tid(owner)
            if tid is None:
                return ["t", self.register_task(owner)], owner, True
            return ["t", tid], owner, False
        return ["c", self.hid_of(handle)], None, False

    def real_queue(self, queue):
        return [self.item_of(h)[0] for h in queue]

    # -- the loop's moments -------------------------------------------------------------
    def on_push(self, loop, handle, queue):
        if self.running is not None and self.running[0] == "t":
            self.note_if_done(self.running[2])
        item, task, fresh = self.item_of(handle)
        if isinstance(handle, _events.TimerHandle):
            reason = "timer"
        elif task is None:
            reason = "soon"
        elif fresh:
            reason = "start"
        elif type(handle._callback).__name__ == "TaskStepMethWrapper" or \
                getattr(handle._callback, "__name__", "").endswith("__step"):
            reason = "cancel" if task._must_cancel else "yield"
        else:
            reason = "wake"
        event = [E_PUSH, loop._ll_id, item, reason]
        if self.verify:
            event.append(self.real_queue(queue) + [item])
        self.emit(event)

    def on_pop(self, loop, handle, queue):
        self.finish_running()
        item, task, _fresh = self.item_of(handle)
        cancelled = 1 if handle._cancelled else 0
        event = [E_POP, loop._ll_id, item, cancelled]
        if self.verify:
            event.append(self.real_queue(queue))
        self.emit(event)
        if not cancelled:
            self.running = (item[0], item[1], task)

    def finish_running(self):
        """The handle that was running has returned: record how its task or callback ended."""
        running = self.running
        if running is None:
            return
        self.running = None
        kind, ident, task = running
        if kind == "c":
            self.emit([E_CB_END, ident])
        elif task.done():
            self.note_if_done(task)
        else:
            self.emit([E_SUSPEND, ident, self.describe_wait(task), self.suspended_line(task)])

    def note_if_done(self, task):
        if not task.done():
            return
        tid = self.tid_of(task)
        if tid in self.done_tids:
            return
        if task.cancelled():
            event = [E_DONE, tid, "cancelled", "cancelled", None]
        else:
            # Read the outcome without retrieving it: exception() would mark the exception as
            # seen, and CPython's "Task exception was never retrieved" would never be printed.
            exc = task._exception
            if isinstance(exc, StopProgram):
                return
            if exc is None:
                event = [E_DONE, tid, "result", self.short_repr(task._result), None]
            else:
                text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
                event = [E_DONE, tid, "exception", self.stable(text), self.exception_line(exc)]
        self.done_tids.add(tid)
        self.emit(event)
        if self.running is not None and self.running[2] is task:
            self.running = None

    def exception_line(self, exc):
        line = None
        tb = exc.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code in self.user_codes:
                line = tb.tb_lineno
            tb = tb.tb_next
        return line

    def suspended_line(self, task):
        """The learner's line where the task waits: the deepest of their frames it is in."""
        line = None
        for obj in _await_chain(task.get_coro()):
            code, frame = _code_and_frame(obj)
            if code in self.user_codes and frame is not None:
                line = frame.f_lineno
        return line

    def describe_wait(self, task):
        wait = self.wait_kind(task, task._fut_waiter)
        timeout = self.timeout_timers.get(self.tid_of(task))
        if timeout is not None:
            handle = timeout[2]()
            if handle is not None and handle._scheduled and not handle._cancelled:
                wait["deadline"] = timeout[1]
        return wait

    def wait_kind(self, task, fut):
        """What a suspended task waits for, in the trace contract's Wait shape."""
        if fut is None:
            return {"kind": "yield"}
        sleep = self.sleep_timers.get(id(fut))
        if sleep is not None and sleep[2]() is fut:
            return {"kind": "sleep", "timer": sleep[0], "until": sleep[1]}
        for obj in _await_chain(task.get_coro()):
            code, frame = _code_and_frame(obj)
            if code is None or code in self.user_codes or \
                    not code.co_filename.endswith(_LIBRARY_FILES):
                continue
            qualname = code.co_qualname
            local = frame.f_locals if frame is not None else {}
            owner = local.get("self")
            if qualname in ("wait", "_wait"):
                return {"kind": "wait", "tasks": self.task_ids(local.get("fs", ()))}
            if qualname == "_AsCompletedIterator._wait_for_one":
                return {"kind": "as_completed",
                        "tasks": self.task_ids(getattr(owner, "_todo", ()))}
            if qualname in ("TaskGroup.__aexit__", "TaskGroup._aexit"):
                return {"kind": "taskgroup",
                        "tasks": self.task_ids(getattr(owner, "_tasks", ()))}
            if qualname == "wait_for":
                return {"kind": "wait_for",
                        "task": self.tid_of(fut) if _is_task(fut) else None}
            cls, _, method = qualname.partition(".")
            if cls in _SYNC_CLASSES:
                return {"kind": "sync", "primitive": cls, "method": method}
            break
        if _is_task(fut):
            return {"kind": "task", "task": self.tid_of(fut)}
        if isinstance(fut, _tasks._GatheringFuture):
            return {"kind": "gather", "tasks": self.task_ids(getattr(fut, "_children", ()))}
        return {"kind": "future", "label": self.short_repr(fut, 80)}

    def task_ids(self, futures):
        return sorted(self.tid_of(f) for f in futures if _is_task(f))

    def on_timer(self, loop, handle):
        hid = self.hid_of(handle)
        when = _finite(handle._when)
        self.emit([E_TIMER, loop._ll_id, hid, when])
        callback = handle._callback
        if callback is _futures._set_result_unless_cancelled and handle._args:
            fut = handle._args[0]
            self.sleep_timers[id(fut)] = (hid, when, weakref.ref(fut))
        elif getattr(callback, "__name__", "") == "_on_timeout":
            task = getattr(getattr(callback, "__self__", None), "_task", None)
            if task is not None:
                self.timeout_timers[self.tid_of(task)] = (hid, when, weakref.ref(handle))

    def on_timer_cancel(self, loop, handle):
        if handle._scheduled:
            self.emit([E_TIMER_CANCEL, loop._ll_id, self.hid_of(handle)])

    def advance_to(self, when):
        if when > self.clock:
            self.clock = when
            self.emit([E_CLOCK, when])


# ----------------------------------------------------------------------------- the loop
_recorder = None  # the Recorder of the run in progress, if any
_idle_clock = [0.0]  # the virtual clock when no run is recorded


def _now():
    rec = _recorder
    return rec.clock if rec is not None else _idle_clock[0]


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


def _advance(seconds):
    rec = _recorder
    if rec is not None:
        rec.advance_to(rec.clock + seconds)
    else:
        _idle_clock[0] += seconds


class _ReadyQueue(collections.deque):
    """The loop's ready queue, reporting what joins and leaves it."""

    def __init__(self, loop):
        super().__init__()
        self.loop = loop

    def append(self, handle):
        rec = _recorder
        if rec is not None:
            if rec.stopped is not None:
                raise rec.stopped
            rec.on_push(self.loop, handle, self)
        super().append(handle)

    def popleft(self):
        handle = super().popleft()
        rec = _recorder
        if rec is not None:
            rec.on_pop(self.loop, handle, self)
        return handle


_INFINITY = float("inf")


def _wait_forever(rec, why):
    """The loop would wait forever: end the run as a deadlock (or, untraced, raise)."""
    if rec is not None:
        rec.stop("deadlock", why)
    raise RuntimeError("the event loop has nothing to run and would wait forever")


class _VirtualSelector:
    """A selector with nothing to watch: waiting just moves the virtual clock on."""

    def __init__(self, loop):
        self.loop = loop

    def select(self, timeout=None):
        rec = _recorder
        if rec is not None:
            rec.finish_running()
            if rec.stopped is not None:
                raise rec.stopped
        if timeout is None:
            _wait_forever(rec, "Every task is waiting for something that can never happen, so the "
                               "loop has nothing left to run. Real Python would wait here forever.")
        if timeout > 0:
            # asyncio asks to wait only when a timer is due later (for at most a day at a time):
            # on the virtual clock, go straight to the soonest timer's deadline.
            when = self.loop._scheduled[0]._when
            if when == _INFINITY:  # sleep(float('inf')): nothing will ever be due
                _wait_forever(rec, "Every task is waiting, and the soonest wake-up is at infinity "
                                   "(a sleep that never ends), so the loop has nothing left to run. "
                                   "Real Python would wait here forever.")
            _advance(when - _now())
        return []

    def register(self, fileobj, events, data=None):
        raise OSError("Loop Lab's event loop has no real I/O: no sockets, pipes or files")

    def unregister(self, fileobj):
        raise KeyError(fileobj)

    def modify(self, fileobj, events, data=None):
        raise KeyError(fileobj)

    def get_key(self, fileobj):
        raise KeyError(fileobj)

    def get_map(self):
        return {}

    def close(self):
        pass


class _UnixSelectorEventLoop(_base_events.BaseEventLoop):
    """CPython's own BaseEventLoop on a virtual clock, named as on Linux for its repr."""

    def __init__(self, selector=None):
        super().__init__()
        self._selector = _VirtualSelector(self)
        self._ready = _ReadyQueue(self)
        self._clock_resolution = 1e-9
        rec = _recorder
        self._ll_id = -1
        if rec is not None:
            self._ll_id = rec.loop_count
            rec.loop_count += 1
            rec.emit([E_LOOP, self._ll_id, "new"])

    def time(self):
        now = _new_float(_LoopTime, _now())
        now._ll_read = next(_clock_reads)
        return now

    def _process_events(self, event_list):
        pass

    def _write_to_self(self):
        pass

    def call_at(self, when, callback, *args, context=None):
        timer = super().call_at(when, callback, *args, context=context)
        rec = _recorder
        if rec is not None:
            rec.on_timer(self, timer)
        return timer

    def _timer_handle_cancelled(self, handle):
        rec = _recorder
        if rec is not None:
            rec.on_timer_cancel(self, handle)
        super()._timer_handle_cancelled(handle)

    def _run_once(self):
        rec = _recorder
        if rec is not None and rec.stopped is not None:
            raise rec.stopped
        super()._run_once()
        if rec is not None:
            rec.finish_running()

    def run_forever(self):
        rec = _recorder
        if rec is not None:
            rec.emit([E_LOOP, self._ll_id, "run"])
        try:
            super().run_forever()
        finally:
            if rec is not None and _recorder is rec:
                rec.finish_running()
                rec.emit([E_LOOP, self._ll_id, "stop"])

    def close(self):
        was_closed = self.is_closed()
        super().close()
        rec = _recorder
        if rec is not None and not was_closed:
            rec.emit([E_LOOP, self._ll_id, "close"])

    # No real I/O here: say so plainly instead of failing deep inside asyncio.
    def add_reader(self, *args, **kwargs):
        raise OSError("Loop Lab's event loop has no real file descriptors")

    add_writer = add_reader

    def remove_reader(self, *args, **kwargs):
        return False

    remove_writer = remove_reader

    def add_signal_handler(self, *args, **kwargs):
        raise NotImplementedError("signals are not available in Loop Lab")

    def remove_signal_handler(self, *args, **kwargs):
        return False

    # WebAssembly has no threads, so no executor can run anything: say so where it is asked,
    # instead of "can't start new thread" twice (once more as asyncio.run shuts its executor:
    # with none ever made, BaseEventLoop.shutdown_default_executor has nothing to do).
    def run_in_executor(self, executor, func, *args):
        self._check_closed()
        raise RuntimeError(
            "Loop Lab runs Python in WebAssembly, which has no threads: run_in_executor() and "
            "asyncio.to_thread() cannot run here (in real Python they run func in a thread)"
        )


class _VirtualLoopPolicy(_events._BaseDefaultEventLoopPolicy):
    _loop_factory = _UnixSelectorEventLoop


class Task(_CTask):
    """CPython's C Task, named Task-1, Task-2 … afresh in each run, as in a new process."""

    def __init__(self, coro, *, loop=None, name=None, context=None, eager_start=False):
        rec = _recorder
        if name is None:
            name = f"Task-{next(rec.name_counter) if rec is not None else 0}"
        # Set before the C __init__, which may already put the task in a set (eager start).
        self._ll_hash = next(rec.task_hashes) if rec is not None else object.__hash__(self)
        super().__init__(coro, loop=loop, name=name, context=context, eager_start=eager_start)

    def __hash__(self):
        # asyncio keeps tasks in sets and walks them: all_tasks() (asyncio.run cancels what is
        # left in that order), TaskGroup's tasks, wait()'s done and pending. A task's default
        # hash is its address, so the order would hang on where the allocator put each task,
        # which differs from run to run as earlier runs leave the heap in another state. A
        # hash drawn from the order of creation makes those walks, and so the trace, the same
        # on every run.
        return self._ll_hash

    def set_name(self, value):
        super().set_name(value)
        rec = _recorder
        if rec is not None:
            tid = rec.known_tid(self)
            if tid is not None:
                rec.emit([E_RENAME, tid, self.get_name()])


Task.__name__ = Task.__qualname__ = "Task"
Task.__module__ = "_asyncio"


# ----------------------------------------------------------------------------- time
_original_as_completed = _tasks.as_completed


def _as_completed(fs, *, timeout=None):
    """asyncio.as_completed, with tasks for bare coroutines made in the order they are given.

    CPython makes them from ``set(fs)``: coroutines hash by address, so which one becomes
    Task-2 and which Task-3 would change from run to run (see Task.__hash__). Making them here
    first, in argument order, is one of the orders CPython can take, and always the same one.
    """
    if _futures.isfuture(fs) or asyncio.iscoroutine(fs):
        return _original_as_completed(fs, timeout=timeout)  # raises its own TypeError
    ordered, seen = [], set()
    for aw in fs:
        if id(aw) not in seen:
            seen.add(id(aw))
            ordered.append(aw)
    if any(asyncio.iscoroutine(aw) for aw in ordered):
        loop = _events.get_event_loop()
        ordered = [_tasks.ensure_future(aw, loop=loop) for aw in ordered]
    return _original_as_completed(ordered, timeout=timeout)


_as_completed.__name__ = _as_completed.__qualname__ = "as_completed"
_as_completed.__module__ = "asyncio.tasks"


def _virtual_monotonic():
    return _now()


def _virtual_time():
    return _EPOCH + _now()


def _virtual_sleep(seconds):
    """time.sleep: the whole thread stops, so no task runs; on the virtual clock, instantly."""
    seconds = float(seconds)
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    rec = _recorder
    if rec is not None:
        rec.emit([E_BLOCK, seconds, rec.current_user_line()])
    _advance(seconds)


def _ns(clock):
    return lambda: int(clock() * 1e9)


_real_localtime, _real_gmtime, _real_ctime = time.localtime, time.gmtime, time.ctime
_real_asctime, _real_strftime = time.asctime, time.strftime


def _at_virtual_now(real):
    """time.localtime/gmtime/ctime: with no seconds given, the virtual clock's now."""

    def at(secs=None):
        return real(_virtual_time() if secs is None else secs)

    at.__name__ = at.__qualname__ = real.__name__
    at.__doc__ = real.__doc__
    return at


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


# ----------------------------------------------------------------------------- output
class _Stream(io.TextIOBase):
    """sys.stdout or sys.stderr of a run: every write goes into the trace."""

    def __init__(self, rec, name):
        super().__init__()
        self._rec = rec
        self._name = name

    @property
    def name(self):
        return "<" + self._name + ">"

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "strict"

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError(f"write() argument must be str, not {type(text).__name__}")
        self._rec.write(self._name, text)
        return len(text)

    def flush(self):
        pass


def _no_input(prompt=""):
    raise EOFError("Loop Lab programs cannot read input: input() has no keyboard here")


# ----------------------------------------------------------------------------- install
_installed = False
_baseline_modules = frozenset()
_baseline_filters = []


def install():
    """Put the virtual loop and clock in place. Called once, when the runtime starts."""
    global _installed, _baseline_modules, _baseline_filters
    if _installed:
        return
    _installed = True
    _events._set_running_loop(None)
    _events._set_event_loop_policy(_VirtualLoopPolicy())
    asyncio.run = asyncio.runners.run
    _tasks.Task = asyncio.Task = Task
    _tasks.as_completed = asyncio.as_completed = _as_completed
    time.sleep = _virtual_sleep
    time.monotonic = time.perf_counter = _virtual_monotonic
    time.time = _virtual_time
    time.monotonic_ns = time.perf_counter_ns = _ns(_virtual_monotonic)
    time.time_ns = _ns(_virtual_time)
    time.localtime = _at_virtual_now(_real_localtime)
    time.gmtime = _at_virtual_now(_real_gmtime)
    time.ctime = _at_virtual_now(_real_ctime)
    time.asctime = _virtual_asctime
    time.strftime = _virtual_strftime
    _virtual_calendar_clock()
    if sys.monitoring.get_tool(TOOL_ID) is None:
        sys.monitoring.use_tool_id(TOOL_ID, "looplab")
    original_show = warnings._showwarnmsg_impl

    def show_warning(msg):
        # A warning raised while the program is torn down (a coroutine never awaited, found
        # when its last reference goes) is one CPython reports at exit, as "sys:1".
        if msg.filename == _THIS_FILE:
            msg.filename, msg.lineno, msg.line, msg.source = "sys", 1, None, None
        original_show(msg)

    warnings._showwarnmsg_impl = show_warning
    _hide_own_frames()
    _read_stdlib_lines()
    _close_native_doors()
    _baseline_filters = list(warnings.filters)
    _baseline_modules = frozenset(sys.modules)
    # Everything alive now (the interpreter, the stdlib, this module) lives for good: keep it
    # out of the collector's sight, so the full collections each run ends with cost ~nothing.
    gc.collect()
    gc.freeze()


_NATIVE_DOORS = ("ctypes", "_ctypes")


def _close_native_doors():
    """ctypes could call the runtime's C functions directly (Emscripten's eval among them).
    Asyncio lessons never need it: importing it raises ImportError."""
    for name in _NATIVE_DOORS:
        sys.modules[name] = None


def _own_frame(frame):
    return frame.f_code.co_filename == _THIS_FILE


def _hide_own_frames():
    """Keep this file's frames out of every traceback Python formats, not just the last one.

    The learner's code runs under ``run()`` here, and the loop's ``run_forever`` and
    ``_run_once`` are overridden here, so an exception's traceback holds frames of this file:
    at the bottom, and between ``base_events.py`` frames. ``_report_exception`` trims the
    uncaught exception's, but tracebacks are also formatted while the program runs: asyncio's
    "Task exception was never retrieved", "Exception in callback", ``traceback.print_exc()``
    in the learner's code. All of those walk frames with these three functions of the
    ``traceback`` module; skipping our frames there gives the frames CPython would show.
    """
    walk_tb = traceback.walk_tb
    walk_stack = traceback.walk_stack

    def walk_tb_without_ours(tb):
        return ((f, n) for f, n in walk_tb(tb) if not _own_frame(f))

    def walk_stack_without_ours(f):
        if f is None:
            f = sys._getframe().f_back
        return ((fr, n) for fr, n in walk_stack(f) if not _own_frame(fr))

    traceback.walk_tb = walk_tb_without_ours
    traceback.walk_stack = walk_stack_without_ours
    walk_full = getattr(traceback, "_walk_tb_with_full_positions", None)
    if walk_full is not None:
        traceback._walk_tb_with_full_positions = \
            lambda tb: ((f, p) for f, p in walk_full(tb) if not _own_frame(f))


def _read_stdlib_lines():
    """Let linecache read the standard library's source whenever it is asked for a line.

    The stdlib sits in a zip here, which linecache can only read through a module's loader:
    a traceback passes it the module's globals, a warning does not. So a warning raised in
    asyncio ("coroutine ... was never awaited", attributed to events.py) showed its source
    line only if an earlier traceback, in this run or any run before, had loaded that file:
    the output changed from run to run. CPython reads the file from disk and always shows the
    line; so does this, by finding the loaded module a file name belongs to.
    """
    getlines = linecache.getlines

    def getlines_from_loaded_modules(filename, module_globals=None):
        if module_globals is None and filename not in linecache.cache:
            for module in list(sys.modules.values()):
                if getattr(module, "__file__", None) == filename:
                    module_globals = module.__dict__
                    break
        return getlines(filename, module_globals)

    linecache.getlines = getlines_from_loaded_modules


def _user_code_objects(code):
    found = {code}
    stack = [code]
    while stack:
        for const in stack.pop().co_consts:
            if isinstance(const, types.CodeType) and const not in found:
                found.add(const)
                stack.append(const)
    return frozenset(found)


def _line_at(code, offset):
    for start, end, line in code.co_lines():
        if start <= offset < end:
            return line
    return None


def _make_line_hooks(rec):
    """The LINE and JUMP callbacks: the hot path, run for every line of the learner's code.

    Each line number goes into a small preallocated list (a store the interpreter does
    without calling anything); every BATCH lines, or sooner when asked, `check()` moves the
    batch into the recorder's array and calls `periodic()`, which enforces the limits.
    """
    lines = rec.lines
    periodic = rec.periodic
    max_steps = rec.max_steps
    disable = sys.monitoring.DISABLE
    loop_lines = {}  # (code, jump offset) -> the line a one-line loop jumps back into
    buf = [0] * _LINE_BATCH
    filled = 0
    size = min(_LINE_BATCH, max_steps)  # check() runs when `filled` reaches this

    def spill():
        nonlocal filled, size
        if filled:
            lines.extend(buf if filled == _LINE_BATCH else buf[:filled])
            size = max(0, size - filled)  # the next check stays as many lines away
            filled = 0

    def check():
        # Before a line is recorded: it would be line number len(lines) + 1 of the run.
        nonlocal size
        spill()
        size = 0  # if periodic() raises, every later line comes back here and raises too
        periodic(len(lines) + 1)
        size = min(_LINE_BATCH, max_steps - len(lines))

    def request_check():
        nonlocal size
        size = filled

    def on_line(code, line):
        nonlocal filled
        if filled == size:
            check()
        buf[filled] = line
        filled += 1

    def on_jump(code, source, target):
        # CPython raises a LINE event after a jump back from another line. A loop written on
        # one line (``while True: pass``) jumps back into its own line, with no LINE event:
        # count each turn of it as a line here, so that it shows and meets the step budget.
        nonlocal filled
        key = (code, source)
        line = loop_lines.get(key)
        if line is None:
            line = _line_at(code, target)
            if target > source or line is None or line != _line_at(code, source):
                return disable
            loop_lines[key] = line
        if filled == size:
            check()
        buf[filled] = line
        filled += 1

    rec.spill_lines = spill
    rec.request_check = request_check
    return on_line, on_jump


_LINE_BATCH = 256


# ----------------------------------------------------------------------------- run
def run(source, filename, options_json="{}", flush=None, heap_probe=None):
    """Run one program; return the end of its trace (the events not yet flushed) as JSON.

    ``flush(json_text)`` receives the events so far every ``flushSeconds``, so that a host
    which has to stop a runaway program still holds its trace.
    """
    global _recorder
    install()
    rec = Recorder(json.loads(options_json), flush, heap_probe)
    saved = _save_process_state()
    globals().pop("__warningregistry__", None)
    mon = sys.monitoring
    try:
        _install_streams(rec)
        try:
            code = compile(source, filename, "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as exc:  # ValueError: a NUL byte in the source
            _report_exception(rec, exc, syntax=True)
            return _finish(rec, 1)
        rec.user_codes = _user_code_objects(code)
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        module = types.ModuleType("__main__")
        module.__file__ = filename
        module.__builtins__ = builtins
        sys.modules["__main__"] = module
        on_line, on_jump = _make_line_hooks(rec)
        mon.register_callback(TOOL_ID, mon.events.LINE, on_line)
        mon.register_callback(TOOL_ID, mon.events.JUMP, on_jump)
        for c in rec.user_codes:
            mon.set_local_events(TOOL_ID, c, mon.events.LINE | mon.events.JUMP)
        _recorder = rec
        status = 0
        try:
            exec(code, module.__dict__)
        except SystemExit as exc:
            status = _exit_status(rec, exc)
        except BaseException as exc:  # the learner's uncaught exception, shown as CPython does
            if not isinstance(exc, StopProgram) and rec.stopped is None:
                _recorder = None
                _report_exception(rec, exc)
                # CPython ends on an uncaught KeyboardInterrupt by killing itself with SIGINT,
                # which a shell reports as 130 (128 + 2), not 1.
                status = 130 if isinstance(exc, KeyboardInterrupt) else 1
            exc = None
        _recorder = None
        rec.running = None
        if rec.stopped is not None:
            rec.final([E_LIMIT, rec.stopped.reason, rec.stopped.message])
            status = 2
        for c in rec.user_codes:
            mon.set_local_events(TOOL_ID, c, 0)
        _teardown_program(rec, module)
        return _finish(rec, status)
    finally:
        _recorder = None
        mon.register_callback(TOOL_ID, mon.events.LINE, None)
        mon.register_callback(TOOL_ID, mon.events.JUMP, None)
        _restore_process_state(saved)
        linecache.cache.pop(filename, None)
        for name in set(sys.modules) - _baseline_modules:
            del sys.modules[name]
        # A run that was stopped (a limit, a deadlock) leaves its tasks pending, held by the
        # StopProgram's traceback, which this recorder holds: let go of both, so that they
        # are collected now, with the streams already restored (a stopped program never
        # reaches its exit, so what its objects print as they go is nobody's output), and
        # not in the next run, where "Task was destroyed but it is pending!" would land in
        # another program's trace.
        if rec.stopped is not None:
            rec.stopped.__traceback__ = None
        del rec
        gc.collect()


def _finish(rec, status):
    """The run's summary, as JSON. The rest of the trace goes to the host through `flush`;
    without one, it comes back in the summary (line numbers as a JSON list)."""
    if rec.flush_fn is not None:
        rec.flush()
    rec.mark_lines()
    events, lines = rec.take_chunk()
    return json.dumps({"events": events, "lines": lines.tolist(), "status": status,
                       "limited": rec.stopped is not None,
                       "clock": rec.clock,
                       "wallMs": (_real_perf_counter() - rec.started) * 1000},
                      separators=(",", ":"))


def _exit_status(rec, exc):
    code = exc.code
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    rec.write("stderr", f"{code}\n")
    return 1


def _install_streams(rec):
    sys.stdout = _Stream(rec, "stdout")
    sys.stderr = _Stream(rec, "stderr")
    builtins.input = _no_input


def _report_exception(rec, exc, syntax=False):
    """Print the traceback CPython would print, from the learner's first frame on."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename == _THIS_FILE:
        tb = tb.tb_next
    exc.__traceback__ = tb
    try:
        text = "".join(traceback.format_exception(exc))
    except Exception:  # a learner's exception whose __str__ raises
        text = f"{type(exc).__name__}: <exception str() failed>\n"
    rec.max_output = math.inf
    rec.write("stderr", text)
    if syntax and isinstance(exc, SyntaxError):
        line, message = exc.lineno, str(exc.msg)
    else:
        line, message = rec.exception_line(exc), str(exc)
    rec.final([E_EXC, type(exc).__name__, rec.stable(message), line])


def _teardown_program(rec, module):
    """What CPython does at exit: drop the program's objects, which may print warnings."""
    rec.max_output = math.inf
    try:
        module.__dict__.clear()
        gc.collect()
    except BaseException as exc:  # a learner's __del__ may raise; CPython prints and goes on
        rec.write("stderr", f"Exception ignored while finalizing: {exc!r}\n")


def _save_process_state():
    return (sys.stdout, sys.stderr, builtins.input, sys.getrecursionlimit(),
            logging.root.level, list(logging.root.handlers), sys.modules.get("__main__"))


def _restore_process_state(saved):
    (sys.stdout, sys.stderr, builtins.input, limit, level, handlers, main) = saved
    sys.setrecursionlimit(limit)
    logging.root.setLevel(level)
    logging.root.handlers[:] = handlers
    warnings.filters[:] = _baseline_filters
    warnings._filters_mutated()
    if main is not None:
        sys.modules["__main__"] = main
    else:
        sys.modules.pop("__main__", None)
    _close_native_doors()
    _events._set_running_loop(None)
    try:
        _events._get_event_loop_policy().set_event_loop(None)
    except Exception:
        pass
    _idle_clock[0] = 0.0


def run_plain(source, filename):
    """Run a program on the same virtual loop, recording nothing; return the real ms it took.

    The benchmark's baseline: tracing overhead is a traced run's time over this one's.
    """
    install()
    code = compile(source, filename, "exec", dont_inherit=True)
    module = types.ModuleType("__main__")
    module.__builtins__ = builtins
    saved = (sys.stdout, sys.stderr)
    sys.stdout = sys.stderr = io.StringIO()
    started = _real_perf_counter()
    try:
        exec(code, module.__dict__)
    finally:
        elapsed = (_real_perf_counter() - started) * 1000
        sys.stdout, sys.stderr = saved
        module.__dict__.clear()
        _events._set_running_loop(None)
        _idle_clock[0] = 0.0
        gc.collect()
    return elapsed
