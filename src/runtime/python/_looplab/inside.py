"""Looking inside a task: why it was woken, the await chain it is stopped in (each coroutine
with its line and local variables), and what is inside the asyncio objects tasks wait on (a
Queue's items, a Lock's owner (holders.py), an Event's flag, a Semaphore's counter).

The facts come from CPython's own objects, read the way ``asyncio.capture_call_graph()``
(Lib/asyncio/graph.py, 3.14) reads them: a suspended task's chain is ``task.get_coro()``
followed down ``cr_await``; the running task's is its stack of frames, up to the task's own
coroutine. Why a task wakes is the state of the future whose done-callback (``Task.__wakeup``,
Lib/asyncio/tasks.py) joins the ready queue: its result, its exception, or its cancellation.

Nothing here runs per line (the line hooks in lines.py stay as they are). What is recorded
rides on events the trace has anyway, and only when it changed since the task's last record:

* ``push`` of a woken task: ``wake`` (``wake_of``);
* ``suspend``: the suspending task's await chain with its locals (``frames``), the asyncio
  object it waits on (``sync``), and the objects whose state changed (``objects``);
* ``output`` while a task runs: that task's chain as it runs (so a loop that prints shows its
  variables as they change), and changed objects;
* ``done``, ``callback_end``: changed objects.

Local variables are shown as short texts (``brief``) made without running the learner's code:
an object of a class the program defined is shown by its class's name, never by calling its
``__repr__``, and nothing shows a memory address (``<Queue at 0x…>`` is ``Queue``).
"""

import asyncio.events as _events
import asyncio.futures as _futures
import asyncio.locks as _locks
import asyncio.queues as _queues
import asyncio.tasks as _tasks
import asyncio.timeouts as _timeouts
import collections
import itertools
import math
import sys
import types
import weakref

from .callables import (callable_label, coroutine_name, future_field, future_state, is_class, method_function,
                        plain_text, task_coroutine, task_done, task_name, unwrap_partial)
from .describe import type_name, type_qualname, value_text
from .holders import is_locked, lock_holder
from .identity import address_key, own_attribute, own_dict_get
from .trusted import present_before
from .observe import await_chain, frame_of, is_task
# Taken once, as this module loads: the program can reach these modules and rebind their names.
_islice = itertools.islice
_isfinite = math.isfinite
_getframe = sys._getframe
_weakref = weakref.ref

MAX_FRAMES = 12  # frames of one chain, outermost kept
MAX_LOCALS = 16  # local variables per frame
LOCAL_TEXT = 48  # characters of one local's text
MAX_ITEMS = 12  # items of a Queue shown
ITEM_TEXT = 24  # characters of one item's text

_PRIMITIVES = (_queues.Queue, _locks.Lock, _locks.Event, _locks.Condition, _locks.Semaphore,
               _locks.Barrier)
