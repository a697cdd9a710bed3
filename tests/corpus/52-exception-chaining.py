import asyncio


async def load(key):
    await asyncio.sleep(0.1)
    data = {"a": 1}
    try:
        return data[key]
    except KeyError as exc:
        raise LookupError(f"no such key: {key}") from exc


async def main():
    print(await load("a"))
    try:
        await load("b")
    except LookupError as exc:
        print("caught", exc, "caused by", repr(exc.__cause__))
    await load("c")


asyncio.run(main())
