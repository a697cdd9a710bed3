import asyncio


async def fetch(name, delay):
    print(f"{name}: start")
    await asyncio.sleep(delay)
    print(f"{name}: done after {delay}")
    return name.upper()


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    results = await asyncio.gather(fetch("slow", 0.3), fetch("fast", 0.1), fetch("mid", 0.2))
    print("results:", results)
    print("elapsed:", round(loop.time() - start, 1))


asyncio.run(main())
