# Attack: run past the step budget in the __del__ of what an audit hook of the program's returns.
# CPython calls audit hooks with tracing off; Loop Lab calls the program's counted, through
# sys.call_tracing, but its wrapper let go of the hook's result after that call, with tracing off
# again, so the __del__ ran uncounted: 100,000,000 lines at a 1,000-step budget, status 0 (a
# reviewer's; python3 runs the same lines). Needs nothing of Loop Lab's. Now the result is let go
# of inside the counted call, and the budget ends the run.
import sys

ran = [0]


class Dropped:
    def __del__(self):
        i = 0
        while i < 3_000_000:
            i += 1
        ran[0] += i


armed = [False]


def hook(event, args):
    if armed[0] and event == "builtins.id":
        return Dropped()


sys.addaudithook(hook)
print("before")
armed[0] = True
id(None)
armed[0] = False
print(f"ESCAPED: what the audit hook returned ran {ran[0]:,} lines uncounted")
