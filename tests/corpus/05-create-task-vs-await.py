import asyncio


async def job(name, delay):
    print(f"{name} begins")
    await asyncio.sleep(delay)
    print(f"{name} ends")


async def sequential():
    loop = asyncio.get_running_loop()
    start = loop.time()
    await job("s1", 1)
    await job("s2", 1)
    print("sequential took", round(loop.time() - start, 1))


async def concurrent():
    loop = asyncio.get_running_loop()
    start = loop.time()
    t1 = asyncio.create_task(job("c1", 1))
    t2 = asyncio.create_task(job("c2", 1))
    print("tasks created, nothing has run yet")
    await t1
    await t2
    print("concurrent took", round(loop.time() - start, 1))


async def main():
    await sequential()
    await concurrent()


asyncio.run(main())
