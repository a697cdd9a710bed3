import asyncio


async def square(n):
    await asyncio.sleep(0.1 * n)
    print("square of", n)
    return n * n


loop = asyncio.new_event_loop()
asyncio.set_event_loop(loop)
group = asyncio.gather(square(3), square(1), square(2))
results = loop.run_until_complete(group)
print(results)
results = loop.run_until_complete(asyncio.gather(*(square(n) for n in range(4))))
print(results)
loop.close()
asyncio.set_event_loop(None)
