import asyncio


async def worker():
    await asyncio.sleep(0.1)
    print("worker raises KeyboardInterrupt, as Ctrl-C would")
    raise KeyboardInterrupt


async def main():
    task = asyncio.create_task(worker())
    try:
        await asyncio.sleep(1)
    finally:
        print("main's finally runs")


asyncio.run(main())
