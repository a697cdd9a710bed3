"""The event loop a program runs on: CPython's own ``BaseEventLoop``, with a ready queue that
reports what joins and leaves it, and a selector that moves the virtual clock instead of
blocking. Also asyncio's ``Task`` (named and hashed as in a fresh process) and
``as_completed`` (deterministic task order).
"""

import asyncio
import asyncio.base_events as _base_events
import asyncio.events as _events
import asyncio.futures as _futures
import asyncio.tasks as _tasks
import collections

from . import current
from .clock import advance, loop_time, now
from .deadlock import deadlock_message
from .observe import CTask as _CTask
from .wire import E_LOOP, E_RENAME


class _ReadyQueue(collections.deque):
    """The loop's ready queue, reporting what joins and leaves it."""

    def __init__(self, loop):
        super().__init__()
        self.loop = loop

    def append(self, handle):
        rec = current.recorder
        if rec is not None:
            if rec.stopped is not None:
                raise rec.stopped
            rec.on_push(self.loop, handle, self)
        super().append(handle)

    def popleft(self):
        handle = super().popleft()
        rec = current.recorder
        if rec is not None:
            rec.on_pop(self.loop, handle, self)
        return handle


_INFINITY = float("inf")


_FOREVER = "Real Python would wait here forever."


def _wait_forever(rec, loop, why):
    """The loop would wait forever: end the run as a deadlock (or, untraced, raise). The
    message names every stuck task, what it waits on and where (deadlock.py)."""
    if rec is not None:
        rec.stop("deadlock", deadlock_message(rec, loop, why, _FOREVER))
    raise RuntimeError("the event loop has nothing to run and would wait forever")


class _VirtualSelector:
    """A selector with nothing to watch: waiting just moves the virtual clock on."""

    def __init__(self, loop):
        self.loop = loop

    def select(self, timeout=None):
        rec = current.recorder
        if rec is not None:
            rec.finish_running()
            if rec.stopped is not None:
                raise rec.stopped
        if timeout is None:
            _wait_forever(rec, self.loop, "Every task is waiting for something that can never "
                                          "happen, so the loop has nothing left to run")
        if timeout > 0:
            # asyncio asks to wait only when a timer is due later (for at most a day at a time):
            # on the virtual clock, go straight to the soonest timer's deadline.
            when = self.loop._scheduled[0]._when
            if when == _INFINITY:  # sleep(float('inf')): nothing will ever be due
                _wait_forever(rec, self.loop, "Every task is waiting, and the soonest wake-up is "
                                              "at infinity (a sleep that never ends), so the loop "
                                              "has nothing left to run")
            advance(when - now())
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
        rec = current.recorder
        self._ll_id = -1
        if rec is not None:
            self._ll_id = rec.loop_count
            rec.loop_count += 1
            rec.emit([E_LOOP, self._ll_id, "new"])

    def time(self):
        return loop_time()

    def _process_events(self, event_list):
        pass

    def _write_to_self(self):
        pass

    def call_at(self, when, callback, *args, context=None):
        timer = super().call_at(when, callback, *args, context=context)
        rec = current.recorder
        if rec is not None:
            rec.on_timer(self, timer)
        return timer

    def _timer_handle_cancelled(self, handle):
        rec = current.recorder
        if rec is not None:
            rec.on_timer_cancel(self, handle)
        super()._timer_handle_cancelled(handle)

    def _run_once(self):
        rec = current.recorder
        if rec is not None and rec.stopped is not None:
            raise rec.stopped
        super()._run_once()
        if rec is not None:
            rec.finish_running()

    def run_forever(self):
        rec = current.recorder
        if rec is not None:
            rec.emit([E_LOOP, self._ll_id, "run"])
        try:
            super().run_forever()
        finally:
            if rec is not None and current.recorder is rec:
                rec.finish_running()
                rec.emit([E_LOOP, self._ll_id, "stop"])

    def close(self):
        was_closed = self.is_closed()
        super().close()
        rec = current.recorder
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

    def shutdown_default_executor(self, timeout=None):
        """BaseEventLoop's, without its helper thread (asyncio.run calls it at the end).

        It waits for the default executor's shutdown in a thread of its own, which cannot
        start here (threads.py). No executor can have started a thread either, so shutting it
        down now, here, takes no waiting; what is left is BaseEventLoop's own coroutine, which
        then has no executor to wait for (and so asyncio.run's clean-up task is the same)."""
        executor, self._default_executor = self._default_executor, None
        if executor is not None:
            executor.shutdown(wait=True)
        return super().shutdown_default_executor(timeout)

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
        rec = current.recorder
        if name is None:
            name = f"Task-{next(rec.name_counter) if rec is not None else 0}"
        # Set before the C __init__, which may already put the task in a set (eager start).
        self._ll_hash = next(rec.task_hashes) if rec is not None else object.__hash__(self)
        eager_loop = _eager_loop(rec, coro, loop, eager_start)
        if eager_loop is None:
            super().__init__(coro, loop=loop, name=name, context=context, eager_start=eager_start)
            return
        # The C __init__ runs the first step right here: record it as this task's own.
        parent = rec.begin_eager_step(self, coro, eager_loop, str(name))
        try:
            super().__init__(coro, loop=loop, name=name, context=context, eager_start=True)
        finally:
            rec.end_eager_step(self, parent)

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
        rec = current.recorder
        if rec is not None:
            tid = rec.known_tid(self)
            if tid is not None:
                rec.emit([E_RENAME, tid, self.get_name()])


Task.__name__ = Task.__qualname__ = "Task"
Task.__module__ = "_asyncio"

# asyncio.eager_task_factory was made from the C Task when asyncio was imported: make it again
# from this one, so that its tasks are named, hashed and recorded as every other task.
eager_task_factory = _tasks.create_eager_task_factory(Task)


def _eager_loop(rec, coro, loop, eager_start):
    """The loop a new task will start eagerly on, or None when it will not (it is queued).

    As the C Task decides (task_init in Modules/_asynciomodule.c): only with ``eager_start``,
    a coroutine, and a loop that is running. It asks the ``loop`` argument itself, so with
    ``loop=None`` CPython 3.14 fails (AttributeError: 'NoneType' object has no attribute
    'is_running') and no step runs."""
    if rec is None or not eager_start or loop is None or not asyncio.iscoroutine(coro):
        return None
    try:
        return loop if loop.is_running() else None
    except Exception:  # a loop whose is_running() fails: the C __init__ fails the same way
        return None



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
