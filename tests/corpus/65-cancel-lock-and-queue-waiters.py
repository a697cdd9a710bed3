import asyncio


async def wants_lock(name, lock):
    try:
        async with lock:
            print(name, "got the lock")
            await asyncio.sleep(0.1)
    except asyncio.CancelledError:
        print(name, "cancelled while waiting for the lock")
        raise


async def wants_item(queue):
    try:
        return await queue.get()
    except asyncio.CancelledError:
        print("getter cancelled")
        raise


async def main():
    lock = asyncio.Lock()
    tasks = [asyncio.create_task(wants_lock(f"t{i}", lock)) for i in range(4)]
    await asyncio.sleep(0.05)
    tasks[2].cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    print("lock free:", not lock.locked())
    queue = asyncio.Queue()
    getter = asyncio.create_task(wants_item(queue))
    await asyncio.sleep(0)
    getter.cancel()
    await asyncio.sleep(0)
    queue.put_nowait("late item")
    print("queue size after the cancelled getter:", queue.qsize())
    print("getter cancelled:", getter.cancelled())


asyncio.run(main())
