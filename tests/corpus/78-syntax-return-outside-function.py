# Oracle: plain Pyodide (CPython 3.14): how 3.14 shows a compile-time error.
# Compare: all of stderr
# 'return' at the top level: found by the compiler, shown with its line and carets.
import asyncio


async def main():
    print("never runs")

result = asyncio.run(main())
if result is None:
    return result
