# Oracle: plain Pyodide (CPython 3.14): how 3.14 shows a parser error.
# Compare: all of stderr
# An error the tokenizer finds (a string never closed): line and caret, as python3 shows them.
import asyncio


async def main():
    print("start)
    await asyncio.sleep(1)

asyncio.run(main())
