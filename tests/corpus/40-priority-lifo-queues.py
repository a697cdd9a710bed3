import asyncio


async def main():
    pq = asyncio.PriorityQueue()
    for item in [(3, "low"), (1, "high"), (2, "medium"), (1, "also high")]:
        await pq.put(item)
    while not pq.empty():
        print("priority", await pq.get())
    lq = asyncio.LifoQueue()
    for i in range(4):
        lq.put_nowait(i)
    print("lifo", [lq.get_nowait() for _ in range(4)])
    q = asyncio.Queue(maxsize=1)
    q.put_nowait("x")
    try:
        q.put_nowait("y")
    except asyncio.QueueFull:
        print("QueueFull raised; maxsize:", q.maxsize)


asyncio.run(main())
