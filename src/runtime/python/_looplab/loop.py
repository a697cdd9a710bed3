"""The event loop a program runs on: CPython's own selector event loop, with a ready queue
that reports what joins and leaves it, and a selector that watches the virtual network's
sockets and moves the virtual clock instead of blocking. Also asyncio's ``Task`` (named and hashed as in a fresh process) and
``as_completed`` (deterministic task order).
"""

import asyncio
import asyncio.base_events as _base_events
import asyncio.coroutines as _coroutines
import asyncio.events as _events
import asyncio.futures as _futures
import asyncio.tasks as _tasks
import asyncio.unix_events as _unix_events
import collections
import types

from . import current
from .clock import loop_time
from .network import network
from .callables import future_field, plain_text, task_done, task_name
from .identity import address_key, class_lookup, own_dict
from .observe import CTask as _CTask
from .recorder import count_as_loop_step
from .selector import VirtualSelector
from .vsocket import VirtualSocket
from .wire import E_LOOP, E_RENAME
# Taken once, as this module loads: the program can reach these modules and rebind their names.
_set_attribute, _get_attribute = object.__setattr__, object.__getattribute__


_deque_append = collections.deque.append
_deque_popleft = collections.deque.popleft


class _ReadyQueue(collections.deque):
    """The loop's ready queue, reporting what joins and leaves it.

    It keeps its loop's number in the trace (``loop_id``), not the loop: holding the loop, it
    made a reference cycle python3's loop is not in (the loop holds its queue), so every loop
    asyncio.run closed was left for the collector, whose next ``gc.collect()`` counted its 18
    objects where python3's counts 0, and handed them to a program in ``gc.garbage`` under
    ``gc.DEBUG_SAVEALL``.

    A push and a pop happen at every task switch: deque's own methods are called directly,
    with no ``super()`` lookup."""

    def __init__(self, loop_id):
        super().__init__()
        self.loop_id = loop_id

    def append(self, handle):
        rec = current.recorder
        if rec is not None:
            if rec.stopped is not None:
                raise rec.stopped
            rec.on_push(self.loop_id, handle, self)
        _deque_append(self, handle)

    def popleft(self):
        handle = _deque_popleft(self)
        rec = current.recorder
        if rec is not None:
            rec.on_pop(self.loop_id, handle, self)
        return handle


class _UnixSelectorEventLoop(_unix_events._UnixSelectorEventLoop):
    """CPython's own selector event loop (the one asyncio.run makes on Linux), on a virtual
    clock: its selector (selector.py) watches sockets of the virtual network (network.py,
    vsocket.py) and moves the clock instead of blocking."""

    def __init__(self, selector=None):
        super().__init__(VirtualSelector(self))
        self._clock_resolution = 1e-9
        rec = current.recorder
        self._ll_id = -1
        if rec is not None:
            self._ll_id = rec.loop_count
            rec.loop_count += 1
            rec.emit([E_LOOP, self._ll_id, "new"])
        self._ready = _ReadyQueue(self._ll_id)

    # No self-pipe: nothing wakes this loop from another thread or a signal handler.
    def _make_self_pipe(self):
        self._ssock = self._csock = None

    def _close_self_pipe(self):
        pass

    def time(self):
        return loop_time()

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

    # Only the virtual network's sockets: a socket.socket() of the program's own is Pyodide's,
    # which the selector could not watch anyway (and whose connect() would pretend to succeed).
    def _make_socket_transport(self, sock, *args, **kwargs):
        _virtual_only(sock)
        return super()._make_socket_transport(sock, *args, **kwargs)

    async def sock_connect(self, sock, address):
        _virtual_only(sock)
        return await super().sock_connect(sock, address)

    async def sock_accept(self, sock):
        _virtual_only(sock)
        return await super().sock_accept(sock)

    async def sock_recv(self, sock, n):
        _virtual_only(sock)
        return await super().sock_recv(sock, n)

    async def sock_recv_into(self, sock, buf):
        _virtual_only(sock)
        return await super().sock_recv_into(sock, buf)

    async def sock_sendall(self, sock, data):
        _virtual_only(sock)
        return await super().sock_sendall(sock, data)

    async def sock_recvfrom(self, sock, bufsize):
        _virtual_only(sock)
        return await super().sock_recvfrom(sock, bufsize)

    async def sock_recvfrom_into(self, sock, buf, nbytes=0):
        _virtual_only(sock)
        return await super().sock_recvfrom_into(sock, buf, nbytes)

    async def sock_sendto(self, sock, data, address):
        _virtual_only(sock)
        return await super().sock_sendto(sock, data, address)

    async def getaddrinfo(self, host, port, *, family=0, type=0, proto=0, flags=0):
        """Names resolve on the virtual network (network.py). CPython asks a thread, so the
        task waits at least one turn of the loop for the answer: so does it here."""
        infos = network().getaddrinfo(host, port, family, type, proto, flags)
        answer = self.create_future()
        self.call_soon(_futures._set_result_unless_cancelled, answer, infos)
        return await answer

    # WebAssembly has no threads, so no executor can run anything: say so where it is asked,
    # instead of "can't start new thread" twice (once more as asyncio.run shuts its executor:
    # with none ever made, BaseEventLoop.shutdown_default_executor has nothing to do).
    def run_in_executor(self, executor, func, *args):
        self._check_closed()
        raise RuntimeError(
            "Loop Lab runs Python in WebAssembly, which has no threads: run_in_executor() and "
            "asyncio.to_thread() cannot run here (in real Python they run func in a thread)"
        )


