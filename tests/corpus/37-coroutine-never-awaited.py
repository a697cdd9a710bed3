import asyncio


async def forgotten():
    print("this never runs")


async def main():
    coro = forgotten()
    print("made a coroutine:", type(coro).__name__)
    await asyncio.sleep(0.1)
    print("main done")


asyncio.run(main())
