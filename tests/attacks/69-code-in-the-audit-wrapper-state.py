# Attack: run code of the program's uncounted inside Loop Lab's audit-hook wrapper, and after
# the run's end. The wrapper (hooks.py) is called by CPython with tracing off, and read its state
# from lists the program can reach (import _looplab.hooks): it asked an object of the program's
# put there for its truth, whose __bool__ then ran 100,000,000 lines uncounted at a 1,000-step
# budget, status 0 (a reviewer's), or looped once the run had ended, until the host's time limit.
# Now the wrapper reads its state by type and identity, and never asks the object anything.
import sys
import _looplab.hooks as hooks

asked = [0]


class Truth:
    def __bool__(self):
        asked[0] += 1
        i = 0
        while i < 200_000:
            i += 1
        return True

    def __eq__(self, other):
        asked[0] += 1
        return False

    __hash__ = object.__hash__


sys.addaudithook(lambda event, args: None)
hooks._examining[0] = Truth()
for _ in range(50):
    id(object())
hooks._examining[0] = False
hooks._run[0] = Truth()
for _ in range(50):
    id(object())
if asked[0]:
    print(f"ESCAPED: the wrapper asked the program's object {asked[0]} times, uncounted")
else:
    print("blocked: the wrapper never asked the program's object")
print("end")
