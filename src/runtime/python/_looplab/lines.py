"""The LINE and JUMP hooks: the hot path, run for every line of the learner's code.

Only the code objects compiled from the learner's source have LINE events switched on
(``sys.monitoring.set_local_events``): asyncio's own code and this package run unobserved.
"""

import sys
import types

TOOL_ID = 4  # the sys.monitoring tool this tracer registers as


def user_code_objects(code):
    found = {code}
    stack = [code]
    while stack:
        for const in stack.pop().co_consts:
            if isinstance(const, types.CodeType) and const not in found:
                found.add(const)
                stack.append(const)
    return frozenset(found)


def _line_at(code, offset):
    for start, end, line in code.co_lines():
        if start <= offset < end:
            return line
    return None


def make_line_hooks(rec):
    """The LINE and JUMP callbacks: the hot path, run for every line of the learner's code.

    Each line number goes into a small preallocated list (a store the interpreter does
    without calling anything); every BATCH lines, or sooner when asked, `check()` moves the
    batch into the recorder's array and calls `periodic()`, which enforces the limits.
    """
    lines = rec.lines
    periodic = rec.periodic
    max_steps = rec.max_steps
    disable = sys.monitoring.DISABLE
    loop_lines = {}  # (code, jump offset) -> the line a one-line loop jumps back into
    buf = [0] * _LINE_BATCH
    filled = 0
    size = min(_LINE_BATCH, max_steps)  # check() runs when `filled` reaches this

    def spill():
        nonlocal filled, size
        if filled:
            lines.extend(buf if filled == _LINE_BATCH else buf[:filled])
            size = max(0, size - filled)  # the next check stays as many lines away
            filled = 0

    def check():
        # Before a line is recorded: it would be line number len(lines) + 1 of the run.
        nonlocal size
        spill()
        size = 0  # if periodic() raises, every later line comes back here and raises too
        periodic(len(lines) + 1)
        size = min(rec.batch, max_steps - len(lines))

    def request_check():
        nonlocal size
        size = filled

    def on_line(code, line):
        nonlocal filled
        if filled == size:
            check()
        buf[filled] = line
        filled += 1

    def on_jump(code, source, target):
        # CPython raises a LINE event after a jump back from another line. A loop written on
        # one line (``while True: pass``) jumps back into its own line, with no LINE event:
        # count each turn of it as a line here, so that it shows and meets the step budget.
        nonlocal filled
        key = (code, source)
        line = loop_lines.get(key)
        if line is None:
            line = _line_at(code, target)
            if target > source or line is None or line != _line_at(code, source):
                return disable
            loop_lines[key] = line
        if filled == size:
            check()
        buf[filled] = line
        filled += 1

    rec.spill_lines = spill
    rec.request_check = request_check
    return on_line, on_jump


_LINE_BATCH = 256


FOREIGN_TOOL_ID = 3  # the sys.monitoring tool that counts code the program made itself
_TRUSTED_FILES = ("/lib/python3", "<frozen ")  # the standard library (Pyodide's included)


def make_foreign_hooks(rec, trusted_prefix):
    """Hooks that count, without recording, the lines of code a program compiles and runs itself
    (``exec``, ``eval``, ``compile``, a module it wrote and imported …), so that the step
    budget holds for them too.

    PY_START is watched everywhere, but each code object is looked at once: asyncio's and the
    standard library's code is switched off at its first call (``DISABLE``), so it costs
    nothing after; code made by the program gets LINE and JUMP events of its own tool.
    Returns ``(on_start, on_line, on_jump)``.
    """
    mon = sys.monitoring
    disable = mon.DISABLE
    user_codes = rec.user_codes
    trusted = _TRUSTED_FILES + (trusted_prefix,)
    watched = mon.events.LINE | mon.events.JUMP
    count = [0]
    next_check = [256]

    def on_start(code, offset):
        if code not in user_codes and not code.co_filename.startswith(trusted):
            mon.set_local_events(FOREIGN_TOOL_ID, code, watched)
        return disable

    def step():
        count[0] += 1
        if count[0] >= next_check[0]:
            rec.foreign_steps = count[0]
            rec.spill_lines()
            rec.periodic(len(rec.lines))
            next_check[0] = count[0] + rec.batch

    def on_line(code, line):
        step()

    def on_jump(code, source, target):
        if target < source:  # a loop's turn (one written on one line has no LINE event)
            step()
        else:
            return disable

    return on_start, on_line, on_jump
