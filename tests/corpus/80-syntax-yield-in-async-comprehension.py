# Oracle: plain Pyodide (CPython 3.14): how 3.14 shows a compile-time error.
# Compare: all of stderr
# 'yield' inside a comprehension of an async function: found by the symbol table.
import asyncio


async def numbers():
    for i in range(3):
        yield i


async def main():
    return [(yield n) async for n in numbers()]

print(asyncio.run(main()))
