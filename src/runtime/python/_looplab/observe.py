"""What the loop does, as the trace records it: the ready queue's pushes and pops, the timer
heap, each task step's end, and what a suspended task waits for.

``LoopObserver`` is a part of ``Recorder`` (recorder.py): its methods are called by the loop
(loop.py) as things happen, and they emit events through the recorder.
"""

import asyncio.events as _events
import asyncio.futures as _futures
import asyncio.tasks as _tasks
import asyncio.timeouts as _timeouts
import gc
import math
import types
import weakref

from .callables import (STEP_WRAPPER, bound_self, function_name, future_field, method_function, task_cancelled,
                        task_coroutine, task_done, wrapped_generator)
from .describe import exception_text, type_name, value_text
from .holders import lock_holder
from .identity import address_key, own_attribute
from .trusted import present_before
# Imported here, with the tracer, never in a run: runner.run drops every module a run
# imported (its _baseline_modules), so a first wait on a future imported it afresh in each
# run, ~2 ms (measured in Pyodide in Node: 1.8-4.8 ms, cpu_heavy.py's one gather wait).
from .netwait import network_wait
from .stop import StopProgram
from .wire import (E_CB_END, E_DONE, E_POP, E_PUSH, E_SUSPEND, E_TIMER, E_TIMER_CANCEL,
                   E_CLOCK, E_EAGER, E_EAGER_END)
# Taken once, as this module loads: the program can reach these modules and rebind their names.
_isfinite = math.isfinite
_get_referents = gc.get_referents
_weakref = weakref.ref
_TRACEBACK = BaseException.__dict__["__traceback__"]  # a class may put a property of its own there

CTask = _tasks._CTask if hasattr(_tasks, "_CTask") else _tasks.Task
# asyncio's own files whose frames say what a task waits on (a lock, a queue, a TaskGroup …).
_LIBRARY_FILES = ("asyncio/locks.py", "asyncio/queues.py", "asyncio/tasks.py",
                  "asyncio/taskgroups.py", "asyncio/timeouts.py")
# asyncio's frames that only pass a wait on to the next frame in, which says what it is: `async
# for` over as_completed awaits _AsCompletedIterator.__anext__, which awaits _wait_for_one (3.14's
# Lib/asyncio/tasks.py). Stopping at it, the wait read as "a Future" (a reviewer's finding).
_PASSED_THROUGH = frozenset({"_AsCompletedIterator.__anext__"})
_SYNC_CLASSES = {"Queue", "PriorityQueue", "LifoQueue", "Lock", "Event", "Condition",
                 "Semaphore", "BoundedSemaphore", "Barrier"}
# Frames of asyncio's own through which a primitive is reached: ``async with lock:`` awaits
# ``_ContextManagerMixin.__aenter__``, which awaits ``self.acquire()``.
_SYNC_HELPERS = {"_ContextManagerMixin": "acquire"}
_SYNC_FILES = ("asyncio/locks.py", "asyncio/queues.py")


def finite(value):
    return value if issubclass(type(value), (int, float)) and _isfinite(value) else None


# Taken once, here: the program can reach these modules and rebind their names (a reviewer's
# rebound asyncio.tasks._PyTask to a class whose metaclass counted the tracer's checks).
_TASK_TYPES = (CTask, _tasks._PyTask)
_METHOD_TYPE = types.MethodType
_BUILTIN_TYPE = types.BuiltinMethodType
_COROUTINE_OR_ASYNC_GENERATOR = (types.CoroutineType, types.AsyncGeneratorType)
_TIMER_HANDLE = _events.TimerHandle
_GATHERING_FUTURE = _tasks._GatheringFuture
_SET_RESULT_UNLESS_CANCELLED = _futures._set_result_unless_cancelled


def _own_set(obj, name):
    """The set ``obj`` keeps as ``name`` in its own dict (a TaskGroup's ``_tasks``, as_completed's
    ``_todo``), else nothing: never a property of a subclass's, nor an object of the program's."""
    found = own_attribute(obj, name)
    return found if type(found) is set else ()


