import asyncio


async def producer(queue, n):
    for i in range(n):
        await asyncio.sleep(0.1)
        await queue.put(i)
        print("produced", i)
    await queue.put(None)


async def consumer(queue):
    total = 0
    while True:
        item = await queue.get()
        if item is None:
            break
        print("consumed", item)
        total += item
    return total


async def main():
    queue = asyncio.Queue()
    _, total = await asyncio.gather(producer(queue, 5), consumer(queue))
    print("total", total)


asyncio.run(main())
