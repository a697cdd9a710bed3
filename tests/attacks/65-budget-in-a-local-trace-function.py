# Attack: run past the step budget inside the local trace function a trace function returns
# CPython calls the function a trace function returned (the frame's f_trace) for each 'line'
# event of that frame, with tracing off: its lines were not counted either (a reviewer's
# finding for the global one). Now what a trace function returns is called counted too.
import sys

ran = [0]


def local(frame, event, arg):
    if event == "line" and not ran[0]:
        i = 0
        while i < 3_000_000:
            i += 1
        ran[0] = i
    return local


def tracer(frame, event, arg):
    return local if frame.f_code.co_name == "f" else None


def f():
    x = 1
    return x


print("before")
sys.settrace(tracer)
f()
sys.settrace(None)
print(f"ESCAPED: the local trace function ran {ran[0]:,} lines uncounted")
