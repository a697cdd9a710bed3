# Oracle: plain Pyodide (CPython 3.14): how 3.14 shows a compile-time error.
# Compare: all of stderr
# A SyntaxError found by the compiler, not the parser: python3 shows the line and carets.
import asyncio


async def fetch():
    return 42


def handler(): value = await fetch()


asyncio.run(handler())
