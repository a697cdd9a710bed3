"""The program's ``atexit`` functions, called at its end as python3 calls them.

python3 calls them in ``Py_FinalizeEx`` (Python/pylifecycle.c) once the main module has ended
and an uncaught exception's traceback is printed: after waiting for threads, ``_PyAtExit_Call``
calls every function registered, last registered first; then the standard streams are flushed,
then the exit's first collection runs (``PyGC_Collect``), then the modules are torn down. One
that raises is reported through ``sys.unraisablehook`` as "Exception ignored in atexit
callback …", and the rest are still called (``atexit_callfuncs``, Modules/atexitmodule.c); one
registered while they are called is not. The exit status stays the program's.

Here they are called by that same C code (``atexit._run_exitfuncs``, taken at import: a program
may rebind the module's name), at that same moment (runner.run, before the teardown), with the
program's step budget, time limit and tracing on: they are the program's code, and a
``while True`` in one ends at the budget as one in the program does, not by the host's limits.

Only the program's are there to call: what was registered before it (``logging.shutdown``, by
Pyodide's start-up importing ``logging``; Pyodide never finalizes, so nothing else ever called
it) is cleared as each run begins (``begin()``), and ``logging.shutdown`` registered again then,
first, as a python3 program's ``import asyncio`` (asyncio/log.py imports ``logging``) registers it
before the program's own: it is called last, and flushes and closes the program's logging
handlers as python3's does (a ``MemoryHandler`` hands its records on then).
"""

import atexit
import logging

# The C functions, taken at import (before any program): what finalization itself calls.
_register = atexit.register
_clear = atexit._clear
_call_all = atexit._run_exitfuncs
_logging_shutdown = logging.shutdown


def begin():
    """A run begins: only ``logging.shutdown`` is registered (see the module's docstring)."""
    _clear()
    _register(_logging_shutdown)


def call_all():
    """Call the functions registered, last first, as ``Py_FinalizeEx`` does, and forget them:
    errors are reported by ``sys.unraisablehook`` (the program's, if it set one), as python3
    reports them. A StopProgram (a limit reached in one) is swallowed there too, unprinted
    (the recorder prints nothing once stopped), and every later line of the program's raises it
    again (Recorder.stop), so the rest end at their first line: the caller reads
    ``rec.stopped``."""
    _call_all()


def forget():
    """The run is over, however it ended: nothing it registered is left for the next run."""
    _clear()