def _virtual_only(sock):
    if not isinstance(sock, VirtualSocket):
        raise OSError("Loop Lab's event loop works only with the sockets asyncio makes on Loop "
                      "Lab's virtual network (asyncio.open_connection, start_server …), not with "
                      "a socket.socket() of the machine")


# Its step's last events (a task's suspend, recorded by finish_running) come once asyncio's own
# step has returned: a limit reached there reads past it too (recorder.where).
count_as_loop_step(_UnixSelectorEventLoop._run_once.__code__)


class _VirtualLoopPolicy(_events._BaseDefaultEventLoopPolicy):
    _loop_factory = _UnixSelectorEventLoop


class Task(_CTask):
    """CPython's C Task, named Task-1, Task-2 … afresh in each run, as in a new process."""

    def __init__(self, coro, *, loop=None, name=None, context=None, eager_start=False):
        # Made a bool here, once, as the C __init__'s argument parsing makes it (its `bool`
        # converter, PyObject_IsTrue), before anything else: a __bool__ of the program's ran
        # again when the C __init__ was handed the object as well.
        eager_start = not not eager_start
        rec = current.recorder
        if name is None:
            name = f"Task-{next(rec.name_counter) if rec is not None else 0}"
        # Set before the C __init__, which may already put the task in a set (eager start).
        # Past a subclass's __setattr__ and __getattribute__ of the program's, set and read.
        _set_attribute(self, "_ll_hash", next(rec.task_hashes) if rec is not None else object.__hash__(self))
        eager_loop = _eager_loop(rec, coro, loop, eager_start)
        if eager_loop is None:
            super().__init__(coro, loop=loop, name=name, context=context, eager_start=eager_start)
            if eager_start and rec is not None and _started_unseen(rec, self):
                # The C __init__ ran the first step though that could not be told beforehand
                # without asking the program's objects: recorded now, after it ran (its lines
                # were counted as its creator's). Its coroutine is the one it was given: a task
                # that finished at once has let go of it (get_coro() is None).
                rec.end_eager_step(self, rec.begin_eager_step(self, coro, None, None))
            return
        # The C __init__ runs the first step right here: record it as this task's own. Its name
        # is needed first: made text here, once, as the C __init__ would (PyObject_Str), and
        # handed on as a plain str, which that __init__ takes as it is (a __str__ of the
        # program's ran twice when each made it text).
        if type(name) is not str:
            name = plain_text(str(name), "Task")
        parent = rec.begin_eager_step(self, coro, eager_loop, name)
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
        return _get_attribute(self, "_ll_hash")

    def set_name(self, value):
        super().set_name(value)
        rec = current.recorder
        if rec is not None:
            tid = rec.known_tid(self)
            if tid is not None:
                rec.emit([E_RENAME, tid, task_name(self)])


