import asyncio
import functools


def callback(label, loop, start):
    print(f"callback {label} at {round(loop.time() - start, 1)}")


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    loop.call_later(0.2, callback, "later-0.2", loop, start)
    loop.call_later(0.1, callback, "later-0.1", loop, start)
    loop.call_soon(callback, "soon-1", loop, start)
    loop.call_soon(functools.partial(callback, "soon-partial", loop, start))
    handle = loop.call_later(0.15, callback, "cancelled", loop, start)
    handle.cancel()
    loop.call_at(start + 0.07, callback, "at-0.07", loop, start)
    print("scheduled; cancelled handle:", handle.cancelled())
    await asyncio.sleep(0)
    print("after one yield")
    await asyncio.sleep(0.3)
    print("main done")


asyncio.run(main())
