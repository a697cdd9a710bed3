import asyncio


async def explode():
    await asyncio.sleep(0.1)
    raise ZeroDivisionError("nobody looks at me")


async def main():
    asyncio.create_task(explode())
    await asyncio.sleep(0.5)
    print("main finished without awaiting the task")


asyncio.run(main())
print("after asyncio.run")