# Taken once, here: the program can reach these modules and rebind their names (a reviewer's
# rebound asyncio.events.TimerHandle and types.CoroutineType to classes that counted the checks).
_QUEUE, _LIFO_QUEUE, _PRIORITY_QUEUE = _queues.Queue, _queues.LifoQueue, _queues.PriorityQueue
_LOCK, _EVENT, _CONDITION = _locks.Lock, _locks.Event, _locks.Condition
_SEMAPHORE, _BARRIER = _locks.Semaphore, _locks.Barrier
_BARRIER_STATE = _locks._BarrierState
_TIMER_HANDLE = _events.TimerHandle
_FUTURE = _futures.Future
_COROUTINE, _FUNCTION, _BUILTIN = types.CoroutineType, types.FunctionType, types.BuiltinFunctionType
_METHOD, _MODULE = types.MethodType, types.ModuleType
# Timer callbacks whose firing is a timeout: asyncio.timeout()/wait_for() cancel the task
# (Timeout._on_timeout, Lib/asyncio/timeouts.py); asyncio.wait() and as_completed() release
# their waiter (_release_waiter, _AsCompletedIterator._handle_timeout, Lib/asyncio/tasks.py).
_TIMEOUT_CALLBACKS = tuple(callback for callback in (
    getattr(_timeouts.Timeout, "_on_timeout", None),
    getattr(_tasks, "_release_waiter", None),
    getattr(getattr(_tasks, "_AsCompletedIterator", None), "_handle_timeout", None),
) if callback is not None)
_CO_ASYNC = 0x80 | 0x200 | 0x20  # CO_COROUTINE | CO_ASYNC_GENERATOR | CO_GENERATOR
_BIG = 10**40
# Values whose text cannot change while the same object stays in a variable.
# Kept by identity (address_key): ``kind in {int, …}`` hashes the program's class, and compares
# it, which runs its metaclass's ``__hash__`` and ``__eq__`` (python3 runs neither to show
# nothing). These types live as long as the interpreter, so their keys stay theirs. Not by
# ``id()``: it raises an audit event (identity.py), ~1.2 µs with the code guard's hook, once a
# local variable at every suspend.
_IMMUTABLE_IDS = frozenset(map(address_key, (int, float, bool, str, bytes, complex, type(None))))
_CONTAINER_IDS = frozenset(map(address_key, (list, tuple, dict, set, frozenset, collections.deque)))
_SET_IDS = frozenset(map(address_key, (set, frozenset)))
_DEQUE = collections.deque  # taken once: the program can rebind collections.deque
# What a Queue's _queue may be listed as without running any of the program's code: asyncio's own
# (a deque; a list for LifoQueue and PriorityQueue) and the other builtin collections a subclass's
# documented _init/_put/_get hooks may keep there (a set-backed queue showed as empty: a reviewer's
# finding). Exact types only, taken once (the program can rebind the names).
_LISTABLE_QUEUES = frozenset(map(address_key, (collections.deque, list, tuple, set, frozenset)))
# Values a PriorityQueue's items are ordered by for display without the program's code: these
# types exactly (a subclass's __lt__ is the program's).
_ORDERED_IDS = frozenset(map(address_key, (int, float, bool, str, bytes)))


def _display_key(item):
    """What a PriorityQueue's item is shown in order by: the item itself when it is a number or a
    text, or a tuple's leading numbers and texts (``(priority, job)``: the priority). Items that
    tie on it keep the heap's order. Sorting the items themselves ran the program's ``__lt__``
    at every event that shows the queue (a reviewer counted 9 calls at one ``time.sleep``, where
    python3 makes none; one that slept stretched the sleep, one that raised broke the run)."""
    if address_key(type(item)) in _ORDERED_IDS:
        return (item,)
    if type(item) is tuple:
        key = []
        for part in item:
            if address_key(type(part)) not in _ORDERED_IDS:
                break
            key.append(part)
        return tuple(key)
    return ()


# -- short texts --------------------------------------------------------------------------

def _clip(text, limit):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _container(value, limit, depth):
    kind = type(value)
    if depth >= 2:
        return f"{kind.__name__} of {len(value)}"
    if kind is dict:
        parts = [f"{brief(k, 16, depth + 1)}: {brief(v, 16, depth + 1)}"
                 for k, v in list(value.items())[:5]]
        more = ", …" if len(value) > 5 else ""
        return "{" + ", ".join(parts) + more + "}"
    items = list(_islice(value, 6))
    parts = [brief(v, 16, depth + 1) for v in items]
    more = ", …" if len(value) > len(items) else ""
    body = ", ".join(parts) + more
    if kind is list:
        return f"[{body}]"
    if kind is tuple:
        return f"({body},)" if len(value) == 1 else f"({body})"
    if address_key(kind) in _SET_IDS:
        return (f"{{{body}}}" if kind is set else f"frozenset({{{body}}})") if value else f"{kind.__name__}()"
    return f"deque([{body}])"


