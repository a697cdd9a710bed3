"""The program's ``sys.excepthook``, called for its uncaught exception as python3 calls it.

python3 hands an uncaught exception to ``sys.excepthook`` (``_PyErr_PrintEx``,
Python/pythonrun.c) once it has set ``sys.last_exc`` and its kin. Its default,
``sys.__excepthook__``, prints the traceback; a program's own hook runs in its place and prints
what it likes, or nothing. python3 3.11 and 3.13 then say, on stderr:

- for a hook that raises: "Error in sys.excepthook:", the hook's traceback, an empty line,
  "Original exception was:" and the program's traceback (a hook of None is one that raises
  TypeError: 'NoneType' object is not callable, with no frames of its own);
- for a hook the program deleted: "sys.excepthook is missing", then the traceback;
- and a SystemExit the hook raises ends the program as ``sys.exit`` does (status and message).

Pyodide's start-up put its own function there (``set_excepthook``, pyodide.asm.mjs 314.0.7's
``finalizeSetup``), where python3 has its default: each run begins with python3's (``begin``),
so that ``sys.excepthook is sys.__excepthook__`` holds for the program as it does in python3.
"""

import sys

# CPython's own (sys.excepthook in Python/sysmodule.c), taken as this module loads, before any
# program: what Loop Lab's own report of a traceback stands for (runner._report_exception).
DEFAULT = sys.__excepthook__
# The program deleted sys.excepthook.
MISSING = object()
_SYS_DICT = sys.__dict__
# What end() took out of sys's dict, kept for as long as the interpreter lives.
_TAKEN_OUT = []


def begin():
    """A run begins with python3's hook in place, and python3's ``sys.__excepthook__``."""
    sys.excepthook = DEFAULT
    sys.__excepthook__ = DEFAULT


def end():
    """The run is over: CPython's hook again, for what Pyodide reports through it (``PyErr_Print``,
    should anything escape ``runner.run``): the program's hook ran there, unrecorded and past the
    step budget, after the run's end (a reviewer's). ``sys``'s own dict is rebuilt with its str
    keys only, and the hook set there, past a module class of the program's (``sys.__class__``
    may be its own, with a ``__setattr__``): a key of the program's hashed as "excepthook" had
    its ``__eq__`` answer the lookup (or loop in it). What is taken out (the entries whose key
    is not a str, and the hook replaced) is kept, so that no ``__del__`` of the program's runs
    while ``sys`` is being rebuilt, nor after; nothing else is (keeping every entry held each
    run's streams, and through them its recorder, for as long as an interpreter that runs
    several programs lived: a tests' or the bench's engine traced cpu_heavy.py 40% slower after
    the tutorial's programs and the 200-client server had run on it)."""
    try:
        # Read as a list: a copy of the dict would insert its keys again, and two that share a
        # hash would be compared by the program's __eq__.
        entries = list(dict.items(_SYS_DICT))
        kept = [(key, value) for key, value in entries if type(key) is str]
        _TAKEN_OUT.append([(key, value) for key, value in entries
                           if type(key) is not str or key == "excepthook"])
        dict.clear(_SYS_DICT)
        dict.update(_SYS_DICT, kept)
        dict.__setitem__(_SYS_DICT, "excepthook", DEFAULT)
    except BaseException:
        pass


def program_hook():
    """What python3 would hand the program's uncaught exception to now: DEFAULT (Loop Lab then
    prints the traceback itself, as that default does), MISSING if the program deleted
    ``sys.excepthook``, else whatever the program put there, None included (called as its
    code). Read from ``sys``'s own dict, as ``PySys_GetObject`` reads it: a key of the program's
    there whose ``__eq__`` raises counts as no hook (python3.13: "sys.excepthook is missing";
    here it crashed the worker, a reviewer's)."""
    try:
        return _SYS_DICT.get("excepthook", MISSING)
    except BaseException:
        return MISSING
