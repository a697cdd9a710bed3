import asyncio


async def sleeper(name, delay):
    await asyncio.sleep(delay)
    print("woke", name)


def cb(name):
    print("timer callback", name)


async def main():
    loop = asyncio.get_running_loop()
    when = loop.time() + 0.5
    loop.call_at(when, cb, "first")
    loop.call_at(when, cb, "second")
    loop.call_at(when, cb, "third")
    await asyncio.gather(sleeper("p", 1), sleeper("q", 1), sleeper("r", 0.5), sleeper("s", 1))
    tasks = []
    for name in "mnop":
        tasks.append(asyncio.create_task(sleeper(name, 0.25)))
        await asyncio.sleep(0)
    await asyncio.gather(*tasks)


asyncio.run(main())
