# Attack 53: forge how long a wait is. A wait on the virtual clock (time.sleep, a lock's or an
# event's timeout, select and poll) is written into the trace as a block event; a fourth
# attacker rebound math.ceil to hand the wait a float subclass whose comparisons all said yes,
# and the run ended as damaged (a block of inf, NaN or -5 s); and a class named with a million
# characters made each event's call a megabyte, until the tracer ran out of memory.
# Each attempt prints "blocked: ..." when it fails, "ESCAPED: ..." if it ever succeeded.
import math
import operator
import os
import select
import selectors
import threading
import time
from decimal import Decimal


class Liar(float):
    __le__ = __ge__ = __gt__ = lambda self, other: True
    __lt__ = lambda self, other: False
    __truediv__ = __mul__ = lambda self, other: Liar(float("inf"))
    __float__ = lambda self: float("nan")


def moved(wait):
    before = time.monotonic()
    try:
        wait()
    except (TypeError, ValueError, OverflowError) as error:
        return f"{type(error).__name__}: {error}"
    return round(time.monotonic() - before, 6)


r, w = os.pipe()
poller = select.poll()
poller.register(r, select.POLLIN)
saved = (math.ceil, math.floor, math.isnan, operator.index)
math.ceil = math.floor = lambda value: Liar(float("inf"))
math.isnan = lambda value: False
operator.index = lambda value: 10**30
try:
    results = {
        "poll(5.0)": moved(lambda: poller.poll(5.0)),
        "poll(Liar(7))": moved(lambda: poller.poll(Liar(7.0))),
        "select(Liar(0.25))": moved(lambda: select.select([r], [], [], Liar(0.25))),
        "sleep(Liar(0.5))": moved(lambda: time.sleep(Liar(0.5))),
        "Event.wait(Liar(0.125))": moved(lambda: threading.Event().wait(Liar(0.125))),
        "sleep(2)": moved(lambda: time.sleep(2)),
    }
finally:
    math.ceil, math.floor, math.isnan, operator.index = saved
expected = {"poll(5.0)": 0.005, "poll(Liar(7))": 0.007, "select(Liar(0.25))": 0.25, "sleep(Liar(0.5))": 0.5,
            "Event.wait(Liar(0.125))": 0.125, "sleep(2)": 2.0}
for call, took in results.items():
    if took == expected[call]:
        print(f"blocked: {call} waited its own value, {took} s, whatever the program rebound or its float said")
    else:
        print(f"ESCAPED: {call} gave {took!r}")

took = moved(lambda: time.sleep(Decimal("0.5")))
if took == "TypeError: 'decimal.Decimal' object cannot be interpreted as an integer":
    print("blocked: time.sleep(Decimal) is a TypeError, as in python3 (no __float__ is called)")
else:
    print(f"ESCAPED: time.sleep(Decimal) gave {took!r}")

Long = type("A" * 1_000_000, (selectors.PollSelector,), {})
selector = Long()
selector.register(r, selectors.EVENT_READ)
before = time.monotonic()
for _ in range(300):
    selector.select(0.001)
print(f"blocked: 300 waits in a selector class named with a million characters took {round(time.monotonic() - before, 6)} s and the run went on")