def brief(value, limit=LOCAL_TEXT, depth=0):
    """A short text for a value, as a learner reads it: ``3``, ``'Ada'``, ``Queue``,
    ``Task 'Ada'``, ``[1, 2, …]``. Never calls code of the learner's own classes, and never
    shows an address."""
    kind = type(value)
    try:
        if kind is int:
            return repr(value) if -_BIG < value < _BIG else "a big int"
        if value is None or kind is bool or kind is float or kind is complex:
            text = repr(value)
        elif kind is str or kind is bytes:
            text = repr(value[:limit])
            if len(value) > limit:
                text = text[:-1] + "…" + text[-1]
        elif address_key(kind) in _CONTAINER_IDS:
            text = _container(value, limit, depth)
        elif is_task(value):
            text = f"Task {task_name(value)!r}"
        elif kind is _COROUTINE:
            text = f"coroutine {coroutine_name(value)}()"
        elif issubclass(kind, _FUTURE):
            text = f"Future ({future_state(value)})"
        elif issubclass(kind, _PRIMITIVES):
            text = type_name(value)
        # Named by the exact types' own descriptors (callables.py): a metaclass's
        # __getattribute__, or a __qualname__ that is a subclass of str, is the program's.
        elif kind is _FUNCTION or kind is _BUILTIN:
            text = f"function {callable_label(value)}"
        elif kind is _METHOD:
            text = f"method {callable_label(value)}"
        elif is_class(value):
            text = f"class {callable_label(value)}"
        elif kind is _MODULE:
            text = f"module {plain_text(own_attribute(value, '__name__'))}"
        elif _is_main(kind):
            text = type_qualname(kind)  # the learner's class: its __repr__ is not run here
        else:
            # Another of CPython's own objects, by its type: its repr may call the program's
            # (an OrderedDict's calls its values' __repr__), and python3 would not run it here.
            text = value_text(value, limit)
            if text.startswith("<"):
                text = type_qualname(kind)
    except Exception:
        text = type_qualname(kind)
    return _clip(text, limit)


def _is_main(cls):
    """True for a class of the learner's program (its ``__module__``, from its own dict, is
    ``"__main__"``), asked of no metaclass."""
    module = own_dict_get(cls, "__module__")
    return type(module) is str and module == "__main__"


# -- why a task wakes ---------------------------------------------------------------------

def _running_handle():
    """The handle the loop is running now (``Handle._run``'s ``self``, Lib/asyncio/events.py)."""
    frame = _getframe(2)
    depth = 0
    while frame is not None and depth < 40:
        code = frame.f_code
        if code.co_name == "_run" and code.co_filename.endswith("asyncio/events.py") and present_before(code):
            return frame.f_locals.get("self")
        frame = frame.f_back
        depth += 1
    return None


def _timeout_fired():
    """True when the callback running now is a timeout's timer (see _TIMEOUT_CALLBACKS)."""
    handle = _running_handle()
    if not issubclass(type(handle), _TIMER_HANDLE):
        return False
    func = method_function(unwrap_partial(handle._callback))
    return any(func is callback for callback in _TIMEOUT_CALLBACKS)


def wake_of(handle, task, reason):
    """Why a task joins the ready queue after a wait: ``result`` (what it awaited is done),
    ``exception`` (it failed: the exception is raised at the task's await), ``cancelled`` (its
    wait was cancelled: CancelledError is raised there) or ``timeout`` (a timeout's timer
    ended the wait); None for a push that is no wake-up."""
    if reason == "cancel":
        return "timeout" if _timeout_fired() else "cancelled"
    if reason != "wake":
        return None
    fut = handle._args[0] if handle._args else None
    if fut is None or not issubclass(type(fut), _FUTURE):
        return None
    if future_state(fut) == "cancelled" or future_field(task, "_must_cancel"):
        kind = "cancelled"
    elif future_field(fut, "_exception") is not None:  # read without marking the exception as retrieved
        kind = "exception"
    else:
        kind = "result"
    if kind != "exception" and _timeout_fired():
        return "timeout"
    return kind


# -- the inspector ------------------------------------------------------------------------

