import asyncio


async def leaf(label, delay):
    await asyncio.sleep(delay)
    print("leaf", label)
    return label


async def branch(prefix):
    inner = await asyncio.gather(leaf(prefix + "1", 0.02), leaf(prefix + "2", 0.01))
    print("branch", prefix, inner)
    return inner


async def main():
    tree = await asyncio.gather(branch("a"), branch("b"), leaf("c", 0.015))
    print(tree)


asyncio.run(main())
