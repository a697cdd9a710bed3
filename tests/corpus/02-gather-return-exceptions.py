import asyncio


async def ok(n):
    await asyncio.sleep(0.01 * n)
    return n * 10


async def bad(n):
    await asyncio.sleep(0.01 * n)
    raise ValueError(f"bad {n}")


async def main():
    results = await asyncio.gather(ok(1), bad(2), ok(3), bad(4), return_exceptions=True)
    for r in results:
        if isinstance(r, Exception):
            print("error:", type(r).__name__, r)
        else:
            print("value:", r)
    try:
        await asyncio.gather(ok(1), bad(2), ok(3))
    except ValueError as exc:
        print("first failure propagated:", exc)


asyncio.run(main())
