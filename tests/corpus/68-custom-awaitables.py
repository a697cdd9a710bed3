import asyncio
import inspect


class Countdown:
    def __init__(self, n):
        self.n = n

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.n == 0:
            raise StopAsyncIteration
        await asyncio.sleep(0.1)
        self.n -= 1
        return self.n


class Ready:
    def __await__(self):
        yield from asyncio.sleep(0.2).__await__()
        return "awaited a custom awaitable"


async def main():
    async for n in Countdown(3):
        print("countdown", n)
    print(await Ready())
    print(await asyncio.ensure_future(Ready()))
    coro = main()
    print(asyncio.iscoroutine(coro), inspect.iscoroutinefunction(main))
    coro.close()


asyncio.run(main())
