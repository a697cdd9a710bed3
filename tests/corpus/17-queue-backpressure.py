import asyncio


async def producer(queue):
    for i in range(6):
        print(f"put {i} (size before: {queue.qsize()}, full: {queue.full()})")
        await queue.put(i)
    print("producer done")


async def consumer(queue):
    for _ in range(6):
        await asyncio.sleep(0.5)
        item = queue.get_nowait()
        print("got", item)


async def main():
    queue = asyncio.Queue(maxsize=2)
    await asyncio.gather(producer(queue), consumer(queue))
    try:
        queue.get_nowait()
    except asyncio.QueueEmpty:
        print("queue empty at the end")


asyncio.run(main())
