"""The wire form of a trace: how events leave the tracer. Decoded by src/runtime/wire.ts into
the shared trace contract (src/shared/trace.ts); keep the codes in step with it.

* the line numbers of LINE events go, one int32 each, into an ``array`` (the hot path: one C
  call per line), handed to the host as raw bytes with each chunk;
* the other events are a list; in it, a bare ``int`` N says "here come the LINE events up to
  the N-th of the line array", and a ``list`` ``[code, ...]`` is an event of its own, with the
  codes of the ``E_*`` constants below.
"""

import json
import math

E_TASK = "task"           # [E_TASK, tid, name, coro, creator_tid|None, loop, internal]
E_PUSH = "push"           # [E_PUSH, loop, item, reason, real_queue?]   item: ["t", tid] | ["c", hid]
E_POP = "pop"             # [E_POP, loop, item, cancelled, real_queue?]
E_SUSPEND = "susp"        # [E_SUSPEND, tid, wait, line|None]
E_CB = "cb"               # [E_CB, hid, label, user, line|None]        a callback, first seen
E_CB_END = "cbend"        # [E_CB_END, hid]
E_DONE = "done"           # [E_DONE, tid, outcome, text, line|None]
E_TIMER = "timer"         # [E_TIMER, loop, hid, when|None]
E_TIMER_CANCEL = "tcan"   # [E_TIMER_CANCEL, loop, hid]
E_CLOCK = "clock"         # [E_CLOCK, t]
E_OUT = "out"             # [E_OUT, stream, text]
E_LOOP = "loop"           # [E_LOOP, loop, action]      action: new | run | stop | close
E_BLOCK = "block"         # [E_BLOCK, seconds, line|None]  time.sleep() holds the whole thread
E_EXC = "exc"             # [E_EXC, type, message, line|None]  uncaught: the program ends
E_LIMIT = "limit"         # [E_LIMIT, reason, message]
E_RENAME = "rename"       # [E_RENAME, tid, name]


def _finite_only(value):
    """The same structure with every non-finite float (nan, inf) replaced by None: JSON has no
    way to write them, and the host would refuse the chunk."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list):
        return [_finite_only(v) for v in value]
    if isinstance(value, dict):
        return {k: _finite_only(v) for k, v in value.items()}
    return value


def encode(value):
    """``value`` as compact JSON that any JSON parser reads: non-finite numbers become null."""
    try:
        return json.dumps(value, separators=(",", ":"), allow_nan=False)
    except ValueError:
        return json.dumps(_finite_only(value), separators=(",", ":"), allow_nan=False)
