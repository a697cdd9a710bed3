# Oracle: plain Pyodide (CPython 3.14): how 3.14 shows a compile-time error.
# Compare: all of stderr
# 'async with' in a plain def: found by the compiler, shown with its line and carets.
import asyncio

lock = asyncio.Lock()


def update(shared):
    async with lock:
        shared["n"] += 1


async def main():
    update({"n": 0})

asyncio.run(main())
