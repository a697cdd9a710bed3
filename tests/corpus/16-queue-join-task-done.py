import asyncio


async def worker(name, queue, log):
    while True:
        item = await queue.get()
        await asyncio.sleep(item / 10)
        log.append((name, item))
        print(f"{name} handled {item}")
        queue.task_done()


async def main():
    queue = asyncio.Queue()
    for item in [3, 1, 2, 5, 1, 1]:
        queue.put_nowait(item)
    log = []
    workers = [asyncio.create_task(worker(f"w{i}", queue, log)) for i in range(3)]
    await queue.join()
    print("queue drained, empty:", queue.empty())
    for w in workers:
        w.cancel()
    results = await asyncio.gather(*workers, return_exceptions=True)
    print([type(r).__name__ for r in results])
    print("handled", len(log), "items")


asyncio.run(main())
