import asyncio


async def important():
    print("important: working")
    await asyncio.sleep(1)
    print("important: finished")
    return "saved"


async def main():
    inner = asyncio.create_task(important())
    try:
        await asyncio.wait_for(asyncio.shield(inner), timeout=0.5)
    except asyncio.TimeoutError:
        print("main: stopped waiting, inner cancelled?", inner.cancelled())
    result = await inner
    print("main: inner still completed with", result)


asyncio.run(main())
