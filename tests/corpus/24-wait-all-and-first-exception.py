import asyncio


async def job(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        raise ValueError(name)
    return name


async def main():
    tasks = [asyncio.create_task(job(f"j{i}", 0.1 * i)) for i in range(1, 4)]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.ALL_COMPLETED)
    print(len(done), len(pending), [t.result() for t in tasks])

    tasks = [asyncio.create_task(job("ok", 0.1)), asyncio.create_task(job("boom", 0.2, True)),
             asyncio.create_task(job("late", 0.5))]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    print("done:", len(done), "pending:", len(pending))
    for t in tasks:
        if t.done():
            print(" ", "exception" if t.exception() else "result", t.exception() or t.result())
    await asyncio.wait(pending)
    print("late finished with", tasks[2].result())


asyncio.run(main())
