import asyncio


async def job(delay):
    await asyncio.sleep(delay)
    return delay


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks = [asyncio.create_task(job(d)) for d in (0.1, 0.5, 2.0)]
    done, pending = await asyncio.wait(tasks, timeout=1)
    print("after", round(loop.time() - start, 1), "done:", sorted(t.result() for t in done), "pending:", len(pending))
    print("wait does not cancel:", [t.cancelled() for t in pending])
    await asyncio.sleep(1.5)
    print("now:", [t.done() for t in tasks])


asyncio.run(main())
