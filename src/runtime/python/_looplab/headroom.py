"""Recursion headroom for the tracer's own work done inside a call of the program's.

A print, a buffer write or a line of the program's at its recursion limit runs the tracer's
code (streams.py, lines.py) deeper than the program's limit allows: a RecursionError raised
half-way through recording left a chunk short of a line, and the host refused the run as
damaged. So each such place raises the limit by HEADROOM with two C calls, inline (a function
of ours would be one frame too many there), and hands what it found to ``restore()`` when done.

Putting the program's limit back can itself be refused: CPython will not set a limit below the
depth it is called at, and the tracer's frame sits at the program's limit. Then the limit stays
raised only until the next line of the program's, whose check puts it back (``request``, set to
Recorder.request_check, sends that line there). A limit the program set while the tracer
worked (a ``__del__`` run by the collector) is the program's, and stays.
"""

import sys

HEADROOM = 100
# Taken once: the program can rebind sys's names.
get_limit = sys.getrecursionlimit
set_limit = sys.setrecursionlimit
_pending = [None]  # the program's limit, when it could not be put back yet
request = [lambda: None]  # makes the program's next line come to check() (lines.py)


def restore(entered):
    """Put back the program's limit after the tracer's work. ``entered``: the limit when the
    work began (the work ran under ``entered + HEADROOM``). Never raises."""
    if get_limit() != entered + HEADROOM:
        _pending[0] = None  # set by the program's own code meanwhile: its value stands
        return
    target = entered if _pending[0] is None else _pending[0]
    try:
        set_limit(target)
        _pending[0] = None
    except RecursionError:  # too deep here for the program's own limit: at its next line
        _pending[0] = target
        if target != entered:
            try:
                set_limit(entered)
            except RecursionError:
                pass
        request[0]()


def forget():
    """A new run: no limit of an earlier one's is waiting to be put back."""
    _pending[0] = None