def _quiet(method):
    """What is recorded here is a bonus: a failure of ours must never reach the program."""
    def guarded(self, *args):
        if self.busy:
            return None
        self.busy = True
        try:
            return method(self, *args)
        except Exception:
            return None
        finally:
            self.busy = False

    guarded.__name__ = method.__name__
    guarded.__doc__ = method.__doc__
    return guarded


class Inside:
    """One run's records of what is inside its tasks (a part of the Recorder)."""

    def __init__(self, rec):
        self.rec = rec
        # tid -> [(code, line, user, locals, kept)] as last recorded (kept: see _locals)
        self.last_frames = {}
        self.object_ids = {}  # address_key(obj) -> (oid, weakref)
        self.objects = []  # (oid, weakref, type name, label) in the order first seen
        self.last_states = {}  # oid -> the state last recorded
        self.busy = False  # while recording: nothing in here records again

    # What each moment adds to its event: a dict of optional fields, or None.
    @_quiet
    def at_push(self, handle, task, reason):
        """A task joins the ready queue: why it wakes, and the objects its wake-up changed."""
        wake = wake_of(handle, task, reason)
        if wake is None:
            return None
        extra = {"wake": wake}
        objects = self._objects_diff()
        if objects:
            extra["objects"] = objects
        return extra

    def at_suspend(self, task, tid, links=None):
        """A task suspends: its await chain, what it waits on, the objects that changed.
        ``links``: the task's ``await_chain`` (observe.py), if already walked.

        Run at every suspend, so ``_quiet``'s guard is written out here rather than wrapped
        around it (one call fewer per task switch)."""
        if self.busy:
            return None
        self.busy = True
        try:
            extra = {}
            chain, sync = self._await_chain(
                links if links is not None else await_chain(task_coroutine(task)))
            frames = self._frames_diff(tid, chain)
            if frames is not None:
                extra["frames"] = frames
            if sync is not None:
                extra["sync"] = self._object_id(sync, self._label_in(chain, sync))
            if self.objects:
                objects = self._objects_diff()
                if objects:
                    extra["objects"] = objects
            return extra or None
        except Exception:
            return None
        finally:
            self.busy = False

    @_quiet
    def while_running(self, task, tid):
        """An event recorded while ``task`` (or no task) runs: its chain as it runs, if it
        changed, and the objects that changed."""
        extra = {}
        if task is not None and not task_done(task):
            coro = task_coroutine(task)
            chain = self._stack_chain(coro)
            if chain is None:
                chain = self._await_chain(await_chain(coro))[0]
            frames = self._frames_diff(tid, chain)
            if frames is not None:
                extra["frames"] = frames
        objects = self._objects_diff()
        if objects:
            extra["objects"] = objects
        return extra or None

    @_quiet
    def objects_only(self):
        if not self.objects:
            return None
        objects = self._objects_diff()
        return {"objects": objects} if objects else None

    def forget(self, tid):
        self.last_frames.pop(tid, None)

    # -- the await chain
    def _await_chain(self, links):
        """A suspended task's chain, outermost first, as [(code, frame, user)]: the learner's
        frames, and the first of asyncio's own below each of them (``Queue.get``, ``sleep`` …);
        and the asyncio object it waits on (``self`` of the first frame of locks.py or
        queues.py), if any. ``links``: the task's ``await_chain`` (observe.py), read up to the
        first link that is no coroutine or generator (a C wrapper, a Future)."""
        user_keys = self.rec.user_keys
        chain = []
        sync = None
        library_open = False
        for _obj, code, frame in links:
            if code is None:
                break
            if frame is None:
                continue
            if address_key(code) in user_keys:
                chain.append((code, frame, True))
                library_open = False
                continue
            filename = code.co_filename
            if "asyncio/" not in filename or not present_before(code):
                continue
            if not library_open:
                chain.append((code, frame, False))
                library_open = True
            if sync is None and filename.endswith(("asyncio/locks.py", "asyncio/queues.py")):
                owner = frame.f_locals.get("self")
                if issubclass(type(owner), _PRIMITIVES):
                    sync = owner
        return chain[:MAX_FRAMES], sync

    def _stack_chain(self, coro):
        """The running task's chain, from its frames on the stack up to its own coroutine."""
        root = frame_of(coro)
        if root is None:
            return None
        user_keys = self.rec.user_keys
        found = []
        frame = _getframe(2)
        depth = 0
        library_open = False
        while frame is not None and depth < 400:
            code = frame.f_code
            if address_key(code) in user_keys:
                found.append((code, frame, True))
                library_open = False
            elif code.co_flags & _CO_ASYNC and "asyncio/" in code.co_filename and present_before(code):
                # Innermost first here: the one kept is the outermost of a run of them.
                if library_open:
                    found[-1] = (code, frame, False)
                else:
                    found.append((code, frame, False))
                    library_open = True
            if frame is root:
                found.reverse()
                return found[:MAX_FRAMES]
            frame = frame.f_back
            depth += 1
        return None

    def _frames_diff(self, tid, chain):
        """The chain as the trace records it, each frame's locals only when they differ from
        the task's last record at that depth; None when nothing at all changed. Also notes the
        asyncio objects the learner's variables hold."""
        last = self.last_frames.get(tid)
        now = []
        for depth, (code, frame, user) in enumerate(chain):
            before = last[depth] if last is not None and depth < len(last) else None
            if user:
                locals_, values = self._locals(frame, before if before is not None and before[0] is code else None)
                now.append((code, frame.f_lineno, True, locals_, values))
            else:
                now.append((code, None, False, None, None))
        if last is not None and len(last) == len(now):
            for a, b in zip(last, now):
                if not (a[0] is b[0] and a[1] == b[1] and a[3] == b[3]):
                    break
            else:
                return None
        self.last_frames[tid] = now
        recorded = []
        for depth, (code, line, user, locals_, _values) in enumerate(now):
            entry = {"name": code.co_qualname, "line": line, "user": 1 if user else 0}
            before = last[depth] if last is not None and depth < len(last) else None
            if user and (before is None or before[0] is not code or before[3] != locals_):
                entry["locals"] = dict(locals_)
            recorded.append(entry)
        return recorded

    def _locals(self, frame, before):
        """((name, text), …) of a frame's variables, and what lets the next record of the same
        frame skip making a text again: for a value of an immutable type the value itself, for a
        short sequence of them its length and first items (its text depends on nothing else).
        Mutable values are never kept: the trace must not keep a program's objects alive."""
        old = before[4] if before is not None else None
        shown = []
        kept = {}
        try:
            items = frame.f_locals.items()
        except Exception:
            return (), kept
        for name, value in items:
            if name[0] == "_" and (name.startswith("__") or name == "_"):
                continue
            kind = type(value)
            prev = old.get(name) if old is not None else None
            # int and str (nearly every local) told by identity first, with no address_key call.
            if kind is int or kind is str or address_key(kind) in _IMMUTABLE_IDS:
                if prev is not None and prev[0] is value:
                    text = prev[1]
                elif kind is int and -_BIG < value < _BIG:
                    text = repr(value)
                else:
                    text = brief(value)
                kept[name] = (value, text)
            elif kind is list or kind is tuple or kind is _DEQUE:
                key = (len(value),) + tuple(_islice(value, 6))
                if prev is not None and len(prev) == 3 and prev[2] is kind and len(prev[0]) == len(key) and \
                        all(a is b for a, b in zip(prev[0], key)):
                    text = prev[1]
                else:
                    text = brief(value)
                if all(address_key(type(item)) in _IMMUTABLE_IDS for item in key):
                    kept[name] = (key, text, kind)
            else:
                if issubclass(kind, _PRIMITIVES):
                    self._object_id(value, name)
                text = brief(value)
            shown.append((name, text))
            if len(shown) >= MAX_LOCALS:
                break
        return tuple(shown), kept

    # -- asyncio objects
    def _object_id(self, obj, label=None):
        entry = self.object_ids.get(address_key(obj))
        if entry is not None and entry[1]() is obj:
            return entry[0]
        oid = len(self.objects)
        ref = _weakref(obj)
        self.object_ids[address_key(obj)] = (oid, ref)
        kind = type_name(obj)  # past a metaclass's __name__, which is the program's
        self.objects.append((oid, ref, kind, label or kind.lower()))
        return oid

    def _label_in(self, chain, obj):
        """The name the learner's frames give ``obj`` (outermost first), if any."""
        for code, frame, user in chain:
            if user:
                for name, value in frame.f_locals.items():
                    if value is obj:
                        return name
        return None

    def _objects_diff(self):
        changed = []
        for oid, ref, kind, label in self.objects:
            obj = ref()
            if obj is None:
                continue
            state = self._state(obj)
            state["id"], state["type"], state["label"] = oid, kind, label
            if self.last_states.get(oid) != state:
                self.last_states[oid] = state
                changed.append(state)
        return changed

    def _state(self, obj):
        """What the trace shows inside a Queue, Lock, Event, Condition, Semaphore or Barrier, from
        the fields asyncio's own code keeps in the instance's dict (Lib/asyncio/queues.py,
        locks.py), read there (identity.own_attribute) and used only when they are of the exact
        types that code puts there (``_field``): ``obj._queue`` ran a property or
        ``__getattribute__`` of a subclass of the program's at every moment that shows the
        object (a reviewer counted 28 reads of a Queue's ``_queue`` and 28 of a Lock's
        ``_locked`` where python3 makes 4), and ``int()``, ``bool()`` or ``list()`` of what a
        program put there would run its methods."""
        rec = self.rec
        kind = type(obj)
        if issubclass(kind, _QUEUE):
            queue = own_attribute(obj, "_queue")
            items = list(queue) if address_key(type(queue)) in _LISTABLE_QUEUES else []
            if issubclass(kind, _LIFO_QUEUE):
                items.reverse()
            elif issubclass(kind, _PRIORITY_QUEUE):
                try:
                    items.sort(key=_display_key)
                except Exception:  # keys of unlike kinds (a number and a text): the heap's order
                    pass
            state = {"items": [brief(i, ITEM_TEXT) for i in items[:MAX_ITEMS]],
                     "size": len(items), "maxsize": _field(obj, "_maxsize"),
                     "unfinished": _field(obj, "_unfinished_tasks")}
            if own_attribute(obj, "_is_shutdown") is True:
                state["shutdown"] = True
            return state
        if issubclass(kind, _LOCK):
            owner = lock_holder(obj) if is_locked(obj) else None
            return {"locked": is_locked(obj),
                    "owner": rec.known_tid(owner) if owner is not None else None}
        if issubclass(kind, _EVENT):
            return {"set": own_attribute(obj, "_value") is True}
        if issubclass(kind, _CONDITION):
            lock = own_attribute(obj, "_lock")
            locked = issubclass(type(lock), _LOCK) and is_locked(lock)
            owner = lock_holder(lock) if locked else None
            return {"locked": locked, "owner": rec.known_tid(owner) if owner is not None else None}
        if issubclass(kind, _SEMAPHORE):
            return {"value": _field(obj, "_value")}
        if issubclass(kind, _BARRIER):
            state = own_attribute(obj, "_state")
            # An enum member keeps its value in its own dict (Lib/enum.py: ``_value_``).
            name = own_attribute(state, "_value_") if type(state) is _BARRIER_STATE else state
            return {"parties": _field(obj, "_parties"), "count": _field(obj, "_count"),
                    "state": name if type(name) is str and name else "?"}
        return {}


def _field(obj, name):
    """A count asyncio keeps in ``obj``'s own dict (a Queue's ``_maxsize``, a Semaphore's
    ``_value`` …), as a whole number not below 0: an int or a float as CPython's own types
    hold it, else 0 (``int()`` of anything else runs its ``__int__``, the program's)."""
    value = own_attribute(obj, name)
    kind = type(value)
    if kind is int or kind is bool or (kind is float and _isfinite(value)):
        return max(0, int(value))
    return 0
