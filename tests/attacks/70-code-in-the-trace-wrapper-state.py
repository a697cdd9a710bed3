# Attack: run code of the program's uncounted inside Loop Lab's trace-function wrapper. CPython
# calls a trace function with tracing off; the wrapper (hooks.py) asked the count it keeps of
# hooks running (a list the program can reach: import _looplab.hooks) for its truth, and a
# __bool__ of the program's put there ran 42,000,000 lines uncounted (a reviewer's). Now the
# count is read only as an int.
import sys
import _looplab.hooks as hooks

asked = [0]


class Depth:
    def __bool__(self):
        asked[0] += 1
        i = 0
        while i < 200_000:
            i += 1
        return False

    def __add__(self, other):
        asked[0] += 1
        return 1

    __radd__ = __sub__ = __add__


def tracer(frame, event, arg):
    return None


def work():
    return sum(range(10))


sys.settrace(tracer)
hooks._inside_hook[0] = Depth()
for _ in range(50):
    work()
sys.settrace(None)
if asked[0]:
    print(f"ESCAPED: the wrapper asked the program's object {asked[0]} times, uncounted")
else:
    print("blocked: the wrapper never asked the program's object")
print("end")
