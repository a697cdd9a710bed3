# A finite program with a long output and a long comprehension (issue 12): 20,000 turns of a
# generator expression, each a line event of its own, must run to the end, never be called
# endless, and print all 20,000 lines (about 210 kB).
import asyncio


async def report(n):
    await asyncio.sleep(0.1)
    return "\n".join(f"line {i}" for i in range(n))


async def main():
    print(await report(20000))
    print("done")


asyncio.run(main())
