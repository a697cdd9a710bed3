"""What a deadlock's message says: each stuck task, what it waits on, and the line it waits at.

"Every task is waiting for something that can never happen: Task-1 waits on the Lock it
already holds, line 10. …" The message is the `limit` event's, which the app's banner and the
CLI both show; it is made once, when the loop finds it has nothing left to run.
"""

import math

from .callables import future_state, task_loop, task_name
# Taken once, as this module loads: the program can reach these modules and rebind their names.
_isfinite = math.isfinite

_MOST_SHOWN = 8  # stuck tasks named in the message; the rest are counted


def deadlock_message(rec, loop, head, tail):
    """``head``, then every pending task of ``loop`` with its wait and line, then ``tail``.

    ``rec`` is the run's Recorder: its ``describe_wait`` says what a suspended task waits
    for (the trace contract's Wait shape), ``suspended_line`` where."""
    stuck = _pending_tasks(rec, loop)
    if not stuck:
        return f"{head}. {tail}"
    names = _names_by_tid(rec)
    parts = []
    for tid, task in stuck[:_MOST_SHOWN]:
        wait = rec.describe_wait(task)
        line = rec.suspended_line(task)
        where = f", line {line}" if line is not None else ""
        parts.append(f"{task_name(task)} waits on {_wait_words(wait, tid, names)}{where}")
    more = len(stuck) - _MOST_SHOWN
    if more > 0:
        parts.append(f"and {more} more task{'s' if more > 1 else ''}")
    return f"{head}: {'; '.join(parts)}. {tail}"


def _pending_tasks(rec, loop):
    """``(tid, task)`` for each of ``loop``'s tasks not done, in the order they were numbered:
    what ``asyncio.all_tasks(loop)`` holds, found among the tasks the run has numbered (each is,
    as its first step is queued or run eagerly: observe.py) and asked of asyncio's own Task
    methods (callables.py). 3.14's ``all_tasks`` (Modules/_asynciomodule.c) calls each task's
    ``done()`` and ``get_loop()``, a Task subclass's of the program's, in the tracer's moment:
    a deadlock's message printed what they print, where python3 prints nothing more."""
    stuck = []
    for tid, ref in sorted(rec.tids.values(), key=_first):
        task = ref()
        if task is None:
            continue
        try:
            if task_loop(task) is loop and future_state(task) == "pending":
                stuck.append((tid, task))
        except Exception:  # a C Task whose __init__ failed: all_tasks never lists it
            continue
    return stuck


def _first(entry):
    return entry[0]


def _names_by_tid(rec):
    names = {}
    for tid, ref in rec.tids.values():
        task = ref()
        if task is not None:
            names[tid] = task_name(task)
    return names


def _wait_words(wait, tid, names):
    """A wait (the trace contract's Wait shape) in a few words, as describe.ts's waitOn says
    it in the app; ``tid`` is the waiting task's."""
    def name(other):
        return names.get(other, f"task #{other}")

    def listed(tids):
        return ", ".join(name(t) for t in tids)

    kind = wait.get("kind")
    if kind == "sleep":
        until = wait.get("until")
        if until is None or not _isfinite(until):
            return "a sleep that never ends"
        return f"a timer due at {until:g} s"
    if kind == "task":
        return name(wait["task"])
    if kind in ("gather", "wait", "as_completed"):
        return f"{kind}({listed(wait['tasks'])})"
    if kind == "taskgroup":
        return f"its TaskGroup's tasks ({listed(wait['tasks'])})"
    if kind == "wait_for":
        return f"wait_for({name(wait['task'])})" if wait.get("task") is not None else "wait_for()"
    if kind == "sync":
        holder = wait.get("holder")
        if holder == tid:
            return f"the {wait['primitive']} it already holds"
        what = f"{wait['primitive']}.{wait['method']}()"
        return f"{what} (held by {name(holder)})" if holder is not None else what
    if kind == "future":
        return "a Future that nothing will complete"
    if kind == "net":  # the virtual network (network.py): nothing more will ever arrive
        peer = wait.get("peer")
        return f"{wait['call']}()" + (f" on the connection with {peer}" if peer else "")
    return "its turn"