def is_task(obj):
    return issubclass(type(obj), _TASK_TYPES)


# _PyTask's step and wake-up (name-mangled), for a loop running CPython's pure-Python tasks.
_PY_STEP = getattr(_tasks._PyTask, "_Task__step", None)
_PY_WAKEUP = getattr(_tasks._PyTask, "_Task__wakeup", None)
# A timeout's timer (asyncio.timeout, wait_for in 3.12+): its callback is this, bound.
_ON_TIMEOUT = _timeouts.Timeout._on_timeout


def step_kind(callback):
    """``"step"`` or ``"wakeup"`` if ``callback`` is a task's step or wake-up as asyncio schedules
    them, else None. C tasks schedule a ``TaskStepMethWrapper`` and the builtin ``task_wakeup``
    (Modules/_asynciomodule.c); ``_PyTask`` its ``__step`` and ``__wakeup``."""
    kind = type(callback)
    if kind is _METHOD_TYPE:
        function = method_function(callback)
        return "step" if function is _PY_STEP else "wakeup" if function is _PY_WAKEUP else None
    if kind is _BUILTIN_TYPE:
        return "wakeup" if function_name(callback) == "task_wakeup" else None
    return "step" if kind is STEP_WRAPPER and kind is not None else None


def step_of(callback):
    """``(task, kind)``: the task whose step (or wake-up) ``callback`` is, and which of the two
    (``step_kind``); ``(None, None)`` for anything else. A task's other methods in the ready
    queue are callbacks: a watchdog's ``call_later(2, t.cancel)`` cancels t, it is not t
    running (taken for t's step, a task already done showed as running, with no end). Both
    answers at once: a push needs both, and asked apart it classified the callback twice."""
    owner = bound_self(callback)
    if is_task(owner):
        kind = step_kind(callback)
        if kind is not None:
            return owner, kind
    return None, None


_COROUTINE = types.CoroutineType
_GENERATOR = types.GeneratorType
_ASYNC_GENERATOR = types.AsyncGeneratorType
# What a ``@types.coroutine`` generator is awaited through (codeguard.py wraps every one in it):
# the standard library's, so reading it runs none of the program's code.
_GENERATOR_WRAPPER = types._GeneratorWrapper


# Taken once, here: the program can reach `types` and rebind its names.
_CODE = types.CodeType


def real_code(obj):
    """``obj`` if it is a code object, else None: what a program's own callable or awaitable
    names as its code can be anything, one that compares equal to the learner's code on a first
    line of its choosing included (the learner's code is looked up by identity, in
    ``user_keys``; what is read from it, ``co_filename`` …, must be a code object's)."""
    return obj if type(obj) is _CODE else None


