"""The LINE and JUMP hooks: the hot path, run for every line of the learner's code.

Only the code objects compiled from the learner's source have LINE events switched on
(``sys.monitoring.set_local_events``): asyncio's own code and this package run unobserved.
"""

import array
import sys
import types

from .identity import address_key
from .recorder import LINE_BATCH
from .headroom import HEADROOM, LAST, MOST, get_limit, set_limit
from .stop import StopProgram
from .trusted import present_keys

TOOL_ID = 4  # the sys.monitoring tool this tracer registers as
# The real sys.monitoring, taken at import: the program's is guarded (hooks.py), and refuses
# calls on this tracer's tools.
MONITORING = sys.monitoring


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

    Each line number goes into a small list (a store the interpreter does without calling
    anything) whose length is the number of lines until the next look at the limits: the store
    past its end raises IndexError, and only then does `check()` move the batch into the
    recorder's array and call `periodic()`, which enforces the limits. So a line costs one
    store and one increment, and no comparison (on cpu_heavy.py in Pyodide, the comparison
    made the hook about a tenth slower).

    The batch moves with `array.fromlist` (one resize, then one conversion per item), not
    `array.extend`, which takes a list through the iterator protocol and grows the array an
    item at a time: on cpu_heavy.py in Node, a traced run took 97 ms of CPU against 85 with
    fromlist (medians of 15, the two builds alternating in one process), tracing overhead
    6.0× against 5.3×. The array's items are unsigned (recorder.LINE_TYPECODE), which fromlist
    converts ~5× faster than signed ones.
    """
    lines = rec.lines
    periodic = rec.periodic
    max_steps = rec.max_steps
    disable = MONITORING.DISABLE
    loop_lines = {}  # (code, jump offset) -> the line a one-line loop jumps back into
    # len(buf): the lines until check() runs; buf[:filled] are recorded but not yet moved.
    # Never more than LINE_BATCH: the recorder counts on at most that many lines between two
    # looks at the limits to keep each chunk within the host's MESSAGE_LINES (Recorder.flush_lines).
    buf = [0] * min(rec.batch, LINE_BATCH, max_steps)
    filled = 0

    def spill():
        nonlocal filled
        if filled:
            batch = buf if filled == len(buf) else buf[:filled]
            try:
                lines.fromlist(batch)  # unsigned (recorder.LINE_TYPECODE): the fast conversion
            except OverflowError:
                # A negative line number, which CPython never gives: its int32 bytes, as they
                # always were (fromlist left the array as it was).
                lines.frombytes(array.array("i", batch).tobytes())
            del buf[:filled]  # the next check stays as many lines away
            filled = 0

    def check():
        # Before a line is recorded: it would be line number len(lines) + 1 of the run.
        nonlocal buf
        spill()
        buf = []  # if periodic() raises, every later line comes back here and raises too
        periodic(len(lines) + 1)
        buf = [0] * min(rec.batch, LINE_BATCH, max_steps - len(lines))  # at least 1: periodic() passed

    def request_check():
        del buf[filled:]

    def on_line(code, line):
        nonlocal filled
        try:
            buf[filled] = line
            filled += 1
            return
        except IndexError:
            pass
        # Outside the except clause: a StopProgram raised by check() has no IndexError context.
        # With headroom: a line of the program's at its recursion limit must not leave the
        # recorder half-way through a chunk (headroom.py).
        limit = get_limit()
        try:
            set_limit(limit)
        except RecursionError:
            raise RecursionError("maximum recursion depth exceeded") from None
        up = limit + HEADROOM if limit <= LAST else MOST
        set_limit(up)
        try:
            check()
            buf[0] = line
            filled = 1
            if rec.flush_line:  # the first line of a loop step: sent now, with it (Recorder.flush_at_step_line)
                rec.flush_line = False
                rec.flush()
        finally:
            if get_limit() == up:  # else the program set its own meanwhile: it stays
                set_limit(limit)

    def on_jump(code, source, target):
        # CPython raises a LINE event after a jump back from another line. A loop written on
        # one line (``while True: pass``) jumps back into its own line, with no LINE event:
        # count each turn of it as a line here, so that it shows and meets the step budget.
        key = (code, source)
        line = loop_lines.get(key)
        if line is None:
            line = _line_at(code, target)
            if target > source or line is None or line != _line_at(code, source):
                return disable
            loop_lines[key] = line
        on_line(code, line)

    rec.spill_lines = spill
    rec.request_check = request_check
    return on_line, on_jump



FOREIGN_TOOL_ID = 3  # the sys.monitoring tool that counts code the program made itself


def make_foreign_hooks(rec):
    """Hooks that count, without recording, the lines of code a program compiles and runs itself
    (``exec``, ``eval``, ``compile``, a module it wrote and imported …), so that the step
    budget holds for them too.

    PY_START is watched everywhere, but each code object is looked at once: code that was there
    before the program (asyncio's, the standard library's, this package's: trusted.py, by
    identity, whatever file name a program gives its own) is switched off at its first call
    (``DISABLE``), so it costs nothing after; any other code that is not the learner's gets
    LINE and JUMP events of its own tool. Returns ``(on_start, on_line, on_jump)``.
    """
    mon = MONITORING
    disable = mon.DISABLE
    set_local_events = mon.set_local_events
    user_keys = rec.user_keys
    trusted_keys, trusted_codes = present_keys()  # the codes held here: their addresses stay theirs
    watched = mon.events.LINE | mon.events.JUMP
    count = [0]
    next_check = [256]
    # What the budget is held by, taken now, before the program runs: never read again from the
    # recorder, nor from a module's or builtins' names, all of which the program can reach and
    # change (``sys.stdout._rec.max_steps = 10**15``, a reviewer's, let exec'd code run on past
    # the budget until the host's real-time allowance, 75 s in the CLI).
    periodic, spill, lines, where = rec.periodic, rec.spill_lines, rec.lines, type(rec).where
    request_check = rec.request_check
    max_steps, batch_most, key_of, length, int_type, kind = rec.max_steps, LINE_BATCH, address_key, len, int, type
    limit_of, set_limit_to, headroom, last, most = get_limit, set_limit, HEADROOM, LAST, MOST
    stopped = [None]  # the StopProgram that ended it, raised again at every later check

    def on_start(code, offset, _held=trusted_codes):  # _held: the hook keeps them alive
        key = key_of(code)
        if key not in user_keys and key not in trusted_keys:
            set_local_events(FOREIGN_TOOL_ID, code, watched)
        return disable

    def over_budget():
        # Past the budget by this hook's own count, whatever the recorder says: its stop, made
        # once and raised at every check after (next_check 0: each line), as periodic raises a
        # limit again in a `finally:` of the program's.
        # Its words are Recorder.stop_at_budget's, with this hook's numbers.
        if stopped[0] is None:
            rec.foreign_steps = count[0]
            try:
                at = where(rec)
            except Exception:
                at = ""
            stopped[0] = StopProgram("steps", f"The program ran {max_steps:,} lines (with {count[0]:,} lines of "
                                              f"code it compiled and ran itself), its step budget, and had not "
                                              f"finished{at}. It may never end. The steps so far are kept.")
            rec.stopped = stopped[0]
            next_check[0] = 0
            try:
                request_check()  # the learner's next line raises it too (Recorder.stop)
            except Exception:
                pass
        raise stopped[0]

    def step():
        count[0] += 1
        if count[0] >= next_check[0]:
            if stopped[0] is not None:
                raise stopped[0]
            limit = limit_of()
            try:
                set_limit_to(limit)
            except RecursionError:
                raise RecursionError("maximum recursion depth exceeded") from None
            up = limit + headroom if limit <= last else most
            set_limit_to(up)
            try:
                rec.foreign_steps = count[0]
                spill()
                periodic(length(lines))
                if count[0] + length(lines) > max_steps:
                    over_budget()
                every = rec.batch
                next_check[0] = count[0] + (every if kind(every) is int_type and 0 < every <= batch_most else 1)
            finally:
                if limit_of() == up:  # else the program set its own meanwhile: it stays
                    set_limit_to(limit)

    def on_line(code, line):
        step()

    def on_jump(code, source, target):
        # A loop's turn (one written on one line has no LINE event): `while True: pass` jumps
        # to itself, and counted only backwards it ran unseen, past the step budget.
        if target <= source:
            step()
        else:
            return disable

    return on_start, on_line, on_jump
