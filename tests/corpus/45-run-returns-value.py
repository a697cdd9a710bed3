import asyncio


async def add(a, b):
    await asyncio.sleep(0.01)
    return a + b


async def total(numbers):
    result = 0
    for n in numbers:
        result = await add(result, n)
    return result


print(asyncio.run(total(range(10))))
print(asyncio.run(add("con", "cat")))
print(asyncio.run(asyncio.sleep(0.5, result="sleep can return a value")))
