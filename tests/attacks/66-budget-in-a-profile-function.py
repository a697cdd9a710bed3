# Attack: run past the step budget inside a profile function of the program's own (sys.setprofile)
# A profile function is called as a trace function is, with tracing off: its lines were not
# counted. Now it is called through sys.call_tracing, its lines the program's steps.
import sys

ran = [0]


def profiler(frame, event, arg):
    if event == "call" and not ran[0]:
        i = 0
        while i < 3_000_000:
            i += 1
        ran[0] = i


def f():
    pass


print("before")
sys.setprofile(profiler)
f()
sys.setprofile(None)
print(f"ESCAPED: the profile function ran {ran[0]:,} lines uncounted")
