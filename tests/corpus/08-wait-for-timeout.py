import asyncio


async def slow_operation():
    try:
        print("slow operation started")
        await asyncio.sleep(10)
        print("never printed")
    except asyncio.CancelledError:
        print("slow operation cancelled")
        raise
    finally:
        print("slow operation cleanup")


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        await asyncio.wait_for(slow_operation(), timeout=1.5)
    except asyncio.TimeoutError:
        print("timed out after", round(loop.time() - start, 1))
    print("main continues")


asyncio.run(main())
