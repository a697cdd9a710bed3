import asyncio


def broken_callback():
    print("callback running")
    raise RuntimeError("callback failed")


async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(broken_callback)
    await asyncio.sleep(0.1)
    print("the loop survived the callback's exception")


asyncio.run(main())
