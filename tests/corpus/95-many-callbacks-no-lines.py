# Forty thousand callbacks that are not the program's own code (list.append): the loop runs them
# one after another with no line of the program's in between, and every one is a step.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    seen = []
    for i in range(40_000):
        loop.call_soon(seen.append, i)
    await asyncio.sleep(0)
    print(len(seen), sum(seen))


asyncio.run(main())
