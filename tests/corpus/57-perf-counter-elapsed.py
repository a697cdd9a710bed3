import asyncio
import time


async def step(n):
    await asyncio.sleep(n / 10)
    return n


async def main():
    t0 = time.perf_counter()
    m0 = time.monotonic()
    for n in (1, 2, 3):
        await step(n)
        print(f"after step {n}: {time.perf_counter() - t0:.1f}s")
    await asyncio.gather(step(5), step(5), step(5))
    print(f"gather of three 0.5s steps: {time.perf_counter() - t0 - 0.6:.1f}s")
    print("monotonic agrees:", round(time.monotonic() - m0, 1))


asyncio.run(main())
