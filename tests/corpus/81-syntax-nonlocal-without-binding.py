# Oracle: plain Pyodide (CPython 3.14): how 3.14 shows a compile-time error.
# Compare: all of stderr
# 'nonlocal' with no enclosing binding: found by the symbol table, shown with its line.
import asyncio

count = 0


async def tick():
    nonlocal count
    count += 1

asyncio.run(tick())
