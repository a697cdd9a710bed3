import asyncio


async def runner(name, delay, barrier):
    await asyncio.sleep(delay)
    print(name, "arrived")
    position = await barrier.wait()
    print(name, "passed the barrier, position", position)


async def main():
    barrier = asyncio.Barrier(3)
    await asyncio.gather(runner("a", 0.3, barrier), runner("b", 0.1, barrier), runner("c", 0.2, barrier))
    print("parties:", barrier.parties, "waiting:", barrier.n_waiting, "broken:", barrier.broken)


asyncio.run(main())