Task.__name__ = Task.__qualname__ = "Task"
Task.__module__ = "_asyncio"

# asyncio.eager_task_factory was made from the C Task when asyncio was imported: make it again
# from this one, so that its tasks are named, hashed and recorded as every other task.
eager_task_factory = _tasks.create_eager_task_factory(Task)


def _eager_loop(rec, coro, loop, eager_start):
    """The loop a new task will start eagerly on, or None when it will not (it is queued), or
    when that cannot be told without running the program's code.

    As the C Task decides (``_asyncio_Task___init___impl``, Modules/_asynciomodule.c): only with
    ``eager_start``, a coroutine (``is_coroutine``), and a ``loop`` argument whose
    ``is_running()`` returns True (so with ``loop=None`` CPython 3.14 fails: AttributeError:
    'NoneType' object has no attribute 'is_running', and no step runs). The C __init__ asks
    both questions itself, and a program sees each asked once in python3: asked here as well,
    a metaclass's ``__hash__`` (the type caches of ``is_coroutine`` and ``asyncio.iscoroutine``)
    and a loop's ``is_running`` of the program's ran twice. So each is answered here from
    asyncio's own state (``_is_coroutine``, ``_loop_running``), or not at all."""
    if rec is None or not eager_start or loop is None or _is_coroutine(coro) is not True:
        return None
    return loop if _loop_running(loop) is True else None


_COROUTINE = types.CoroutineType
# Lib/asyncio/coroutines.py's namespace, whose _iscoroutine_typecache asyncio.iscoroutine reads
# at each call (and the C is_coroutine calls asyncio.iscoroutine for a type it has not cached).
_COROUTINES_NAMESPACE = _coroutines.iscoroutine.__globals__
_BASE_IS_RUNNING = _base_events.BaseEventLoop.is_running
_OBJECT_GETATTRIBUTE = object.__dict__["__getattribute__"]
_MISSING = object()


def _is_coroutine(coro):
    """True when the C Task's ``is_coroutine`` (Modules/_asynciomodule.c) will take ``coro`` for a
    coroutine and that can be told without the program's code: a coroutine (``PyCoro_CheckExact``),
    or an object of a type ``asyncio.iscoroutine`` has already taken for one (in its
    ``_iscoroutine_typecache``, Lib/asyncio/coroutines.py: the C check asks it on a miss of its
    own cache, and it answers True for what it holds). Looked for by identity: ``in`` hashes the
    type, and its metaclass's ``__hash__`` may be the program's. None otherwise (unknown)."""
    kind = type(coro)
    if kind is _COROUTINE:
        return True
    cache = dict.get(_COROUTINES_NAMESPACE, "_iscoroutine_typecache")
    if type(cache) is set and any(seen is kind for seen in cache):
        return True
    return None


def _loop_running(loop):
    """``loop.is_running()`` as asyncio's own ``BaseEventLoop.is_running`` answers it
    (Lib/asyncio/base_events.py: ``self._thread_id is not None``), read from the loop's own dict,
    when that method is what the call would run and nothing of the program's takes part in it
    (a ``__getattribute__``, ``is_running`` or ``_thread_id`` of the loop's class or of the loop
    itself); None otherwise (unknown)."""
    kind = type(loop)
    if class_lookup(kind, "__getattribute__") is not _OBJECT_GETATTRIBUTE or \
            class_lookup(kind, "is_running") is not _BASE_IS_RUNNING or \
            class_lookup(kind, "_thread_id", _MISSING) is not _MISSING:
        return None
    namespace = own_dict(loop)
    if namespace is None or dict.__contains__(namespace, "is_running"):
        return None
    thread = dict.get(namespace, "_thread_id", _MISSING)
    return None if thread is _MISSING else thread is not None


def _started_unseen(rec, task):
    """True when the C __init__ ran ``task``'s first step at once (eagerly) though ``_eager_loop``
    could not tell it would: the task is known to no event (queued, it would be, by the push of
    its first step) and that step has run (it is done, or waits on a future). Its own push, had it
    yielded, would have numbered it."""
    if rec.known_tid(task) is not None:
        return False
    try:
        return task_done(task) or future_field(task, "_fut_waiter") is not None
    except RuntimeError:  # its C __init__ failed before it was set up
        return False


