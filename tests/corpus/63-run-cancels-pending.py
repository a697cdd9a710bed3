import asyncio


async def background(name):
    try:
        print(name, "sleeping")
        await asyncio.sleep(100)
    except asyncio.CancelledError:
        print(name, "cancelled by asyncio.run at shutdown")
        raise
    finally:
        print(name, "finally")


async def main():
    asyncio.create_task(background("bg"))
    await asyncio.sleep(1)
    print("main returns while a task still sleeps")
    return "main result"


print(asyncio.run(main()))
print("after run")
