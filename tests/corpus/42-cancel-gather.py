import asyncio


async def child(name, delay):
    try:
        await asyncio.sleep(delay)
        print(name, "done")
        return name
    except asyncio.CancelledError:
        print(name, "cancelled")
        raise


async def main():
    group = asyncio.gather(child("a", 0.1), child("b", 1), child("c", 2))
    await asyncio.sleep(0.5)
    print("cancelling the gather:", group.cancel())
    try:
        await group
    except asyncio.CancelledError:
        print("gather cancelled:", group.cancelled())


asyncio.run(main())
