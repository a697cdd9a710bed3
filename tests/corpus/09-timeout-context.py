import asyncio


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        async with asyncio.timeout(0.5) as cm:
            await asyncio.sleep(0.1)
            print("short sleep fine, expired:", cm.expired())
            await asyncio.sleep(1)
            print("not reached")
    except TimeoutError:
        print("timeout! expired:", cm.expired(), "at", round(loop.time() - start, 1))

    async with asyncio.timeout(None) as cm:
        cm.reschedule(loop.time() + 2)
        await asyncio.sleep(1)
        print("rescheduled deadline held, at", round(loop.time() - start, 1))

    try:
        async with asyncio.timeout_at(loop.time() + 0.3):
            await asyncio.sleep(5)
    except TimeoutError:
        print("timeout_at fired at", round(loop.time() - start, 1))


asyncio.run(main())
