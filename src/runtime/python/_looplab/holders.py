"""Which task holds each asyncio.Lock: what a task waiting on a lock is really waiting for.

asyncio's Lock keeps no owner (locks.py: "not owned by a particular task"): it has a
``_locked`` flag, set by ``acquire()`` in the task that gets it and cleared by ``release()``.
``track_lock_holders()`` makes that flag a property which keeps the value where it always was
(the lock's ``__dict__['_locked']``, so ``vars(lock)`` reads as in CPython), reached as
``self._locked = v`` reaches it in CPython, past a ``__dict__`` or ``__getattribute__`` of the
program's (identity.own_dict), and also notes, aside, the task current when it is set. Lock's
code and behaviour are unchanged, and no frame is added to any await chain. Conditions and
Barriers wait on a Lock of their own, so this covers them too.
"""

import asyncio.locks as _locks
import asyncio.tasks as _tasks
import weakref

from .identity import address_key, own_dict
# Taken once, as this module loads: the program can reach these modules and rebind their names.
_current_task = _tasks.current_task
_weakref = weakref.ref

# address_key(lock) -> (weakref to the lock, weakref to the task that locked it), while it is locked
_holders = {}


def _get_locked(lock):
    """The lock's ``_locked`` from its own dict, where Lock's ``self._locked`` keeps it, read
    through CPython's own ``__dict__`` getter (identity.own_dict): ``lock.__dict__`` asked a
    subclass's ``__getattribute__`` or ``__dict__`` property of the program's at every read of
    the flag, by Lock's own methods and by the tracer's moments, where python3 asks neither."""
    namespace = own_dict(lock)
    return dict.get(namespace, "_locked", False) if namespace is not None else False


def _set_locked(lock, value):
    namespace = own_dict(lock)
    if namespace is not None:
        dict.__setitem__(namespace, "_locked", value)
    key = address_key(lock)
    _holders.pop(key, None)
    if not value:
        return
    try:
        task = _current_task()
    except RuntimeError:  # no running loop: locked outside any task
        return
    if task is not None:
        _holders[key] = (_weakref(lock, lambda _gone, key=key: _holders.pop(key, None)),
                         _weakref(task))


def track_lock_holders():
    """Make every asyncio.Lock note the task that acquires it. Idempotent."""
    if not isinstance(_locks.Lock.__dict__.get("_locked"), property):
        _locks.Lock._locked = property(_get_locked, _set_locked)


def is_locked(lock):
    """``lock.locked()`` as asyncio's Lock answers it, from the lock's own ``_locked`` (Lock sets
    only True and False; anything else the program put there counts only if it is an int, whose
    truth is CPython's: another object's ``__bool__`` is the program's)."""
    value = _get_locked(lock)
    return value is True or (type(value) is int and value != 0)


def lock_holder(lock):
    """The task that holds ``lock`` (an asyncio.Lock), or None: unlocked, or taken outside
    any task, or its holder is gone."""
    if lock is None or not is_locked(lock):
        return None
    entry = _holders.get(address_key(lock))
    if entry is None or entry[0]() is not lock:
        return None
    return entry[1]()