def await_chain(coro):
    """The coroutine a task runs, then what that awaits, and so on down (at most 200), as a
    list of ``(object, code, frame)`` links: each coroutine's ``cr_await``, generator's
    ``gi_yieldfrom`` or async generator's ``ag_await``, or what a C wrapper stands for
    (``wrapped_awaitable``); the chain ends at the first link that is none of these, or whose
    one is false. ``code`` and ``frame`` are ``code_and_frame``'s.

    Only those types' own attributes are read: anything else awaited (a Future, an iterator a
    program's ``__await__`` returned) ends the chain, with no code and no frame. Its ``cr_code``,
    ``cr_frame`` or ``cr_await``, if it has any, are the program's, and reading them ran its
    code inside the loop's moments, where python3 runs none: a property that raised ended the
    run with the tracer's frames in the traceback, and one that named another task's frame
    showed that task's line (an attacker's findings).

    A suspend walks it once and reads it three times (its wait, its line, its frames:
    ``finish_running``), so each link's code and frame are read here, once: ``cr_code`` and
    ``cr_frame`` (and ``gi_``'s) raise an audit event, ~1.2 µs each with the code guard's hook
    in place (codeguard.py), and read by each of the three readers they were 16 events a task
    switch in bench/programs/cpu_heavy.py, counted with an audit hook of its own. Coroutines
    and generators (nearly every link) are followed by their one attribute, with no lookups of
    the others."""
    chain = []
    obj = coro
    while obj is not None and len(chain) < 200:
        kind = type(obj)
        if kind is _COROUTINE:
            chain.append((obj, obj.cr_code, obj.cr_frame))
            obj = obj.cr_await or None  # a coroutine has no gi_/ag_ links and wraps nothing
        elif kind is _GENERATOR:
            chain.append((obj, obj.gi_code, obj.gi_frame))
            obj = obj.gi_yieldfrom or None  # nor has a generator any other
        elif kind is _ASYNC_GENERATOR:
            chain.append((obj, obj.ag_code, obj.ag_frame))
            obj = obj.ag_await or None
        elif kind is _GENERATOR_WRAPPER and (generator := wrapped_generator(obj)) is not None:
            # The generator's own code, frame and link (the wrapper's cr_code, cr_await … are its).
            chain.append((obj, generator.gi_code, generator.gi_frame))
            obj = generator.gi_yieldfrom or None
        else:
            chain.append((obj, None, None))
            obj = wrapped_awaitable(obj)
    return chain


# C objects that are awaited in place of a coroutine or an async generator, with no attribute
# leading to it: what ``async for``/``anext(agen)`` (asend), ``aclose()`` (athrow),
# ``anext(agen, default)`` (anext_awaitable, around an asend) and ``coro.__await__()`` (in a
# custom awaitable's ``__await__``: coroutine_wrapper) give to await.
_WRAPPERS = frozenset({"async_generator_asend", "async_generator_athrow", "anext_awaitable",
                       "coroutine_wrapper"})


def wrapped_awaitable(awaitable):
    """The coroutine, async generator or wrapper that ``awaitable`` stands for, when it is one
    of the C wrappers above, else None.

    The await chain stopped at these (Objects/genobject.c gives them no ``cr_await``-like
    attribute), so what the coroutine or generator inside waited on was lost: a lock taken in
    an ``@asynccontextmanager``, a queue read in an ``async for``. What they wrap is among the
    objects they refer to (their ``tp_traverse``)."""
    if type_name(awaitable) not in _WRAPPERS:
        return None
    for ref in _get_referents(awaitable):
        if issubclass(type(ref), _COROUTINE_OR_ASYNC_GENERATOR) or \
                type_name(ref) in _WRAPPERS:
            return ref
    return None


def _initialised(future):
    """False for a Task whose C ``__init__`` failed before it was set up (a bad argument)."""
    try:
        task_done(future)
        return True
    except RuntimeError:  # "Future object is not initialized."
        return False


def with_extra(event, extra):
    """The event with its optional fields (a dict, inside.py) at its end, when there are any."""
    if extra:
        event.append(extra)
    return event


def code_and_frame(obj):
    """``(code, frame)`` of a coroutine, generator or async generator (frame None once it has
    finished), told by its type (none of the three can be subclassed), or of the generator a
    ``@types.coroutine`` wrapper holds, else ``(None, None)``:
    the ``cr_code`` and ``cr_frame`` of anything else are the program's own (see await_chain)."""
    kind = type(obj)
    if kind is _COROUTINE:
        return obj.cr_code, obj.cr_frame
    if kind is _GENERATOR:
        return obj.gi_code, obj.gi_frame
    if kind is _ASYNC_GENERATOR:
        return obj.ag_code, obj.ag_frame
    if kind is _GENERATOR_WRAPPER:
        generator = wrapped_generator(obj)
        if generator is not None:
            return generator.gi_code, generator.gi_frame
    return None, None


