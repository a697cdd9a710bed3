import asyncio
import sys
import traceback


def where():
    return [frame.name for frame in traceback.extract_stack()[:-1]]


async def inner():
    await asyncio.sleep(0)
    raise KeyError("missing")


async def main():
    print("stack in main:", where())
    try:
        await inner()
    except KeyError:
        frames = traceback.extract_tb(sys.exc_info()[2])
        print("traceback frames:", [(f.name, f.lineno) for f in frames])
        print("formatted last line:", traceback.format_exc().strip().splitlines()[-1])
    task = asyncio.create_task(inner())
    await asyncio.sleep(0.1)
    exc = task.exception()
    print("task exception frames:", [f.name for f in traceback.extract_tb(exc.__traceback__)])
    loop = asyncio.get_running_loop()
    loop.call_soon(lambda: print("stack in a callback:", where()))
    await asyncio.sleep(0)


asyncio.run(main())
