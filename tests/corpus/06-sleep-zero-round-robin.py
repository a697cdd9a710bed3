import asyncio


async def counter(name, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(0)


async def main():
    await asyncio.gather(counter("A", 3), counter("B", 4), counter("C", 2))
    print("all done")


asyncio.run(main())
