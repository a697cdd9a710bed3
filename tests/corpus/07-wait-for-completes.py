import asyncio


async def compute(x):
    await asyncio.sleep(0.5)
    return x * x


async def main():
    result = await asyncio.wait_for(compute(7), timeout=2)
    print("result:", result)
    result = await asyncio.wait_for(compute(3), timeout=None)
    print("no timeout:", result)


asyncio.run(main())
