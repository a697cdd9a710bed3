import asyncio


async def stubborn():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("stubborn: ignoring the cancellation")
    await asyncio.sleep(0.5)
    return "survived"


async def main():
    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0.1)
    task.cancel()
    result = await task
    print("result:", result, "cancelled():", task.cancelled())

    task = asyncio.create_task(stubborn())
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("cancelled before it started:", task.cancelled())


asyncio.run(main())