# asyncio.as_completed, made deterministic. 3.14's (Lib/asyncio/tasks.py) makes a task of each
# awaitable as it walks ``set(aws)``: coroutines hash by address, so which one became Task-2 and
# which Task-3 changed from run to run (see Task.__hash__). Here its own two functions run, as
# they are (their check, the names they look up as they run, their frames in a traceback), with
# one name read differently: their ``set``, which gives the same awaitables, hashed as ``set()``
# hashes them, in a deterministic order (``_awaitables_in_order``). An earlier copy checked with
# isfuture and iscoroutine (an awaitable that is also iterable was taken for a list of them: 3.14
# refuses it, "expects an iterable of awaitables, not X"), deduplicated by ``id()`` (the audit
# event builtins.id, which a program's hook counts) and asked iscoroutine of each awaitable again.
_TASKS_NAMESPACE = _tasks.as_completed.__globals__
_REAL_AS_COMPLETED = _tasks.as_completed
_AS_COMPLETED_ITERATOR = _tasks._AsCompletedIterator
_REAL_ITERATOR_INIT = _AS_COMPLETED_ITERATOR.__init__
_OBJECT_HASH = object.__dict__["__hash__"]


class _TasksNamespace(dict):
    """asyncio.tasks' namespace as its functions read it at each call, but for the names set here
    (a global missing from a dict subclass is looked up through ``__missing__``)."""

    def __missing__(self, name):
        return _TASKS_NAMESPACE[name]  # a KeyError: then the builtins, as for asyncio's own


def _awaitables_in_order(aws):
    """``set(aws)`` for 3.14's ``_AsCompletedIterator.__init__``: the same awaitables, each hashed
    as it comes (an exact set, frozenset or dict copied with the hashes it holds, as ``set()``
    copies one), given back in the set's own order when none of them hashes by address
    (``object.__hash__``, found by identity in its class dicts: identity.class_lookup), else in
    the order they came, each where it first came (told by identity: comparing would run the
    program's ``__eq__``)."""
    kind = type(aws)
    if kind is set or kind is frozenset or kind is dict:  # by identity: `in` asks a metaclass's __eq__
        unique = set(aws)
        given = [aw for aw in aws]
    else:
        unique, given = set(), []
        for aw in aws:
            given.append(aw)
            unique.add(aw)
    if not any(class_lookup(type(aw), "__hash__") is _OBJECT_HASH for aw in unique):
        return unique
    first = {}
    for index, aw in enumerate(given):
        first.setdefault(address_key(aw), index)
    return sorted(unique, key=lambda aw: first[address_key(aw)])


def _as_completed_iterator(aws, timeout):
    """``_AsCompletedIterator(aws, timeout)``, made by its own class, set up by its own
    ``__init__``'s code reading ``set`` as ``_awaitables_in_order``."""
    iterator = _AS_COMPLETED_ITERATOR.__new__(_AS_COMPLETED_ITERATOR)
    _iterator_init(iterator, aws, timeout)
    return iterator


_NAMESPACE = _TasksNamespace(set=_awaitables_in_order, _AsCompletedIterator=_as_completed_iterator,
                             __builtins__=_TASKS_NAMESPACE["__builtins__"])
_iterator_init = types.FunctionType(_REAL_ITERATOR_INIT.__code__, _NAMESPACE, "__init__",
                                    _REAL_ITERATOR_INIT.__defaults__, _REAL_ITERATOR_INIT.__closure__)
_as_completed = types.FunctionType(_REAL_AS_COMPLETED.__code__, _NAMESPACE, "as_completed",
                                   _REAL_AS_COMPLETED.__defaults__, _REAL_AS_COMPLETED.__closure__)
_as_completed.__kwdefaults__ = _REAL_AS_COMPLETED.__kwdefaults__
for _name in ("__doc__", "__qualname__", "__module__", "__annotations__"):
    setattr(_as_completed, _name, getattr(_REAL_AS_COMPLETED, _name))
del _name
