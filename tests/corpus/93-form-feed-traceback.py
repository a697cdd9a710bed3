# Oracle: plain Pyodide (CPython 3.14): how 3.14 shows a traceback.
# Compare: all of stderr
# A form feed (a page break some editors show as ^L) and a U+2028 in a string: CPython ends
# a line only at \n, \r\n or \r, so the traceback shows the lines that really raised.
import asyncio

separator = "a b"

# Part two


async def divide(n):
    await asyncio.sleep(0)
    return n / 0


print(len(separator))
asyncio.run(divide(1))
