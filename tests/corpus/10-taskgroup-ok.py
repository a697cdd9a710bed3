import asyncio


async def square(n):
    await asyncio.sleep(0.1 * (4 - n))
    print("square", n)
    return n * n


async def main():
    async with asyncio.TaskGroup() as tg:
        tasks = [tg.create_task(square(n)) for n in range(1, 4)]
        print("tasks created inside the group")
    print("group exited")
    print([t.result() for t in tasks])


asyncio.run(main())
