# Attack: run past the step budget in the __del__ of an object the program puts in the state of
# Loop Lab's hook wrappers (import _looplab.hooks), which CPython runs with tracing off. After
# attack 70 the wrappers never asked such an object anything, but _counted wrote over it, letting
# go of it there: its __del__ ran 100,000,000 lines uncounted at a 1,000-step budget (a
# reviewer's). Now a wrapper writes only over its own values, and the object is left in place.
import sys
import _looplab.hooks as hooks

ran = [0]


class Dropped:
    def __del__(self):
        i = 0
        while i < 3_000_000:
            i += 1
        ran[0] += i


sys.addaudithook(lambda event, args: None)
print("before")
hooks._inside_hook[0] = Dropped()
id(object())  # an audit event: the wrapper runs
hooks._inside_hook[0] = 0  # let go of here, by the program: counted, and the budget ends it
print(f"ESCAPED: an object the wrapper let go of ran {ran[0]:,} lines uncounted")
