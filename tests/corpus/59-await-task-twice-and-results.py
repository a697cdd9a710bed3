import asyncio


async def compute():
    await asyncio.sleep(0.1)
    return {"answer": 42}


async def fails():
    await asyncio.sleep(0.1)
    raise ArithmeticError("nope")


async def main():
    task = asyncio.create_task(compute())
    first = await task
    second = await task
    print(first, first is second, task.result())
    bad = asyncio.create_task(fails())
    for attempt in range(2):
        try:
            await bad
        except ArithmeticError as exc:
            print("attempt", attempt, "->", repr(exc))
    print("exception():", repr(bad.exception()))
    waiters = [asyncio.create_task(asyncio.wait_for(asyncio.shield(task), 1)) for _ in range(3)]
    print(await asyncio.gather(*waiters))


asyncio.run(main())
