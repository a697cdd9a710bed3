import asyncio

items = []


async def consumer(name, cond):
    async with cond:
        await cond.wait_for(lambda: len(items) > 0)
        item = items.pop(0)
        print(name, "took", item)


async def producer(cond):
    for i in range(3):
        await asyncio.sleep(0.1)
        async with cond:
            items.append(i)
            print("produced", i)
            cond.notify(1)


async def broadcaster(cond, flags):
    await asyncio.sleep(1)
    async with cond:
        flags.append("go")
        cond.notify_all()


async def listener(name, cond, flags):
    async with cond:
        while not flags:
            await cond.wait()
        print(name, "saw", flags[0])


async def main():
    cond = asyncio.Condition()
    await asyncio.gather(consumer("c1", cond), consumer("c2", cond), consumer("c3", cond),
                         producer(cond))
    flags = []
    await asyncio.gather(listener("l1", cond, flags), listener("l2", cond, flags),
                         broadcaster(cond, flags))


asyncio.run(main())