def frame_of(obj):
    """The frame of a coroutine, generator or async generator (None once it has finished), else
    None: as code_and_frame, with one read (each raises an audit event: see await_chain)."""
    kind = type(obj)
    if kind is _COROUTINE:
        return obj.cr_frame
    if kind is _GENERATOR:
        return obj.gi_frame
    if kind is _ASYNC_GENERATOR:
        return obj.ag_frame
    if kind is _GENERATOR_WRAPPER:
        generator = wrapped_generator(obj)
        return generator.gi_frame if generator is not None else None
    return None


class LoopObserver:
    """The loop's moments, recorded (mixed into Recorder, whose state these methods use)."""

    def on_push(self, loop_id, handle, queue):
        running = self.running
        if running is not None and running[0] == "t":
            running = running[2]
            if task_done(running):  # note_if_done's own first question, asked here: a call fewer
                self.note_done(running)
        item, task, fresh, step = self.step_item(handle)
        if issubclass(type(handle), _TIMER_HANDLE):
            reason = "timer"
        elif task is None:
            reason = "soon"
        elif fresh:
            reason = "start"
        elif step == "step":
            reason = "cancel" if future_field(task, "_must_cancel") else "yield"
        else:
            reason = "wake"
        event = [E_PUSH, loop_id, item, reason]
        event.append(self.real_queue(queue) + [item] if self.verify else None)
        # Only a wake-up or a cancellation says why (inside.wake_of): no call for the others.
        extra = self.inside.at_push(handle, task, reason) \
            if task is not None and (reason == "wake" or reason == "cancel") else None
        if extra:
            event.append(extra)
        self.emit(event)

    def on_pop(self, loop_id, handle, queue):
        self.finish_running()
        item, task, _fresh, _step = self.step_item(handle)
        cancelled = 1 if handle._cancelled else 0
        event = [E_POP, loop_id, item, cancelled]
        if self.verify:
            event.append(self.real_queue(queue))
        self.emit(event)
        if not cancelled:
            self.running = (item[0], item[1], task)
            self.flush_at_step_line()

    def finish_running(self):
        """The handle that was running has returned: record how its task or callback ended."""
        running = self.running
        if running is None:
            return
        self.running = None
        kind, ident, task = running
        if kind == "c":
            self.emit(with_extra([E_CB_END, ident], self.inside.objects_only()))
        elif task_done(task):
            self.note_if_done(task)
        else:
            chain = await_chain(task_coroutine(task))
            event = [E_SUSPEND, ident, self.describe_wait(task, chain, ident),
                     self.suspended_line(task, chain)]
            self.emit(with_extra(event, self.inside.at_suspend(task, ident, chain)))

    def note_if_done(self, task):
        if task_done(task):
            self.note_done(task)

    def note_done(self, task):
        """``task`` is done (its ``done()`` said so): record how it ended, once."""
        tid = self.tid_of(task)
        if tid in self.done_tids:
            return
        if task_cancelled(task):
            event = [E_DONE, tid, "cancelled", "cancelled", None]
        else:
            # Read the outcome without retrieving it: exception() would mark the exception as
            # seen, and CPython's "Task exception was never retrieved" would never be printed.
            exc = future_field(task, "_exception")
            if issubclass(type(exc), StopProgram):
                return
            if exc is None:
                event = [E_DONE, tid, "result", self.stable_text(future_field(task, "_result")), None]
            else:
                # Without running the program's code: python3 runs none of it to end a task.
                event = [E_DONE, tid, "exception", self.clipped_message(exception_text(exc)), self.exception_line(exc)]
        self.done_tids.add(tid)
        self.inside.forget(tid)
        self.emit(with_extra(event, self.inside.objects_only()))
        if self.running is not None and self.running[2] is task:
            self.running = None

    def stable_text(self, value, limit=200):
        """value_text() with its addresses swapped for the run's stand-ins (stable()): a result
        that is a str holding a repr, ``'<A object at 0x16e79a0>'``, differed from run to run.
        Swapped before it is cut (made a little longer for that), so no address is cut in two."""
        text = self.stable(value_text(value, limit + 24))
        return text if len(text) <= limit else text[: limit - 1] + "…"

    def exception_line(self, exc):
        line = None
        tb = _TRACEBACK.__get__(exc)  # CPython's own: a property of the program's is never run
        while tb is not None:
            if address_key(tb.tb_frame.f_code) in self.user_keys:
                line = tb.tb_lineno
            tb = tb.tb_next
        return line

    def suspended_line(self, task, chain=None):
        """The learner's line where the task waits: the deepest of their frames it is in.
        ``chain``: the task's ``await_chain``, if already walked."""
        user_keys = self.user_keys
        for _obj, code, frame in reversed(chain if chain is not None else await_chain(task_coroutine(task))):
            if address_key(code) in user_keys and frame is not None:
                return frame.f_lineno
        return None

    def describe_wait(self, task, chain=None, tid=None):
        """What a suspended task waits for (``wait_kind``), with its timeout's deadline if it
        has one. ``chain``: the task's ``await_chain``, if already walked; ``tid``: its id, if
        known."""
        wait = self.wait_kind(task, future_field(task, "_fut_waiter"), chain)
        timeout = self.timeout_timers.get(tid if tid is not None else self.tid_of(task))
        if timeout is not None:
            handle = timeout[2]()
            if handle is not None and handle._scheduled and not handle._cancelled:
                wait["deadline"] = timeout[1]
        return wait

    def wait_kind(self, task, fut, chain=None):
        """What a suspended task waits for, in the trace contract's Wait shape. ``chain``: the
        task's ``await_chain``, if already walked."""
        if fut is None:
            return {"kind": "yield"}
        sleep = self.sleep_timers.get(address_key(fut))
        if sleep is not None and sleep[2]() is fut:
            return {"kind": "sleep", "timer": sleep[0], "until": sleep[1]}
        # The network (netwait.py): a read, a drain, a connection, a server.
        if chain is None:
            chain = await_chain(task_coroutine(task))
        net = network_wait(self, chain)
        if net is not None:
            return net
        for _obj, code, frame in chain:
            if code is None or address_key(code) in self.user_keys or \
                    not code.co_filename.endswith(_LIBRARY_FILES) or not present_before(code):
                continue  # (asyncio's own code, by identity: a program may name its code after asyncio's files)
            qualname = code.co_qualname
            if qualname in _PASSED_THROUGH:
                continue
            local = frame.f_locals if frame is not None else {}
            owner = local.get("self")
            if qualname in ("wait", "_wait"):
                return {"kind": "wait", "tasks": self.task_ids(local.get("fs", ()))}
            if qualname == "_AsCompletedIterator._wait_for_one":
                return {"kind": "as_completed",
                        "tasks": self.task_ids(_own_set(owner, "_todo"))}
            if qualname in ("TaskGroup.__aexit__", "TaskGroup._aexit"):
                return {"kind": "taskgroup",
                        "tasks": self.task_ids(_own_set(owner, "_tasks"))}
            if qualname == "wait_for":
                if is_task(fut):
                    return {"kind": "wait_for", "task": self.tid_of(fut)}
                # 3.12+: wait_for awaits a coroutine in this task: say what that waits on.
                inner = self.primitive_wait(task, chain)
                if inner is not None:
                    return inner
                continue
            cls, _, method = qualname.partition(".")
            if cls in _SYNC_CLASSES or cls in _SYNC_HELPERS:
                wait = self.primitive_wait(task, chain)
                if wait is not None:
                    return wait
            break
        if is_task(fut):
            return {"kind": "task", "task": self.tid_of(fut)}
        if issubclass(type(fut), _GATHERING_FUTURE):
            return {"kind": "gather", "tasks": self.task_ids(getattr(fut, "_children", ()))}
        return {"kind": "future", "label": self.stable_text(fut, 80)}

    def primitive_wait(self, task, chain=None):
        """The task's wait on a lock, semaphore, event, condition, queue or barrier, named for
        what the program made (``PriorityQueue.get``, ``BoundedSemaphore.acquire``), however it
        was reached: ``async with``, ``wait_for(ev.wait(), …)``, and the primitives asyncio
        builds on others (``Queue.join`` waits on an Event of the Queue's, ``Barrier.wait`` on
        a Condition, a Condition on a Lock): the outermost one is what the program asked for.
        When what it waits for in the end is a Lock, ``holder`` is the task that holds it
        (holders.py). None when no primitive is in the task's await chain
        (``chain``, if already walked)."""
        outer = None    # (the primitive, the method the program called)
        lock = None     # the Lock acquired deepest down, if any
        for _obj, code, frame in chain if chain is not None else await_chain(task_coroutine(task)):
            if code is None or frame is None or not code.co_filename.endswith(_SYNC_FILES) or \
                    not present_before(code):
                continue
            cls, _, method = code.co_qualname.partition(".")
            if cls in _SYNC_HELPERS:
                method = _SYNC_HELPERS[cls]
            elif cls not in _SYNC_CLASSES:
                continue
            primitive = frame.f_locals.get("self")
            if outer is None:
                outer = (primitive, cls, method)
            if cls == "Lock" and method == "acquire":
                lock = primitive
        if outer is None:
            return None
        primitive, cls, method = outer
        wait = {"kind": "sync", "primitive": type_name(primitive) if primitive is not None else cls,
                "method": method}
        holder = lock_holder(lock)
        if holder is not None:
            wait["holder"] = self.tid_of(holder)
        return wait

    def task_ids(self, futures):
        """The ids of the tasks among ``futures``, each once, in order: gather(*[t] * 450_000)
        waits on one task, and listing it 450,000 times made one event heavier than the host
        takes (a reviewer's program that python3 runs)."""
        return sorted({self.tid_of(f) for f in futures if is_task(f)})

    def on_timer(self, loop, handle):
        hid = self.hid_of(handle)
        when = finite(handle._when)
        self.emit([E_TIMER, loop._ll_id, hid, when])
        callback = handle._callback
        if callback is _SET_RESULT_UNLESS_CANCELLED and handle._args:
            fut = handle._args[0]
            self.sleep_timers[address_key(fut)] = (hid, when, _weakref(fut))
        elif method_function(callback) is _ON_TIMEOUT:
            task = own_attribute(bound_self(callback), "_task")
            if is_task(task):
                self.timeout_timers[self.tid_of(task)] = (hid, when, _weakref(handle))

    def on_timer_cancel(self, loop, handle):
        if handle._scheduled:
            self.emit([E_TIMER_CANCEL, loop._ll_id, self.hid_of(handle)])

    def advance_to(self, when):
        if when > self.clock:
            self.clock = when
            self.emit([E_CLOCK, when])

    # -- eager tasks: a first step run inside the creator's step, with no trip through the queue
    def begin_eager_step(self, task, coro, loop, name):
        """``task`` is about to run its first step at once, inside the step that is running
        (its creator's): ``eager_start=True``, or an eager task factory. asyncio's C Task does
        it inside ``Task.__init__`` (``task_eager_start`` in Modules/_asynciomodule.c), with
        no push and no pop, so the task is numbered here, before it runs a line, and the lines
        it runs are its own. Returns what was running, for ``end_eager_step``."""
        tid = self.register_task(task, coro=coro, loop=loop, name=name)
        parent = self.running
        self.emit([E_EAGER, tid])
        self.running = ("t", tid, task)
        return parent

    def end_eager_step(self, task, parent):
        """The eager first step is over: record how it ended (the task finished, or suspended
        on something, as any step ends), then the creator's step carries on."""
        try:
            running = self.running
            if running is not None and running[2] is task and _initialised(task):
                self.finish_running()
            tid = self.known_tid(task)
            if tid is not None:
                self.emit([E_EAGER_END, tid])
        finally:
            self.running = parent
