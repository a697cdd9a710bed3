import asyncio


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        async with asyncio.timeout(1):
            try:
                async with asyncio.timeout(0.3):
                    await asyncio.sleep(0.5)
            except TimeoutError:
                print("inner timeout at", round(loop.time() - start, 1))
            await asyncio.sleep(2)
    except TimeoutError:
        print("outer timeout at", round(loop.time() - start, 1))
    done = loop.create_future()
    done.set_result("ready already")
    print(await asyncio.wait_for(done, timeout=0))
    try:
        await asyncio.wait_for(asyncio.sleep(1), timeout=0)
    except TimeoutError:
        print("timeout=0 on a pending coroutine raises TimeoutError")
    try:
        await asyncio.wait_for(asyncio.sleep(1), timeout=-1)
    except TimeoutError:
        print("negative timeout too")


asyncio.run(main())
