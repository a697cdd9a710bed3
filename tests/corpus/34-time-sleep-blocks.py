import asyncio
import time


async def ticker():
    loop = asyncio.get_running_loop()
    start = loop.time()
    for _ in range(3):
        await asyncio.sleep(0.1)
        print("tick at", round(loop.time() - start, 1))


async def blocker():
    await asyncio.sleep(0.02)
    print("blocking the whole loop with time.sleep(1)")
    time.sleep(1)
    print("unblocked")


async def main():
    start = time.perf_counter()
    await asyncio.gather(ticker(), blocker())
    print("total:", round(time.perf_counter() - start, 1))


asyncio.run(main())
