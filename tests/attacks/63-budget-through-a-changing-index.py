# Attack: name Loop Lab's tool, end the interpreter by a signal, or read a real clock, through
# an __index__ whose first answer is a TypeError (or no clock) and whose second is what the
# guard would refuse
# The guards read the number once and, on a TypeError, handed the program's own object to the
# real function, which read it again: set_events(Tool(3), 0) switched off the counting of the
# code a program compiles itself (exec'd code ran 5,000,000 lines past a 1,000,000-line
# budget), and os.kill(os.getpid(), Sig()) ended the interpreter (a reviewer's); clock_gettime's
# did the same, and the real monotonic clock came back. python3 reads the number once: the first
# read's error is the call's.
import os
import signal
import sys
import threading
import time


class Changing:
    """Raises TypeError at its first read, then answers ``then`` for ever after."""

    def __init__(self, then):
        self.reads = 0
        self.then = then

    def __index__(self):
        self.reads += 1
        if self.reads == 1:
            raise TypeError("not yet")
        return self.then


def attempt(what, call):
    try:
        call()
        print(f"ESCAPED: {what} went through")
    except TypeError as exc:
        print(f"blocked: {what}: TypeError: {exc}")


events = sys.monitoring.events
for tool in (3, 4):
    attempt(f"set_events(tool {tool})", lambda: sys.monitoring.set_events(Changing(tool), 0))
    attempt(f"register_callback(tool {tool})", lambda: sys.monitoring.register_callback(Changing(tool), events.LINE, None))
attempt("os.kill(own pid, SIGTERM)", lambda: os.kill(os.getpid(), Changing(signal.SIGTERM)))
attempt("os.kill(own pid, SIGKILL)", lambda: os.kill(os.getpid(), Changing(signal.SIGKILL)))
attempt("os.killpg(own group, SIGTERM)", lambda: os.killpg(os.getpgrp(), Changing(signal.SIGTERM)))
attempt("signal.raise_signal(SIGTERM)", lambda: signal.raise_signal(Changing(signal.SIGTERM)))
if hasattr(signal, "pthread_kill"):  # python3 has it; Pyodide has none
    attempt("signal.pthread_kill(own thread, SIGTERM)", lambda: signal.pthread_kill(threading.get_ident(), Changing(signal.SIGTERM)))
attempt("time.clock_gettime(CLOCK_MONOTONIC)", lambda: time.clock_gettime(Changing(time.CLOCK_MONOTONIC)))
attempt("time.clock_gettime_ns(CLOCK_MONOTONIC)", lambda: time.clock_gettime_ns(Changing(time.CLOCK_MONOTONIC)))


class NoClockThenMonotonic:
    """Names no clock at its first read, then CLOCK_MONOTONIC: the real clock, read again."""

    def __init__(self):
        self.reads = 0

    def __index__(self):
        self.reads += 1
        return 12345 if self.reads == 1 else time.CLOCK_MONOTONIC


try:
    print(f"ESCAPED: clock_gettime read a real clock: {time.clock_gettime(NoClockThenMonotonic())}")
except OSError as exc:
    print(f"blocked: clock_gettime(no clock, then CLOCK_MONOTONIC): OSError: {exc}")
print("before")
exec("n = 0\nwhile True:\n    n += 1\n")
