# Attack: have Loop Lab take the program's own code for its own, by rebinding the names its
# trust checks read (trusted._own_keys, _present_keys) or changing those functions' defaults
# and code. A frame of Loop Lab's is hidden from tracebacks; one of the program's must never be.
import sys
import traceback

trusted = sys.modules["_looplab.trusted"]


def f():
    raise ValueError("raised in the program's own f")


key = object.__hash__(f.__code__)
trusted._own_keys = frozenset([key])
trusted._present_keys = frozenset([key])
for check in (trusted.own_code, trusted.present_before):
    try:
        check.__defaults__ = (frozenset([key]), object.__hash__)
        print(f"ESCAPED: {check.__name__}'s defaults changed")
    except RuntimeError:
        print(f"blocked: {check.__name__}'s defaults stay")
    try:
        check.__code__ = (lambda code, _keys=None, _key_of=None: True).__code__
        print(f"ESCAPED: {check.__name__}'s code changed")
    except RuntimeError:
        print(f"blocked: {check.__name__}'s code stays")
try:
    f()
except ValueError:
    shown = traceback.format_exc()
print("blocked: the program's frame is shown" if ", in f\n" in shown else "ESCAPED: the program's frame was hidden as Loop Lab's")
