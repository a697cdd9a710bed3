import asyncio


async def worker(name, sem, log):
    async with sem:
        log.append(name)
        await asyncio.sleep(0.1)


async def main():
    sem = asyncio.Semaphore(1)
    log = []
    tasks = [asyncio.create_task(worker(f"w{i}", sem, log)) for i in range(8)]
    await asyncio.gather(*tasks)
    print(log)
    lock = asyncio.Lock()
    order = []

    async def grab(i):
        async with lock:
            order.append(i)
            await asyncio.sleep(0)

    await asyncio.gather(*(grab(i) for i in range(6)))
    print(order)


asyncio.run(main())
