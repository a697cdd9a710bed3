import asyncio

order = []


async def sleeper(i):
    await asyncio.sleep(1)
    order.append(i)
    return i


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    tasks = [asyncio.create_task(sleeper(i)) for i in range(60)]
    results = await asyncio.gather(*tasks)
    print("tasks:", len(results))
    print("woke in creation order:", order == list(range(60)))
    print("first ten:", order[:10])
    print("elapsed (whole seconds):", round(loop.time() - start))


asyncio.run(main())
