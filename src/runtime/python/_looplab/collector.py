"""The cyclic garbage collector during a run: it collects at points fixed by the run's lines.

CPython collects on its own when its count of container objects made (less those freed) passes
a threshold, at the next instruction that looks (``_Py_RunGC``: in 3.14 an increment, whose
size it reckons from that count and the heap's size). In a traced run the count and the heap
hold the tracer's objects too, and how many of those there are depends on real time: how often
the tracer looks at its limits (``Recorder.batch`` follows the time between two looks) and
sends chunks (by the time since the last). So the line at which a cycle's ``__del__`` or a
weakref's callback ran, and whether it ran inside the tracer's own hook (where CPython reports
no lines), changed with the machine's load: seven different traces in eight runs of a program
dropping a cycle at each turn of a loop (tests/determinism.test.ts).

During a run the automatic collection is therefore off, and the tracer collects instead, at
lines of the learner's code counted from the run's start (``lines_between``: 1,000 apart, as
CPython's threshold of 2,000 objects is about that many lines; and as far apart in lines of code
the program compiled itself): the young objects each time, and now and then all of them (see
FIRST_FULL). An increment would again take its size from the heap; these find the same cycles
in every run. The program's own switch is its own: ``gc.enable``, ``gc.disable`` and
``gc.isenabled`` work it, on as each run begins, as python3's is, and no collection is made
while it is off (or while the first threshold is 0), as python3 makes none then. A threshold the
program sets counts from the line that sets it (``gc.set_threshold(1)`` collects as the next
line begins, where python3 collects at the next object made).

A collection runs in the tracer's line hook, where CPython reports no events: a ``__del__`` it
runs shows what it prints, not its lines, as one run at the end of the program does.
"""

import gc
import inspect

from . import current

# Taken once, as the tracer loads: the program can rebind the module's names.
_enable = gc.enable
_disable = gc.disable
_isenabled = gc.isenabled
_collect = gc.collect
_get_threshold = gc.get_threshold
_set_threshold = gc.set_threshold

# CPython collects after its first threshold of container objects more (2,000 in 3.14); a
# learner's line makes about two.
OBJECTS_PER_LINE = 2
# The collections that are full ones: the 16th, the 32nd, the 64th … (by default after 16,000
# lines, then each time the run has doubled its lines). A full collection finds the objects that
# outlived a young one and were dropped since. It costs ~40 ns for every object alive (8.4 ms
# for 200,000, measured in Pyodide here), about what 16,000 quick lines take traced: one every
# 16 young ones would nearly double such a program's time, and at these a run of a million
# lines makes seven, whatever its heap. The end of the run collects everything.
FIRST_FULL = 16

# [a run is under way, the program's switch, the thresholds as the run began]
_state = [False, True, _get_threshold()]


def begin():
    """A run begins: the automatic collection is off, and the program's switch on."""
    _state[0] = True
    _state[1] = True
    _state[2] = _get_threshold()
    _disable()


def end():
    """A run has ended: the automatic collection is back on, with the thresholds it began with."""
    _state[0] = False
    _state[1] = True
    _set_threshold(*_state[2])
    _enable()


def lines_between():
    """Lines from one collection to the next, by the program's first threshold: 0 is "as the next
    line begins" (one of 0 turns the automatic collection off: then as by default)."""
    threshold = _get_threshold()[0]
    return (threshold if threshold > 0 else 2000) // OBJECTS_PER_LINE


def collect_all():
    """Everything: as the run ends (the program's objects dropped, as at python3's exit)."""
    _collect()


def collect(number):
    """The run's collection ``number`` (1, 2 …), at its fixed place; none while the program has
    the collector off."""
    if not _state[1] or _get_threshold()[0] == 0:
        return
    full = number >= FIRST_FULL and number & (number - 1) == 0
    _collect(2 if full else 0)


def enable(*args, **kwargs):
    if args or kwargs:
        return _enable(*args, **kwargs)  # refused in its own words
    if _state[0]:
        _state[1] = True
    else:
        _enable()


def disable(*args, **kwargs):
    if args or kwargs:
        return _disable(*args, **kwargs)
    if _state[0]:
        _state[1] = False
    else:
        _disable()


def isenabled(*args, **kwargs):
    if args or kwargs:
        return _isenabled(*args, **kwargs)
    return _state[1] if _state[0] else _isenabled()


def set_threshold(*args, **kwargs):
    _set_threshold(*args, **kwargs)  # taken or refused as python3 takes it
    rec = current.recorder
    if _state[0] and rec is not None:
        # The next collection counts from here: the lines recorded so far, this one included,
        # and a check at the next line, which finds it due there or caps its batch at it.
        rec.spill_lines()
        rec.next_collection = len(rec.lines) + lines_between()
        rec.request_check()


def install():
    """The program's gc.enable, gc.disable, gc.isenabled and gc.set_threshold: its own switch
    and schedule during a run."""
    for ours, real in ((enable, _enable), (disable, _disable), (isenabled, _isenabled),
                       (set_threshold, _set_threshold)):
        ours.__module__ = "gc"
        ours.__doc__ = real.__doc__
        try:
            ours.__signature__ = inspect.signature(real)  # (): set_threshold has none to give
        except ValueError:
            pass
        setattr(gc, real.__name__, ours)
