# Oracle: plain Pyodide (CPython 3.14): 3.12+ makes invalid escapes a SyntaxWarning, 3.14 'return' in finally.
# Compare: all of stderr
# Warnings the compiler gives before the program runs, each with its source line; then the
# program runs.
import asyncio
import re


async def digits(text):
    await asyncio.sleep(0)
    return re.findall("\d+", text)


def always_two():
    try:
        return 1
    finally:
        return 2


async def main():
    n = len(await digits("a1b22c333"))
    if n is 3:
        print("three groups of digits")
    print(always_two())

asyncio.run(main())
