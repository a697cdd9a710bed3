"""Which task holds each asyncio.Lock: what a task waiting on a lock is really waiting for.

asyncio's Lock keeps no owner (locks.py: "not owned by a particular task"): it has a
``_locked`` flag, set by ``acquire()`` in the task that gets it and cleared by ``release()``.
``track_lock_holders()`` makes that flag a property which keeps the value where it always was
(the lock's ``__dict__['_locked']``, so ``vars(lock)`` reads as in CPython) and also notes,
aside, the task current when it is set. Lock's code and behaviour are unchanged, and no frame
is added to any await chain. Conditions and Barriers wait on a Lock of their own, so this
covers them too.
"""

import asyncio.locks as _locks
import asyncio.tasks as _tasks
import weakref

from .identity import address_key
# Taken once, as this module loads: the program can reach these modules and rebind their names.
_current_task = _tasks.current_task
_weakref = weakref.ref

# address_key(lock) -> (weakref to the lock, weakref to the task that locked it), while it is locked
_holders = {}


def _get_locked(lock):
    return lock.__dict__.get("_locked", False)


def _set_locked(lock, value):
    lock.__dict__["_locked"] = value
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


def lock_holder(lock):
    """The task that holds ``lock`` (an asyncio.Lock), or None: unlocked, or taken outside
    any task, or its holder is gone."""
    if lock is None or not _get_locked(lock):
        return None
    entry = _holders.get(address_key(lock))
    if entry is None or entry[0]() is not lock:
        return None
    return entry[1]()
