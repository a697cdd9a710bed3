import asyncio


async def sleeper():
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError as exc:
        print("sleeper got CancelledError with args", exc.args)
        raise


async def main():
    task = asyncio.create_task(sleeper())
    await asyncio.sleep(0.1)
    task.cancel("time to go")
    try:
        await task
    except asyncio.CancelledError as exc:
        print("main sees args", exc.args)
    print("cancelling() of main:", asyncio.current_task().cancelling())


asyncio.run(main())
