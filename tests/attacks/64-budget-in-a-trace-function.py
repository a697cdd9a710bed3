# Attack: run past the step budget inside a trace function of the program's own (sys.settrace)
# CPython calls a trace function with its thread's tracing off, and with tracing off no
# sys.monitoring event fires, Loop Lab's line counting among them: a trace function's loop of
# 30,000,000 lines ran to its end, 11 steps recorded, status 0 (a reviewer's). Now it is called
# through sys.call_tracing: its lines are the program's steps, and the budget ends the run.
import sys

ran = [0]


def tracer(frame, event, arg):
    sys.settrace(None)
    i = 0
    while i < 3_000_000:
        i += 1
    ran[0] = i
    return None


def f():
    pass


print("before")
sys.settrace(tracer)
f()
sys.settrace(None)
print(f"ESCAPED: the trace function ran {ran[0]:,} lines uncounted")
