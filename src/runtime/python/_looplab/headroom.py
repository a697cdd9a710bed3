"""Recursion headroom for the tracer's own work done inside a call of the program's.

A print, a buffer write or a line of the program's near its recursion limit runs the tracer's
code (streams.py, lines.py) deeper than the program's limit allows: a RecursionError raised
half-way through recording left a chunk short of a line, and the host refused the run as
damaged. So each such place, inline (a function of ours would be one frame too many there):

1. ``limit = get_limit()`` and ``set_limit(limit)``: the limit unchanged, but CPython refuses
   it at a depth at or past the limit (Python/sysmodule.c, "cannot set the recursion limit …
   the limit is too low"). Then the place raises RecursionError ("maximum recursion depth
   exceeded") before it has recorded anything: the program's call fails a frame sooner than
   python3's would, as the tracer's frame is one more than python3 has there.
2. ``set_limit(up)`` (HEADROOM more, within a C int), the tracer's work, then, in the same
   frame, ``set_limit(limit)`` if the limit is still ``up``: CPython cannot refuse it, as
   step 1 passed at this same depth. A limit the program set meanwhile (a ``__del__`` run by
   the collector during the tracer's work) is the program's, and stays.

f984946 instead put a refused limit back later, and each place meanwhile took the raised limit
for the program's and raised it again: a recursion that printed as it went never met a limit.
"""

import sys

HEADROOM = 100
MOST = 2**31 - 1  # a C int: the largest limit CPython takes (setrecursionlimit's argument)
LAST = MOST - HEADROOM  # the largest limit that can take HEADROOM more
# Taken once: the program can rebind sys's names.
get_limit = sys.getrecursionlimit
set_limit = sys.setrecursionlimit
