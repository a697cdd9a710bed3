import asyncio


async def job(name, delay):
    await asyncio.sleep(delay)
    return f"{name} ({delay}s)"


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    coros = [job("a", 0.3), job("b", 0.1), job("c", 0.2)]
    for next_done in asyncio.as_completed(coros):
        result = await next_done
        print(round(loop.time() - start, 1), result)
    try:
        for fut in asyncio.as_completed([job("slow", 5)], timeout=1):
            await fut
    except asyncio.TimeoutError:
        print("as_completed timed out at", round(loop.time() - start, 1))


asyncio.run(main())
