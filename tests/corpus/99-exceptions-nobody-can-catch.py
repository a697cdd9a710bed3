# Oracle: plain Pyodide (CPython 3.14): its own words for an exception nobody can catch.
# Compare: all of stderr
# Exceptions nobody can catch, as CPython's sys.unraisablehook prints them: raised in a
# __del__, in a weakref callback, by a generator that will not close, by an async generator
# closed by asyncio, and by a recursion inside a __del__ (frames repeated, cut). Each shows
# its source lines, and none shows a frame that is not the program's.
import asyncio
import sys
import weakref


class Resource:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        raise ValueError(f"{self.name} could not be closed")


class Quiet(Exception):
    def __str__(self):
        raise KeyError("no words")


class Mute:
    def __del__(self):
        raise Quiet()


def countdown(n):
    if n == 0:
        raise OverflowError("bottom reached")
    countdown(n - 1)


class Deep:
    def __del__(self):
        countdown(8)


class Owner:
    pass


def stubborn():
    try:
        yield 1
    finally:
        yield 2


async def ticks():
    try:
        yield 1
        yield 2
    finally:
        print("ticks: finally")
        raise RuntimeError("ticks cleanup failed")


async def main():
    async for tick in ticks():
        print("tick", tick)
        break
    await asyncio.sleep(0)
    print("main done")


first = Resource("socket")
del first
mute = Mute()
del mute
deep = Deep()
del deep
owner = Owner()
watch = weakref.ref(owner, lambda ref: 1 / 0)
kept = watch.__callback__; del owner  # kept: its memory, freed, went to `gen` or not by real time (README: an object's address)
gen = stubborn()
next(gen)
del gen
asyncio.run(main())
sys.tracebacklimit = 2
deep = Deep()
del deep
sys.tracebacklimit = 0
deep = Deep()
del deep
print("end")
