import asyncio


async def worker():
    print("worker: starting")
    try:
        while True:
            await asyncio.sleep(1)
            print("worker: tick")
    except asyncio.CancelledError:
        print("worker: got CancelledError")
        raise
    finally:
        print("worker: cleanup in finally")


async def main():
    task = asyncio.create_task(worker())
    await asyncio.sleep(3.5)
    print("main: cancelling, returned", task.cancel())
    try:
        await task
    except asyncio.CancelledError:
        print("main: worker is cancelled:", task.cancelled())
    print("cancel again returns", task.cancel())
    print("done:", task.done())


asyncio.run(main())
