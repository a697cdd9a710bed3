import asyncio


async def node(path, depth):
    print("visit", path)
    await asyncio.sleep(0.01 * depth)
    if depth == 0:
        return 1
    children = [asyncio.create_task(node(path + str(i), depth - 1)) for i in range(2)]
    counts = await asyncio.gather(*children)
    return 1 + sum(counts)


async def main():
    print("nodes:", await node("r", 3))


asyncio.run(main())
