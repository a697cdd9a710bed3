# Attack 52: read the host's real clock through the C profiler. CPython's _lsprof.Profiler (behind
# cProfile) reads the real monotonic clock in C when it is given no timer: a second attacker
# timed code to the microsecond with the bare type (found through object.__subclasses__()),
# and a program profiling itself printed real milliseconds, different at every run.
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
import cProfile
import pstats
import time


def waits():
    time.sleep(5)  # five seconds on the virtual clock
    sum(i * i for i in range(20_000))  # no virtual time at all


def profiled_time():
    profiler = cProfile.Profile()
    profiler.enable()
    waits()
    profiler.disable()
    for (_file, _line, name), (_cc, calls, _tt, cumulative, _callers) in pstats.Stats(profiler).stats.items():
        if name == "waits":
            if calls == 1 and cumulative == 5.0:
                return "blocked: cProfile times a call by the virtual clock (5.0 s for a 5 s sleep and a sum)"
            return f"ESCAPED: cProfile timed the call at {cumulative!r} s ({calls} calls)"
    return "ESCAPED: cProfile did not see the call"


def bare_profiler():
    found = [c for c in object.__subclasses__() if c.__module__ == "_lsprof" and c.__name__ == "Profiler"]
    if not found:
        return "blocked: no C profiler to be found"
    made = []
    for make in (lambda t: t(), lambda t: object.__new__(t), lambda t: type("Sub", (t,), {})(),
                 lambda t: type("New", (t,), {"__new__": object.__new__})()):
        try:
            made.append(make(found[0]))
        except TypeError:
            pass
    for profiler in made:
        try:
            profiler.enable()
            time.sleep(0)
            profiler.disable()
            return f"ESCAPED: the C profiler was made and ran: {profiler.getstats()[:1]}"
        except Exception:  # noqa: BLE001 - any failure is the expected outcome
            pass
    return f"blocked: the C profiler cannot be made ({len(made)} made, none ran)"


for label, action in (("profiled time", profiled_time), ("bare profiler", bare_profiler)):
    try:
        print(action()[:300])
    except BaseException as error:  # noqa: BLE001 - any failure is the expected outcome
        print(f"blocked: {label}: {type(error).__name__}: {error}"[:200])
