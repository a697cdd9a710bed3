import asyncio


async def ticker(n, delay):
    for i in range(n):
        await asyncio.sleep(delay)
        yield i


async def squares(source):
    async for value in source:
        yield value * value


async def main():
    async for i in ticker(3, 0.1):
        print("tick", i)
    print("squares:", [s async for s in squares(ticker(4, 0.01))])
    evens = [i async for i in ticker(6, 0) if i % 2 == 0]
    print("evens:", evens)
    gen = ticker(10, 0.1)
    print("first:", await gen.__anext__())
    print("second:", await anext(gen))
    await gen.aclose()
    try:
        await gen.__anext__()
    except StopAsyncIteration:
        print("closed generator is exhausted")


asyncio.run(main())
