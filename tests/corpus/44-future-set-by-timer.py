import asyncio


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    fut = loop.create_future()
    loop.call_later(0.5, fut.set_result, "filled by a timer")
    print("waiting on a bare future, done:", fut.done())
    print(await fut)
    print("at", round(loop.time() - start, 1))

    fut2 = loop.create_future()
    loop.call_soon(fut2.set_exception, OSError("failed future"))
    try:
        await fut2
    except OSError as exc:
        print("OSError:", exc)

    fut3 = loop.create_future()
    fut3.cancel()
    print("cancelled future:", fut3.cancelled())
    try:
        fut3.result()
    except asyncio.CancelledError:
        print("result() of a cancelled future raises CancelledError")
    try:
        loop.create_future().result()
    except asyncio.InvalidStateError:
        print("result() of a pending future raises InvalidStateError")


asyncio.run(main())
