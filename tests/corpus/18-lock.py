import asyncio

counter = 0


async def increment(name, lock):
    global counter
    async with lock:
        print(name, "has the lock")
        value = counter
        await asyncio.sleep(0.1)
        counter = value + 1
        print(name, "releases, counter =", counter)


async def main():
    lock = asyncio.Lock()
    print("locked at start:", lock.locked())
    await asyncio.gather(*(increment(f"t{i}", lock) for i in range(4)))
    print("final counter", counter)
    await lock.acquire()
    print("locked now:", lock.locked())
    lock.release()
    try:
        lock.release()
    except RuntimeError as exc:
        print("RuntimeError:", exc)


asyncio.run(main())
