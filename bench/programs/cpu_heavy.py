# A CPU-heavy asyncio program: four tasks crunch numbers and take turns every 500 steps.
import asyncio


async def crunch(name, n):
    total = 0
    for i in range(n):
        total += i * i % 7
        if i % 500 == 0:
            await asyncio.sleep(0)
    return total


async def main():
    results = await asyncio.gather(*(crunch(f"worker-{k}", 20_000) for k in range(4)))
    print(sum(results))


asyncio.run(main())
